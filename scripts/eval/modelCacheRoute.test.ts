import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { modelCacheRoute } from './modelCacheRoute';

let server: Server | undefined;
let dir = '';

afterEach(() => {
  server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A server that gives the route every path (as the runner does below its private path). */
async function serve(): Promise<string> {
  dir = mkdtempSync(join(tmpdir(), 'aisle-model-cache-'));
  const route = modelCacheRoute(dir);
  server = createServer((request, response) => {
    const name = new URL(request.url ?? '/', 'http://localhost').pathname.slice(1);
    if (!route(request, response, name)) response.writeHead(418).end('not the route');
  });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
}

describe('modelCacheRoute', () => {
  it('stores a PUT as DIR/KEY.bin and answers GET with it; 404 for a key never stored', async () => {
    const base = await serve();
    expect((await fetch(`${base}model-cache/sasrec-01`)).status).toBe(404);
    const put = await fetch(`${base}model-cache/sasrec-01`, {
      method: 'PUT',
      body: Uint8Array.from([9, 8, 7]),
    });
    expect(put.status).toBe(200);
    expect(Array.from(readFileSync(join(dir, 'sasrec-01.bin')))).toEqual([9, 8, 7]);
    expect(readdirSync(dir)).toEqual(['sasrec-01.bin']); // no partial file left behind
    const got = await fetch(`${base}model-cache/sasrec-01`);
    expect(Array.from(new Uint8Array(await got.arrayBuffer()))).toEqual([9, 8, 7]);
  });

  it('refuses keys that could leave the folder and other methods; leaves other paths alone', async () => {
    const base = await serve();
    expect((await fetch(`${base}model-cache/..%2Fescape`)).status).toBe(400);
    expect((await fetch(`${base}model-cache/Upper`)).status).toBe(400);
    expect((await fetch(`${base}model-cache/mf-1`, { method: 'DELETE' })).status).toBe(405);
    expect((await fetch(`${base}data`)).status).toBe(418);
    expect(readdirSync(dir)).toEqual([]);
  });
});
