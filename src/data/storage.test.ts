import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { AisleDb } from './db';
import { describeWriteFailure } from './events';
import { isStorageUnavailable, memoryOnlyNotice, openStorage } from './storage';
import { freshDb } from './testSupport';

/** An IndexedDB factory as a browser with blocked site data has it: open() throws. */
const blockedIndexedDb = {
  open() {
    throw new DOMException('The operation is insecure.', 'SecurityError');
  },
} as unknown as IDBFactory;
const blockedDb = () =>
  new AisleDb('blocked', { indexedDB: blockedIndexedDb, IDBKeyRange: class {} as never });

describe('openStorage', () => {
  it('opens a working database', async () => {
    const db = freshDb();
    expect(await openStorage(db)).toEqual({ ok: true });
    await db.delete();
  });

  it('says plainly that nothing will be remembered when the browser refuses storage', async () => {
    const check = await openStorage(blockedDb());
    expect(check).toMatchObject({ ok: false, message: memoryOnlyNotice });
    expect(memoryOnlyNotice).toContain('nothing will be remembered');
  });

  it('reads a later DatabaseClosedError as no storage, not as a damaged database', async () => {
    const db = blockedDb();
    await openStorage(db);
    // every call after a failed open fails like this, with the open's cause inside
    const error = await db.cartLines.add({ itemId: 1, addedAt: 0 }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('DatabaseClosedError');
    expect(isStorageUnavailable(error)).toBe(true);
    const message = describeWriteFailure(error, 2, 3);
    expect(message).toBe(
      'This browser is not letting Aisle store anything (private browsing or blocked site data): the last 2 events were not saved. They are kept in this tab until it closes.',
    );
    expect(message).not.toContain('erase');
  });

  it('still calls a database that is merely closed or damaged by its name', () => {
    const closed = Object.assign(new Error('closed'), { name: 'DatabaseClosedError' });
    expect(isStorageUnavailable(closed)).toBe(false);
    expect(describeWriteFailure(closed, 1, 3)).toContain('closed or damaged');
  });
});
