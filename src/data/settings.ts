// Settings repository: typed reads with defaults, so a fresh install needs no setup rows
// and a setting added later simply starts at its default.
import type { AisleDb } from './db';
import type { ModelSnapshot } from '../ml/recommender';
import type { MeasuredBackend, SettingKey, Settings } from './records';

export const settingsDefaults: Readonly<Settings> = Object.freeze({
  trackingPaused: false,
  diversity: 0.3,
  preferredBackend: 'auto',
  eventRetentionDays: null,
  popularity: 0.5,
  profileStartDone: false,
  offersEnabled: true,
});

export async function getSetting<K extends SettingKey>(db: AisleDb, key: K): Promise<Settings[K]> {
  const row = await db.settings.get(key);
  return row === undefined ? settingsDefaults[key] : (row.value as Settings[K]);
}

export async function setSetting<K extends SettingKey>(
  db: AisleDb,
  key: K,
  value: Settings[K],
): Promise<void> {
  await db.settings.put({ key, value });
}

/** All settings, stored values over defaults. Unknown stored keys (from a newer app) are ignored. */
export async function getSettings(db: AisleDb): Promise<Settings> {
  // only the known keys: the table also holds device caches (the store's neighbour table, ~1 MB)
  // that the page has no reason to read
  const keys = Object.keys(settingsDefaults) as SettingKey[];
  const rows = await db.settings.bulkGet(keys);
  const settings: Settings = { ...settingsDefaults };
  for (const row of rows) {
    if (row) (settings as unknown as Record<string, unknown>)[row.key] = row.value;
  }
  return settings;
}

/** Forget a stored value so the setting falls back to its default. */
export async function resetSetting(db: AisleDb, key: SettingKey): Promise<void> {
  await db.settings.delete(key);
}

/** The settings table's row for this device's backend race: not a SettingKey, so never exported. */
const measuredBackendKey = 'measuredBackend' as SettingKey;

const backendNames: readonly unknown[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** A stored row that has the shape of a race's outcome (a row from another version may not). */
function isMeasuredBackend(value: unknown): value is MeasuredBackend {
  const candidate = value as Partial<MeasuredBackend> | null | undefined;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    backendNames.includes(candidate.backend) &&
    typeof candidate.measuredAt === 'number' &&
    candidate.report !== undefined &&
    candidate.report.active === candidate.backend &&
    typeof candidate.report.reason === 'string' &&
    Array.isArray(candidate.report.attempts)
  );
}

/** This device's last backend race, or null when none is stored (or the row is not one). */
export async function getMeasuredBackend(db: AisleDb): Promise<MeasuredBackend | null> {
  const row = await db.settings.get(measuredBackendKey);
  return isMeasuredBackend(row?.value) ? row.value : null;
}

/** Remember a race's outcome; null forgets it, so the next start races again. */
export async function setMeasuredBackend(db: AisleDb, measured: MeasuredBackend | null): Promise<void> {
  if (measured === null) await db.settings.delete(measuredBackendKey);
  else await db.settings.put({ key: measuredBackendKey, value: measured as unknown as Settings[SettingKey] });
}

/**
 * The store's co-occurrence neighbour table from the last visit (ItemKnnRecommender.save()), a
 * cache: `fingerprint` names the data and configuration it was fitted on, and a table fitted on
 * anything else is never returned. Device-local like the measured backend: no Setting, never exported.
 */
const storeNeighboursKey = 'storeNeighbours' as SettingKey;

interface CachedNeighbours {
  fingerprint: string;
  snapshot: ModelSnapshot;
}

export async function getCachedNeighbours(db: AisleDb, fingerprint: string): Promise<ModelSnapshot | null> {
  const cached = (await db.settings.get(storeNeighboursKey))?.value as CachedNeighbours | undefined;
  return cached?.fingerprint === fingerprint && cached.snapshot?.arrays ? cached.snapshot : null;
}

export async function putCachedNeighbours(
  db: AisleDb,
  fingerprint: string,
  snapshot: ModelSnapshot,
): Promise<void> {
  const cached: CachedNeighbours = { fingerprint, snapshot };
  await db.settings.put({ key: storeNeighboursKey, value: cached as unknown as Settings[SettingKey] });
}
