// Shared by the data layer's tests only: a fresh, uniquely named database on
// fake-indexeddb, so tests never see each other's rows.
import 'fake-indexeddb/auto';
import { AisleDb } from './db';

let counter = 0;

export function uniqueDbName(prefix = 'aisle-test'): string {
  counter += 1;
  return `${prefix}-${Date.now()}-${counter}`;
}

export function freshDb(): AisleDb {
  return new AisleDb(uniqueDbName());
}
