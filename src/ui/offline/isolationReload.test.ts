import { describe, expect, it } from 'vitest';
import { shouldReloadForIsolation, type IsolationFacts } from './isolationReload';

/** A page the service worker controls, not isolated yet, never reloaded: the one case that reloads. */
const reloadable: IsolationFacts = { isolated: false, controlled: true, alreadyReloaded: false };

/** Whether the page reloads when it differs from `reloadable` only by `change`. */
const reloadsWith = (change: Partial<IsolationFacts>): boolean =>
  shouldReloadForIsolation({ ...reloadable, ...change });

describe('shouldReloadForIsolation', () => {
  it('reloads once the service worker controls a page that is not isolated yet', () => {
    expect(reloadsWith({})).toBe(true);
  });

  it('never reloads twice: a browser that ignores the headers must not loop', () => {
    expect(reloadsWith({ alreadyReloaded: true })).toBe(false);
  });

  it('never reloads without session storage to remember it by', () => {
    expect(reloadsWith({ alreadyReloaded: null })).toBe(false);
  });

  it('does not reload an isolated page (the server sent the headers) or one no service worker controls', () => {
    expect(reloadsWith({ isolated: true })).toBe(false);
    expect(reloadsWith({ controlled: false })).toBe(false);
  });
});
