// The app's Content-Security-Policy as a response header, and the cross-origin isolation headers. The policy itself lives in one place,
// index.html's <meta>, which the build copies into dist/index.html; the servers read it from
// there, so header and meta can never disagree. The header matters because a <meta> policy
// binds only the page: each worker's policy comes from its own script's response.
import { readFileSync } from 'node:fs';

const metaPolicy = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i;

/** The policy of an HTML page's CSP <meta>, whitespace collapsed; undefined when it has none. */
export function policyFromHtml(html) {
  const match = metaPolicy.exec(html);
  return match ? match[1].replace(/\s+/g, ' ').trim() : undefined;
}

/** The policy of a built index.html; throws when the page has none (a server must not run without it). */
export function policyOfBuild(indexHtmlPath) {
  const policy = policyFromHtml(readFileSync(indexHtmlPath, 'utf8'));
  if (!policy) throw new Error(`${indexHtmlPath} has no Content-Security-Policy <meta>`);
  return policy;
}

/**
 * Cross-origin isolation: with these two headers the page and its workers get SharedArrayBuffer,
 * which tfjs-backend-wasm needs to run its threaded binary (several cores per training step).
 * require-corp costs nothing here: the CSP already keeps every resource on our own origin.
 */
export const isolationHeaders = Object.freeze({
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
});

/** The headers every response of ours carries: the policy, and isolation unless switched off. */
export function responseHeaders(policy, { isolated = true } = {}) {
  return { 'Content-Security-Policy': policy, ...(isolated ? isolationHeaders : {}) };
}

/** Sets the policy (and the isolation headers) on a response before anything is written. */
export function sendHeaders(response, policy, options) {
  for (const [name, value] of Object.entries(responseHeaders(policy, options)))
    response.setHeader(name, value);
}

/**
 * Whether a server runs without the isolation headers: `--no-isolation` or AISLE_NO_ISOLATION=1,
 * for the end-to-end test of a host that cannot set headers.
 */
export function isolationOff(argv, env) {
  return argv.includes('--no-isolation') || env.AISLE_NO_ISOLATION === '1';
}
