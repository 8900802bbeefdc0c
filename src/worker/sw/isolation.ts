// Headers on the service worker's answers: on static hosts that cannot send COOP/COEP (or the
// CSP), the service worker adds them to every response it serves, so the page and its workers
// become cross-origin isolated (SharedArrayBuffer: the threaded wasm backend) and keep the policy.
// The approach of the "coi-serviceworker" project.

/**
 * Statuses whose answer may not have a body. Chromium hands a service worker a 204 from the network
 * with an empty body stream all the same, and rebuilding it with that stream throws.
 */
const nullBodyStatuses = new Set([101, 103, 204, 205, 304]);

/** `response` with `headers` set; an opaque response (status 0) cannot be rebuilt and stays as it is. */
export function withHeaders(response: Response, headers: Record<string, string>): Response {
  if (response.status === 0) return response;
  const merged = new Headers(response.headers);
  for (const [name, value] of Object.entries(headers)) merged.set(name, value);
  return new Response(nullBodyStatuses.has(response.status) ? null : response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: merged,
  });
}
