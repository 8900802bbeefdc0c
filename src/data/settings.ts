// Settings repository: typed reads with defaults, so a fresh install needs no setup rows
// and a setting added later simply starts at its default.
import type { AisleDb } from './db';
import type { SettingKey, Settings } from './records';

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
  const rows = await db.settings.toArray();
  const settings: Settings = { ...settingsDefaults };
  for (const row of rows) {
    if (row.key in settingsDefaults) (settings as unknown as Record<string, unknown>)[row.key] = row.value;
  }
  return settings;
}

/** Forget a stored value so the setting falls back to its default. */
export async function resetSetting(db: AisleDb, key: SettingKey): Promise<void> {
  await db.settings.delete(key);
}
