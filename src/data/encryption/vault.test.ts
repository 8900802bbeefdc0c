import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { addToCart, listCart } from '../cart';
import { AisleDb, schemaVersions } from '../db';
import { eraseEverything } from '../erase';
import { EventLog, deleteEventsOlderThan } from '../events';
import { exportAll, importAll } from '../portability';
import { getProfileEdits, putProfileEdits, setShopperEmbedding, getShopperEmbedding } from '../profile';
import { profileEditsSchemaVersion, type ProfileEdits } from '../profileTypes';
import { getSetting, setSetting } from '../settings';
import { getCheckpoint, getModel, putCheckpoint, putModel } from '../models';
import { observeEvents } from '../live';
import { freshDb, openAtVersion, patience } from '../testSupport';
import type { ShopperEvent } from '../types';
import { pbkdf2Iterations, WrongPassphraseError, createKeyring } from './keyring';
import { protectedTableNames } from './policy';

// Low iterations for speed, only through the explicit test parameter; the default is checked below.
const fast = { iterations: 1_000 };
const passphrase = 'correct horse battery';

// Distinctive values, so finding their text in the raw database means a leak.
const itemId = 48213;
const otherItemId = 51977;
const price = 17.49;
const query = 'hollow knight';

const events: ShopperEvent[] = [
  { kind: 'view', at: 1_000, sessionId: 's1', itemId },
  { kind: 'search', at: 2_000, sessionId: 's1', query },
  { kind: 'purchase', at: 3_000, sessionId: 's1', itemId: otherItemId, price },
];
const edits: ProfileEdits = {
  schemaVersion: profileEditsSchemaVersion,
  adjustments: { genre: { Metroidvania: 'boost' }, tag: {}, developer: {} },
  priceCeiling: price,
  excludedEventIds: [1],
  resetAt: null,
};

let db: AisleDb;
afterEach(async () => {
  db.close();
  await db.delete();
});

async function seedShopper(target: AisleDb) {
  await target.events.bulkAdd(events.map((event) => ({ ...event })));
  await addToCart(target, itemId, 500);
  await setSetting(target, 'popularity', 0.2);
  await setSetting(target, 'trackingPaused', false);
  await putProfileEdits(target, edits, 10);
  await setShopperEmbedding(target, { model: 'mf', vector: new Float32Array([0.25, -1]), dataHash: 'h' }, 11);
  await putCheckpoint(target, {
    name: 'mf',
    snapshot: { name: 'mf', config: { itemId }, arrays: { items: new Float32Array([price]) } },
    epoch: 1,
    epochs: 4,
    dataHash: 'h',
    savedAt: 12,
  });
}

/**
 * Opens `db` fresh with the shopper's records, then protects it with the test passphrase. `db` is
 * set first, so afterEach deletes the database even when seeding fails.
 */
async function openProtectedShopper(): Promise<void> {
  db = freshDb();
  await seedShopper(db);
  await db.vault.enable(passphrase, fast);
}

/** What the app reads: every protected record, through the repositories. */
async function readAll(target: AisleDb) {
  return {
    events: await target.events.orderBy('id').toArray(),
    cart: await listCart(target),
    popularity: await getSetting(target, 'popularity'),
    edits: await getProfileEdits(target),
    embedding: await getShopperEmbedding(target),
    checkpoint: await getCheckpoint(target, 'mf'),
  };
}

/** The schema's latest version: a plain connection at it sees the tables exactly as the app does. */
const currentVersion = schemaVersions[schemaVersions.length - 1];

/** Every row of every protected table as IndexedDB holds it, read without the middleware. */
async function rawRows(name: string): Promise<Record<string, unknown[]>> {
  const plain = openAtVersion(name, currentVersion);
  await plain.open();
  try {
    const rows: Record<string, unknown[]> = {};
    for (const table of protectedTableNames) rows[table] = await plain.table(table).toArray();
    return rows;
  } finally {
    plain.close();
  }
}

