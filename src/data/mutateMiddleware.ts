// A Dexie DBCore middleware that sees every table's writes and nothing else: the shape the test
// fault hooks (faultHooks.ts) and the state version (stateVersion.ts) share.
import type { DBCore, DBCoreMutateRequest, DBCoreMutateResponse, Middleware } from 'dexie';

/** What runs in place of a write: call `write` to pass it on down, or don't. */
export type MutateWrapper = (
  table: string,
  request: DBCoreMutateRequest,
  write: (request: DBCoreMutateRequest) => Promise<DBCoreMutateResponse>,
) => Promise<DBCoreMutateResponse>;

/** `level` places it in Dexie's stack: lower is nearer IndexedDB (the encryption layer is at -2). */
export function mutateMiddleware(name: string, level: number, wrap: MutateWrapper): Middleware<DBCore> {
  return {
    stack: 'dbcore',
    name,
    level,
    create: (down) => ({
      ...down,
      table: (tableName) => {
        const table = down.table(tableName);
        return {
          ...table,
          mutate: (request) => wrap(tableName, request, (passed) => table.mutate(passed)),
        };
      },
    }),
  };
}
