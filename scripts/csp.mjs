// The app's Content-Security-Policy as a response header. The policy itself lives in one place,
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

/** Sets the policy on a response before anything is written, whatever ends up answering it. */
export function sendPolicy(response, policy) {
  response.setHeader('Content-Security-Policy', policy);
}
