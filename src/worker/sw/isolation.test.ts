import { describe, expect, it } from 'vitest';
import { withHeaders } from './isolation';

const isolation = {
  'Content-Security-Policy': "default-src 'self'",
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

describe('withHeaders', () => {
  it('adds the policy and isolation headers and keeps the body, status and other headers', async () => {
    const original = new Response('hello', {
      status: 201,
      statusText: 'Created',
      headers: { 'content-type': 'text/plain', 'cross-origin-opener-policy': 'unsafe-none' },
    });
    const answered = withHeaders(original, isolation);
    expect(answered.status).toBe(201);
    expect(answered.statusText).toBe('Created');
    expect(answered.headers.get('content-type')).toBe('text/plain');
    expect(answered.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(answered.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(answered.headers.get('content-security-policy')).toBe("default-src 'self'");
    expect(await answered.text()).toBe('hello');
  });

  it('passes an answer without a body through', () => {
    const answered = withHeaders(new Response(null, { status: 304 }), isolation);
    expect(answered.status).toBe(304);
    expect(answered.body).toBeNull();
  });

  it('rebuilds a 204 that arrives with an empty body stream (as Chromium gives one) without a body', () => {
    const fromNetwork = {
      status: 204,
      statusText: 'No Content',
      headers: new Headers(),
      body: new ReadableStream(),
    } as Response;
    const answered = withHeaders(fromNetwork, isolation);
    expect(answered.status).toBe(204);
    expect(answered.body).toBeNull();
    expect(answered.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
  });

  it('leaves an opaque answer as it is (it cannot be rebuilt)', () => {
    const opaque = { status: 0, headers: new Headers() } as Response;
    expect(withHeaders(opaque, isolation)).toBe(opaque);
  });
});
