import { describe, expect, it } from 'vitest';
import { shouldReloadForIsolation } from './isolationReload';

describe('shouldReloadForIsolation', () => {
  it('reloads once the service worker controls a page that is not isolated yet', () => {
    expect(shouldReloadForIsolation({ isolated: false, controlled: true, alreadyReloaded: false })).toBe(
      true,
    );
  });

  it('never reloads twice: a browser that ignores the headers must not loop', () => {
    expect(shouldReloadForIsolation({ isolated: false, controlled: true, alreadyReloaded: true })).toBe(
      false,
    );
  });

  it('never reloads without session storage to remember it by', () => {
    expect(shouldReloadForIsolation({ isolated: false, controlled: true, alreadyReloaded: null })).toBe(
      false,
    );
  });

  it('does not reload an isolated page (the server sent the headers) or one no service worker controls', () => {
    expect(shouldReloadForIsolation({ isolated: true, controlled: true, alreadyReloaded: false })).toBe(
      false,
    );
    expect(shouldReloadForIsolation({ isolated: false, controlled: false, alreadyReloaded: false })).toBe(
      false,
    );
  });
});
