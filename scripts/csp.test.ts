import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isolationHeaders, isolationOff, policyFromHtml, responseHeaders } from './csp.mjs';

/** directive -> its sources */
const directives = (policy: string) =>
  new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name, sources]),
  );

describe('the Content-Security-Policy', () => {
  const policy = policyFromHtml(readFileSync(new URL('../index.html', import.meta.url), 'utf8'));

  it('is read from index.html, the one place it is written', () => {
    expect(
      policyFromHtml('<meta http-equiv="Content-Security-Policy"\n  content="default-src  \'self\'">'),
    ).toBe("default-src 'self'");
    expect(policyFromHtml('<meta name="referrer" content="no-referrer">')).toBeUndefined();
    expect(policy).toMatch(/^default-src 'self';/);
  });

  it('lets scripts come from this origin only, with WebAssembly but never string eval', () => {
    const parsed = directives(policy!);
    // blob: is the threaded wasm binary's helper threads, made from tfjs's own code
    expect(parsed.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'", 'blob:']);
    expect(policy).not.toContain("'unsafe-eval'");
    expect(parsed.get('connect-src')).toEqual(["'self'"]);
    expect(parsed.get('worker-src')).toEqual(["'self'", 'blob:']);
    expect(parsed.get('manifest-src')).toEqual(["'self'"]);
    expect(parsed.get('default-src')).toEqual(["'self'"]);
  });
});

describe('the response headers', () => {
  it('carry the policy and cross-origin isolation', () => {
    expect(responseHeaders("default-src 'self'")).toEqual({
      'Content-Security-Policy': "default-src 'self'",
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    });
    expect(isolationHeaders['Cross-Origin-Embedder-Policy']).toBe('require-corp');
  });

  it('carry only the policy when isolation is switched off', () => {
    expect(responseHeaders('p', { isolated: false })).toEqual({ 'Content-Security-Policy': 'p' });
  });

  it('are switched off by --no-isolation or AISLE_NO_ISOLATION=1 only', () => {
    expect(isolationOff(['--base', '/aisle/', '--no-isolation'], {})).toBe(true);
    expect(isolationOff([], { AISLE_NO_ISOLATION: '1' })).toBe(true);
    expect(isolationOff([], { AISLE_NO_ISOLATION: '0' })).toBe(false);
    expect(isolationOff(['--port', '4306'], {})).toBe(false);
  });
});
