import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { policyFromHtml } from './csp.mjs';

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
    expect(parsed.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(policy).not.toContain("'unsafe-eval'");
    expect(parsed.get('connect-src')).toEqual(["'self'"]);
    expect(parsed.get('worker-src')).toEqual(["'self'"]);
    expect(parsed.get('default-src')).toEqual(["'self'"]);
  });
});