/** The raw rows as text, bytes included (latin1), so a value hidden in any field would show. */
const rawText = (rows: Record<string, unknown[]>) =>
  JSON.stringify(rows, (_key, value: unknown) =>
    value instanceof Uint8Array ? String.fromCharCode(...value) : value,
  );

function expectNoLeak(text: string) {
  for (const secret of [String(itemId), String(otherItemId), String(price), query, 'Metroidvania']) {
    expect(text, `raw database contains ${secret}`).not.toContain(secret);
  }
}

describe('encryption at rest', () => {
  it('seals every record of the shopper and reads them back unchanged', async () => {
    db = freshDb();
    await seedShopper(db);
    const before = await readAll(db);
    expect(rawText(await rawRows(db.name))).toContain(String(itemId)); // the check can fail

    await db.vault.enable(passphrase, fast);
    expect(db.vault.status).toBe('unlocked');
    expect(await readAll(db)).toEqual(before);
    const raw = await rawRows(db.name);
    expectNoLeak(rawText(raw));
    // only keys and the readable index fields stay beside the sealed bytes
    expect(Object.keys(raw.events[0] as object).sort()).toEqual(['at', 'id', 'kind', 'sealed']);
    expect(Object.keys(raw.cartLines[0] as object).sort()).toEqual(['id', 'sealed']);
  });

  it('seals what is written after the passphrase is set, through every repository', async () => {
    db = freshDb();
    await db.vault.enable(passphrase, fast);
    await seedShopper(db);
    const log = new EventLog(db, { batchDelayMs: 0 });
    expect(log.record({ kind: 'rating', itemId, rating: 5 })).toBe(true);
    await log.flush();
    expectNoLeak(rawText(await rawRows(db.name)));
    expect((await readAll(db)).events.map((event) => event.itemId)).toEqual([
      itemId,
      undefined,
      otherItemId,
      itemId,
    ]);
  });

  it('while locked hides the records, writes nothing of the shopper, and unlock restores all', async () => {
    await openProtectedShopper();
    const before = await readAll(db);
    const rawBefore = rawText(await rawRows(db.name));

    db.vault.lock();
    expect(db.vault.status).toBe('locked');
    expect(await db.events.toArray()).toEqual([]);
    expect(await db.events.count()).toBe(0);
    expect(await listCart(db)).toEqual([]);
    expect(await getSetting(db, 'popularity')).toBe(0.5); // the default
    expect(await getProfileEdits(db)).toBeUndefined();
    // the store goes on anonymously: nothing it does is stored, nothing stored is deleted
    expect(new EventLog(db).record({ kind: 'view', itemId: 7 })).toBe(false);
    await db.events.add({ kind: 'view', at: 9_000, sessionId: 's2', itemId: 7 });
    await addToCart(db, 7);
    await setSetting(db, 'popularity', 0.9);
    await db.events.clear();
    await deleteEventsOlderThan(db, 30, 1e12);
    expect(rawText(await rawRows(db.name))).toBe(rawBefore);
    // settings that say nothing of taste are still kept
    await setSetting(db, 'preferredBackend', 'cpu');
    expect(await getSetting(db, 'preferredBackend')).toBe('cpu');

    await db.vault.unlock(passphrase);
    expect(await readAll(db)).toEqual(before);
  });

  it('refuses a wrong passphrase with a message and changes nothing', async () => {
    await openProtectedShopper();
    db.vault.lock();
    const rawBefore = rawText(await rawRows(db.name));
    const keyringBefore = await db.keyring.toArray();

    const refused = await db.vault.unlock('not the passphrase').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(WrongPassphraseError);
    expect((refused as Error).message).toBe(
      'That passphrase is not the one that protects your data. Nothing was changed.',
    );
    expect(db.vault.status).toBe('locked');
    expect(rawText(await rawRows(db.name))).toBe(rawBefore);
    expect(await db.keyring.toArray()).toEqual(keyringBefore);
  });

  it('changing the passphrase re-wraps the key only: no record is re-encrypted', async () => {
    await openProtectedShopper();
    const before = await readAll(db);
    const rawBefore = rawText(await rawRows(db.name));
    const [keyringBefore] = await db.keyring.toArray();

    await expect(db.vault.changePassphrase('wrong guess!', 'new phrase here', fast)).rejects.toBeInstanceOf(
      WrongPassphraseError,
    );
    await db.vault.changePassphrase(passphrase, 'new phrase here', fast);
    expect(rawText(await rawRows(db.name))).toBe(rawBefore);
    const [keyringAfter] = await db.keyring.toArray();
    expect(keyringAfter.kdf.salt).not.toEqual(keyringBefore.kdf.salt);
    expect(keyringAfter.wrappedKey.data).not.toEqual(keyringBefore.wrappedKey.data);

    db.vault.lock();
    await expect(db.vault.unlock(passphrase)).rejects.toBeInstanceOf(WrongPassphraseError);
    await db.vault.unlock('new phrase here');
    expect(await readAll(db)).toEqual(before);
  });

  it('keeps live lists, the newest-first page, retention, export and import working', async () => {
    db = freshDb();
    await db.vault.enable(passphrase, fast);
    await seedShopper(db);

    const seen: ShopperEvent[][] = [];
    const stop = observeEvents(db)(
      (value) => seen.push(value),
      (error) => seen.push([{ kind: 'view', at: -1, sessionId: String(error) }]),
    );
    await db.events.add({ kind: 'view', at: 4_000, sessionId: 's1', itemId: 99 });
    await expect
      .poll(() => seen.at(-1)?.map((event) => event.itemId))
      .toEqual([itemId, undefined, otherItemId, 99]);
    stop();

    // offset goes through a cursor, which the middleware serves from opened rows
    expect((await new EventLog(db).page(1, 2)).map((event) => event.at)).toEqual([3_000, 2_000]);

    expect(await deleteEventsOlderThan(db, 1, 2_500 + 86_400_000)).toBe(2);
    expect((await db.events.toArray()).map((event) => event.at)).toEqual([3_000, 4_000]);

    const exported = await exportAll(db);
    expect(exported.cart).toEqual([{ itemId, addedAt: 500 }]);
    expect(exported.events.map((event) => event.price)).toEqual([price, undefined]);
    await importAll(
      db,
      { ...exported, events: events.map((event, i) => ({ ...event, id: i + 1 })) },
      'replace',
    );
    expect((await db.events.orderBy('id').toArray()).map((event) => event.itemId)).toEqual([
      itemId,
      undefined,
      otherItemId,
    ]);
    expectNoLeak(rawText(await rawRows(db.name)));
  });

  it('keeps community-only models readable and stored while locked; seals those fitted on the shopper', async () => {
    db = freshDb();
    await db.vault.enable(passphrase, fast);
    db.vault.lock();
    const card = { backend: 'cpu', trainedAt: 1, dataHash: 'h', metrics: {}, config: {} };
    const snapshot = { name: 'ease' as const, config: {}, arrays: { w: new Float32Array([1]) } };
    await putModel(db, { ...card, name: 'ease', eventsUsed: 0, snapshot });
    expect((await getModel(db, 'ease'))?.snapshot.arrays.w).toEqual(new Float32Array([1]));
    await putModel(db, { ...card, name: 'mf', eventsUsed: 3, snapshot: { ...snapshot, name: 'mf' } });
    expect(await getModel(db, 'mf')).toBeUndefined();

    await db.vault.unlock(passphrase);
    await putModel(db, { ...card, name: 'mf', eventsUsed: 3, snapshot: { ...snapshot, name: 'mf' } });
    const raw = await rawRows(db.name);
    expect(raw.models.map((row) => Object.keys(row as object).sort())).toEqual([
      ['backend', 'config', 'dataHash', 'eventsUsed', 'metrics', 'name', 'snapshot', 'trainedAt'],
      ['name', 'sealed', 'trainedAt'],
    ]);
    expect((await getModel(db, 'mf'))?.eventsUsed).toBe(3);
  });

  it('removing the passphrase stores every record plainly again', async () => {
    db = freshDb();
    await seedShopper(db);
    const before = await readAll(db);
    await db.vault.enable(passphrase, fast);
    await expect(db.vault.disable('nope, wrong')).rejects.toBeInstanceOf(WrongPassphraseError);
    await db.vault.disable(passphrase);
    expect(db.vault.status).toBe('off');
    expect(await db.keyring.count()).toBe(0);
    expect(rawText(await rawRows(db.name))).not.toContain('"sealed"');
    expect(await readAll(db)).toEqual(before);
  });

  it('starts locked when the database is opened again (the key lives in memory only)', async () => {
    await openProtectedShopper();
    const before = await readAll(db);
    db.close();

    db = new AisleDb(db.name);
    await db.open();
    expect(db.vault.status).toBe('locked');
    expect(await db.events.count()).toBe(0);
    await db.vault.unlock(passphrase);
    expect(await readAll(db)).toEqual(before);
  });

  it('after an erase the database reopens without a passphrase', async () => {
    db = freshDb();
    await db.vault.enable(passphrase, fast);
    db.vault.lock();
    await eraseEverything({ db, caches: undefined });
    await db.open();
    expect(db.vault.status).toBe('off');
    const log = new EventLog(db, { batchDelayMs: 0 });
    expect(log.record({ kind: 'view', itemId })).toBe(true);
    await log.flush();
    expect(await db.events.count()).toBe(1);
  });

  it("a second connection (the store worker's) hears of the passphrase and reads with the key it is given", async () => {
    db = freshDb();
    await seedShopper(db);
    const worker = new AisleDb(db.name);
    await worker.open(); // opened before the passphrase was set
    expect(worker.vault.status).toBe('off');
    await db.vault.enable(passphrase, fast);
    const before = await readAll(db);
    // told over the BroadcastChannel: locked until the page hands over the key
    await expect.poll(() => worker.vault.status, patience).toBe('locked');
    expect(await worker.events.count()).toBe(0);

    await worker.vault.useKey(db.vault.key);
    expect(worker.vault.status).toBe('unlocked');
    expect(await readAll(worker)).toEqual(before);
    await worker.vault.useKey(null);
    expect(worker.vault.status).toBe('locked');
    worker.close();
  });

  it('unlocking seals rows another connection wrote plainly before it knew of the passphrase', async () => {
    db = freshDb();
    await db.vault.enable(passphrase, fast);
    db.vault.lock();
    const unaware = openAtVersion(db.name, currentVersion);
    await unaware.table('profile').put({ key: 'profileEdits', value: edits, updatedAt: 30 });
    unaware.close();
    expect(rawText(await rawRows(db.name))).toContain('Metroidvania');

    await db.vault.unlock(passphrase);
    expectNoLeak(rawText(await rawRows(db.name)));
    expect(await getProfileEdits(db)).toEqual(edits);
  });

  it('refuses a short passphrase before anything is stored', async () => {
    db = freshDb();
    await expect(db.vault.enable('short', fast)).rejects.toThrow('at least 8 characters');
    expect(db.vault.status).toBe('off');
    expect(await db.keyring.count()).toBe(0);
  });
});

describe('keyring', () => {
  it('uses OWASP 2023 PBKDF2-SHA256 iterations unless a test asks otherwise', async () => {
    expect(pbkdf2Iterations).toBe(600_000);
    const { keyring } = await createKeyring(passphrase);
    expect(keyring.kdf).toMatchObject({ name: 'PBKDF2', hash: 'SHA-256', iterations: 600_000 });
    expect(keyring.kdf.salt).toHaveLength(16);
    expect(keyring.wrappedKey.iv).toHaveLength(12);
    // a 32-byte key plus AES-GCM's 16-byte tag
    expect(keyring.wrappedKey.data).toHaveLength(48);
  });
});
