// A small event log of three sessions, small enough to work every insight out by hand.
// The expected values in the tests beside this file are derived in their comments.
import type { ShopperEvent } from '../../data/types';

export const hour = 3_600_000;
export const day = 24 * hour;
/** Session 2 starts an hour after session 1; session 3 is at 01:00 UTC the next day. */
export const s2Start = hour;
export const s3Start = day + hour;

type Draft = Omit<ShopperEvent, 'id' | 'sessionId'>;

const session1: Draft[] = [
  { kind: 'pageView', at: 0, page: 'home' },
  {
    kind: 'impression',
    at: 1_000,
    itemId: 10,
    placement: 'home:forYou',
    position: 0,
    model: 'baseline blend',
  },
  {
    kind: 'impression',
    at: 1_000,
    itemId: 11,
    placement: 'home:forYou',
    position: 1,
    model: 'baseline blend',
  },
  { kind: 'impression', at: 1_000, itemId: 20, placement: 'home:trending', position: 0, model: 'popularity' },
  { kind: 'recClick', at: 5_000, itemId: 10, placement: 'home:forYou', position: 0, model: 'baseline blend' },
  { kind: 'pageView', at: 6_000, page: 'game' },
  { kind: 'view', at: 6_000, itemId: 10 },
  { kind: 'cartAdd', at: 30_000, itemId: 10 },
  { kind: 'pageView', at: 31_000, page: 'cart' },
  { kind: 'pageView', at: 40_000, page: 'checkout' },
  { kind: 'purchase', at: 50_000, itemId: 10, price: 20 },
];

const t = s2Start;
const session2: Draft[] = [
  { kind: 'pageView', at: t, page: 'home' },
  {
    kind: 'impression',
    at: t + 1_000,
    itemId: 11,
    placement: 'home:forYou',
    position: 0,
    model: 'learned blend',
  },
  {
    kind: 'impression',
    at: t + 1_000,
    itemId: 20,
    placement: 'home:trending',
    position: 0,
    model: 'popularity',
  },
  {
    kind: 'recFeedback',
    at: t + 2_000,
    itemId: 11,
    placement: 'home:forYou',
    thumbs: 'up',
    model: 'learned blend',
  },
  { kind: 'notInterested', at: t + 3_000, itemId: 20, placement: 'home:trending', model: 'popularity' },
  // clicked before its impression was recorded: counts as a click all the same
  {
    kind: 'recClick',
    at: t + 4_000,
    itemId: 21,
    placement: 'home:trending',
    position: 1,
    model: 'popularity',
  },
  { kind: 'pageView', at: t + 5_000, page: 'game' },
  { kind: 'view', at: t + 5_000, itemId: 21 },
  { kind: 'cartAdd', at: t + 10_000, itemId: 21 },
  { kind: 'pageView', at: t + 20_000, page: 'home' },
  { kind: 'pageView', at: t + 21_000, page: 'browse' },
  { kind: 'pageView', at: t + 22_000, page: 'game' },
  { kind: 'view', at: t + 22_000, itemId: 30 },
  { kind: 'cartAdd', at: t + 30_000, itemId: 30 },
  { kind: 'satisfaction', at: t + 40_000, answer: 'useful' },
  {
    kind: 'recFeedback',
    at: t + 41_000,
    itemId: 11,
    placement: 'home:forYou',
    thumbs: 'down',
    model: 'learned blend',
  },
];

const d = s3Start;
const session3: Draft[] = [
  { kind: 'pageView', at: d, page: 'cart' },
  { kind: 'pageView', at: d + 1_000, page: 'checkout' },
  // bought in a later session than the click on 21: not attributed to the recommendation
  { kind: 'purchase', at: d + 2_000, itemId: 21, price: 10 },
  { kind: 'purchase', at: d + 2_000, itemId: 30, price: 5 },
  { kind: 'satisfaction', at: d + 3_000, answer: 'notUseful' },
  { kind: 'view', at: d + 4_000, itemId: 40 },
];

/** Ids in recording order, as the database assigns them. */
export const testLog: ShopperEvent[] = [
  ...session1.map((e) => ({ ...e, sessionId: 's1' })),
  ...session2.map((e) => ({ ...e, sessionId: 's2' })),
  ...session3.map((e) => ({ ...e, sessionId: 's3' })),
].map((e, index) => ({ ...e, id: index + 1 }));

/** The log's events in a scrambled order, to show no insight depends on the order it is given. */
export const shuffledTestLog: ShopperEvent[] = testLog.map((_, i) => testLog[(i * 7) % testLog.length]);
