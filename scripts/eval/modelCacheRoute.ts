// `--model-cache DIR`: the runner's side of the lab worker's model cache (src/worker/lab/httpModelCache.ts).
// Under the runner's private path, `model-cache/KEY` answers GET with the file DIR/KEY.bin (404 when
// there is none) and stores a PUT's body there, written to a temporary file first and renamed, so a
// run stopped half-way never leaves a truncated entry that a later run would load.
import { createReadStream, createWriteStream, mkdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { modelCacheKeyPattern } from '../../src/ml/modelCache';

/** The folder, under the runner's private path, that the worker is given as `modelCacheUrl`. */
export const modelCacheFolder = 'model-cache/';

/** Far above any model the lab trains (SASRec on Beauty: about 3.5 MB), far below the disk. */
export const maxModelCacheEntryBytes = 1024 * 1024 * 1024;

/**
 * A handler for the requests under the private path: true when it answered one (a `model-cache/`
 * path), false for the others, which the runner serves as before.
 */
export function modelCacheRoute(
  dir: string,
): (request: IncomingMessage, response: ServerResponse, privateName: string) => boolean {
  mkdirSync(dir, { recursive: true });
  return (request, response, privateName) => {
    if (!privateName.startsWith(modelCacheFolder)) return false;
    const key = privateName.slice(modelCacheFolder.length);
    if (!modelCacheKeyPattern.test(key)) {
      response.writeHead(400).end('not a model cache key');
      return true;
    }
    const file = join(dir, `${key}.bin`);
    if (request.method === 'GET') sendEntry(file, response);
    else if (request.method === 'PUT') storeEntry(file, request, response);
    else response.writeHead(405, { allow: 'GET, PUT' }).end();
    return true;
  };
}

function sendEntry(file: string, response: ServerResponse): void {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    response.writeHead(404).end('not in the model cache');
    return;
  }
  response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
  createReadStream(file)
    .on('error', () => response.destroy())
    .pipe(response);
}

function storeEntry(file: string, request: IncomingMessage, response: ServerResponse): void {
  const partial = `${file}.${process.pid}.partial`;
  const out = createWriteStream(partial);
  let bytes = 0;
  const fail = (status: number, why: string) => {
    request.unpipe(out);
    out.destroy();
    try {
      unlinkSync(partial);
    } catch {
      // nothing was written yet
    }
    if (!response.headersSent) response.writeHead(status).end(why);
  };
  request.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > maxModelCacheEntryBytes) fail(413, 'model cache entry too large');
  });
  request.on('error', () => fail(400, 'upload broken off'));
  out.on('error', (error) => fail(500, `could not write the entry: ${error.message}`));
  out.on('finish', () => {
    if (response.headersSent) return;
    renameSync(partial, file);
    // 200 with a body, not 204: the app's service worker copies each answer into a new Response
    // with its headers, and a 204 from the network arrives with a body stream that such a copy
    // refuses ("Failed to fetch" in the worker, although the entry was stored)
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('stored');
  });
  request.pipe(out);
}
