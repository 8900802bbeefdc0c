// Headers on the service worker's answers: on static hosts that cannot send COOP/COEP (or the
// CSP), the service worker adds them to every response it serves, so the page and its workers
// become cross-origin isolated (SharedArrayBuffer: the threaded wasm backend) and keep the policy.
// The approach of the "coi-serviceworker" project.

/** `response` with `headers` set; an opaque response (status 0) cannot be rebuilt and stays as it is. */
export function withHeaders(response: Response, headers: Record<string, string>): Response {
  if (response.status === 0) return response;
  const merged = new Headers(response.headers);
  for (const [name, value] of Object.entries(headers)) merged.set(name, value);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: merged,
  });
}
