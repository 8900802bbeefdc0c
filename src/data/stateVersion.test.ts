import type { DBCoreMutateRequest } from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addToCart } from './cart';
import type { AisleDb } from './db';
import { mutateMiddleware } from './mutateMiddleware';
import { setMeasuredBackend, setSetting } from './settings';
import { bumpStateVersion, readStateVersion, stateVersionKey, writeMayChangeRows } from './stateVersion';
import { cleanUpAfterEach, fakeStorage, freshDb } from './testSupport';
import type { ShopperEvent } from './types';

const put = (values: object[]): DBCoreMutateRequest =>
  ({ type: 'put', values, trans: {} as IDBTransaction }) as unknown as DBCoreMutateRequest;
const event = (kind: ShopperEvent['kind'], itemId?: number) => ({ kind, at: 1, sessionId: 's', itemId });

describe('which writes may change the home rows', () => {
  it('an event that shows taste does; one that only records what was shown or opened does not', () => {
    expect(writeMayChangeRows('events', put([event('view', 3)]))).toBe(true);
    expect(writeMayChangeRows('events', put([event('impression', 3), event('pageView')]))).toBe(false);
    // one tasteful event in a batch of impressions is enough
    expect(writeMayChangeRows('events', put([event('impression', 3), event('recFeedback', 3)]))).toBe(true);
  });

  it('the cart, the profile, the keyring and every setting but where tfjs runs do', () => {
    expect(writeMayChangeRows('cartLines', put([{ itemId: 3 }]))).toBe(true);
    expect(writeMayChangeRows('profile', put([{ key: 'edits' }]))).toBe(true);
    expect(writeMayChangeRows('keyring', put([{ id: 'data-key' }]))).toBe(true);
    expect(writeMayChangeRows('settings', put([{ key: 'diversity', value: 0.5 }]))).toBe(true);
    expect(writeMayChangeRows('settings', put([{ key: 'measuredBackend', value: {} }]))).toBe(false);
  });

  it('every deletion does (an expired view changes the history), models and lab runs never do', () => {
    const deletion = { type: 'delete', keys: [1] } as unknown as DBCoreMutateRequest;
    expect(writeMayChangeRows('events', deletion)).toBe(true);
    expect(writeMayChangeRows('models', put([{ name: 'mf' }]))).toBe(false);
    expect(writeMayChangeRows('evalRuns', put([{ id: 1 }]))).toBe(false);
  });
});

describe('the state version in localStorage', () => {
  it('is absent until bumped, then a fresh token at every bump', () => {
    const storage = fakeStorage({});
    expect(readStateVersion(storage)).toBeNull();
    bumpStateVersion(storage);
    const first = readStateVersion(storage);
    bumpStateVersion(storage);
    expect(first).not.toBeNull();
    expect(readStateVersion(storage)).not.toBe(first);
  });

  it('makes room by dropping the kept rows and markup when storage is full, and never throws', () => {
    const values = new Map([
      ['aisle:home-rows', 'x'.repeat(100)],
      ['aisle:home-markup', 'y'.repeat(100)],
    ]);
    const tight: Storage = {
      ...fakeStorage({}),
      getItem: (key) => values.get(key) ?? null,
      removeItem: (key) => void values.delete(key),
      setItem: (key, value) => {
        // full while either large value is there
        if (values.has('aisle:home-rows') || values.has('aisle:home-markup'))
          throw new DOMException('full', 'QuotaExceededError');
        values.set(key, value);
      },
    };
    bumpStateVersion(tight);
    expect(values.has('aisle:home-rows')).toBe(false);
    expect(values.has('aisle:home-markup')).toBe(false);
    expect(tight.getItem(stateVersionKey)).not.toBeNull();
    const refusing = { ...fakeStorage({}), setItem: () => tight.setItem('aisle:home-rows', '') };
    values.set('aisle:home-rows', 'x');
    expect(() => bumpStateVersion(refusing as Storage)).not.toThrow();
    expect(readStateVersion(null)).toBeNull();
  });
});

describe('the database bumps the version before it writes', () => {
  let db: AisleDb | undefined;
  cleanUpAfterEach(() => db);
  let storage: Storage;
  /** the version seen by the last write as it reached IndexedDB (below every other layer) */
  let seenByWrite: (string | null)[];

  beforeEach(() => {
    storage = fakeStorage({});
    vi.stubGlobal('localStorage', storage);
    seenByWrite = [];
    db = freshDb();
    const probe = mutateMiddleware('probe', -10, (_table, request, write) => {
      seenByWrite.push(readStateVersion(storage));
      return write(request);
    });
    db.use(probe);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('a cart line and a setting each change the version before they reach IndexedDB', async () => {
    await addToCart(db!, 3);
    const afterCart = readStateVersion(storage);
    expect(afterCart).not.toBeNull();
    expect(seenByWrite).toEqual([afterCart]);
    await setSetting(db!, 'diversity', 0.6);
    expect(readStateVersion(storage)).not.toBe(afterCart);
    expect(seenByWrite[1]).toBe(readStateVersion(storage));
  });

  it('page views, impressions and the backend race leave it as it was', async () => {
    await db!.events.bulkAdd([event('pageView'), event('impression', 3)] as ShopperEvent[]);
    await setMeasuredBackend(db!, { backend: 'wasm', measuredAt: 1, reason: 'raced' } as never);
    expect(seenByWrite).toHaveLength(2);
    expect(readStateVersion(storage)).toBeNull();
    await db!.events.add(event('view', 3) as ShopperEvent);
    expect(readStateVersion(storage)).not.toBeNull();
  });
});
