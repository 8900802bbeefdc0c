import { describe, expect, it } from 'vitest';
import { earlyScriptFileName, withEarlyScript } from './earlyPaintPlugin';

describe('the early paint script in index.html', () => {
  it("goes inside the app's element, where the kept row is painted", () => {
    expect(withEarlyScript('<body>\n<div id="app"></div>\n</body>', './assets/early-paint-1.js')).toBe(
      '<body>\n<div id="app"><script async src="./assets/early-paint-1.js"></script></div>\n</body>',
    );
  });

  it('an index.html without the element is a build error, not a page without the script', () => {
    expect(() => withEarlyScript('<div id="root"></div>', 'x.js')).toThrow(/div id="app"/);
  });

  it("is named by its content's hash, so a new build's script is never an old cached copy", () => {
    // SHA-256 of "a" begins ca978112
    expect(earlyScriptFileName('a')).toBe('assets/early-paint-ca978112.js');
  });
});
