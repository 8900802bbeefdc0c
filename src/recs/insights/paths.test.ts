import { describe, expect, it } from 'vitest';
import { pathFlows, sessionPath } from './paths';
import { shuffledTestLog, testLog } from './testLog';

const ofSession = (id: string) => testLog.filter((e) => e.sessionId === id);

describe('paths', () => {
  it('a session is its pages, with the row a game was opened from between them', () => {
    expect(sessionPath(ofSession('s1'))).toEqual([
      'Home',
      'For you',
      'Product',
      'Cart',
      'Checkout',
      'Bought',
    ]);
    expect(sessionPath(ofSession('s2'))).toEqual([
      'Home',
      'Trending',
      'Product',
      'Home',
      'Browse',
      'Product',
    ]);
    // two purchases in a row are one step
    expect(sessionPath(ofSession('s3'))).toEqual(['Cart', 'Checkout', 'Bought']);
  });

  it('flows are numbered by step, so returning to a page is a new node, not a loop', () => {
    const flows = pathFlows(shuffledTestLog, 3);
    expect(flows.nodes.map((n) => n.id)).toEqual([
      '0:Cart',
      '0:Home',
      '1:Checkout',
      '1:For you',
      '1:Trending',
      '2:Bought',
      '2:Product',
    ]);
    expect(flows.links).toEqual([
      { from: '0:Cart', to: '1:Checkout', sessions: 1 },
      { from: '0:Home', to: '1:For you', sessions: 1 },
      { from: '0:Home', to: '1:Trending', sessions: 1 },
      { from: '1:Checkout', to: '2:Bought', sessions: 1 },
      { from: '1:For you', to: '2:Product', sessions: 1 },
      { from: '1:Trending', to: '2:Product', sessions: 1 },
    ]);
    // the full paths: session 2 comes back home at step 3
    expect(
      pathFlows(testLog)
        .nodes.filter((n) => n.label === 'Home')
        .map((n) => n.id),
    ).toEqual(['0:Home', '3:Home']);
  });

  it('counts the sessions that share a transition; a one-page session has no flow', () => {
    const visit = (sessionId: string, at: number) => [
      { kind: 'pageView' as const, sessionId, at, page: 'home' },
      { kind: 'recClick' as const, sessionId, at: at + 1, itemId: 1, placement: 'home:forYou' },
    ];
    const flows = pathFlows([
      ...visit('a', 0),
      ...visit('b', 10),
      { kind: 'pageView', sessionId: 'c', at: 20, page: 'cart' },
    ]);
    expect(flows.links).toEqual([{ from: '0:Home', to: '1:For you', sessions: 2 }]);
    expect(flows.nodes.map((n) => n.label)).toEqual(['Home', 'For you']);
  });
});
