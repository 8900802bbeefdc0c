// Serves dist/ the way a static host would, optionally under a sub-path
// (`--base /aisle/`) to prove the build works from any folder. No SPA fallback:
// routing is hash-based, so a static host never needs one. Every response carries the
// Content-Security-Policy of index.html as a header, so the workers get it too (a worker's
// policy comes from its own script's response, never from the page's <meta>), and the
// cross-origin isolation headers the threaded wasm backend needs; `--no-isolation` (or
// AISLE_NO_ISOLATION=1) leaves those out, standing for a host that cannot set headers.
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';
import { isolationOff, policyOfBuild, sendHeaders } from './csp.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const port = Number(option('port', process.env.PORT ?? 4173));
const base = `/${option('base', '/').replace(/^\/+|\/+$/g, '')}/`.replace('//', '/');
const root = fileURLToPath(new URL('../dist', import.meta.url));
if (!existsSync(root)) {
  console.error('dist/ does not exist: run `npm run build` first.');
  process.exit(1);
}
const files = sirv(root, { etag: true, gzip: false, dev: false });
const policy = policyOfBuild(join(root, 'index.html'));
const isolated = !isolationOff(args, process.env);

const server = createServer((request, response) => {
  sendHeaders(response, policy, { isolated });
  const url = request.url ?? '/';
  if (base !== '/' && url === base.slice(0, -1)) {
    response.writeHead(301, { location: base }).end();
    return;
  }
  if (!url.startsWith(base)) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end(`Aisle is served under ${base}`);
    return;
  }
  request.url = `/${url.slice(base.length)}`;
  files(request, response, () => response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found'));
});
// --port 0 takes a free port: the line says which (the end-to-end tests read it)
server.listen(port, '127.0.0.1', () => {
  const address = `http://127.0.0.1:${server.address().port}${base}`;
  console.log(`Aisle: ${address}${isolated ? '' : ' (not cross-origin isolated)'}`);
});
