// The shopper's backend choice and this device's remembered race: choosing a backend forgets the
// race, so that choosing 'auto' again is how a shopper asks for a new measurement.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { getDb } from '../data/db';
import { getMeasuredBackend, getSetting, setMeasuredBackend } from '../data/settings';

const { shopper } = await import('./shopper.svelte');

describe('choosing a backend', () => {
  it('stores the choice and forgets the remembered race, so auto races again', async () => {
    await shopper.load();
    const db = getDb();
    const report = { active: 'wasm' as const, reason: 'wasm: the fastest', adapter: null, attempts: [] };
    await setMeasuredBackend(db, { backend: 'wasm', measuredAt: 1, report });
    expect(await getMeasuredBackend(db)).not.toBeNull();
    await shopper.setPreferredBackend('auto');
    expect(await getSetting(db, 'preferredBackend')).toBe('auto');
    expect(await getMeasuredBackend(db)).toBeNull();
    expect(shopper.writeError).toBeNull();
  });
});
