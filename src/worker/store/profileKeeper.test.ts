import { describe, expect, it } from 'vitest';
import type { ProfileEdits, ShopperProfile } from '../../data/profileTypes';
import type { ShopperEvent } from '../../data/types';
import { emptyEdits, profileCatalog, setAdjustment, setEventExcluded } from '../../recs/profile';
import { event, game } from '../../recs/profile/testSupport';
import { ProfileKeeper, type ProfileStore } from './profileKeeper';
import type { InterestQuery } from './profilePredictor';
import type { ProfileStatus } from './protocol';

const catalog = profileCatalog([
  game(0, { genres: ['Strategy'] }),
  game(1, { genres: ['Strategy'] }),
  game(2, { genres: ['Racing'] }),
]);
const dayMs = 86_400_000;

/** An in-memory store that counts full reads and keeps what was written. */
function fakeStore(events: ShopperEvent[], edits?: ProfileEdits) {
  const written = { profile: null as ShopperProfile | null, edits: edits ?? null, fullReads: 0 };
  const store: ProfileStore = {
    allEvents: async () => {
      written.fullReads++;
      return events.map((e) => ({ ...e }));
    },
    eventsAfter: async (id) => events.filter((e) => e.id! > id).map((e) => ({ ...e })),
    getEdits: async () => written.edits ?? undefined,
    putProfile: async (profile) => void (written.profile = structuredClone(profile)),
    putProfileWithEdits: async (profile, newEdits) => {
      written.profile = structuredClone(profile);
      written.edits = newEdits;
    },
  };
  return { store, written };
}

function keeper(store: ProfileStore) {
  const statuses: ProfileStatus[] = [];
  const kept = new ProfileKeeper({
    catalog,
    community: null,
    store,
    publish: (status) => statuses.push(status),
    // the day of the last event: no decay to reason about
    now: () => 2 * dayMs,
    persistDelayMs: 0,
  });
  return { kept, statuses, last: () => statuses.at(-1)! };
}

const genres = (status: ProfileStatus) =>
  status.view.affinities.genre.map((a) => [a.value, a.weight, a.evidence]);

describe("the worker's profile keeper", () => {
  it('builds at start, then folds in only the events above its high-water mark', async () => {
    const events = [event(1, 'view', 0, 2), event(2, 'view', 2, 2)];
    const { store, written } = fakeStore(events);
    const { kept, last, statuses } = keeper(store);
    await kept.rebuild();
    // two views, strength 1 each, no decay at day 2
    expect(genres(last())).toEqual([
      ['Racing', 1, [2]],
      ['Strategy', 1, [1]],
    ]);
    events.push(event(3, 'cartAdd', 1, 2));
    await kept.sync();
    await kept.sync(); // nothing new: event 3 is not applied twice
    // Strategy: view 1 + cart 3 = 4, the cart first in its evidence
    expect(genres(last())[0]).toEqual(['Strategy', 4, [3, 1]]);
    expect(last().evidenceEvents[3]).toEqual({ kind: 'cartAdd', at: 2 * dayMs, itemId: 1 });
    // the status after the fold says how long it took per event; the rebuild's said nothing
    expect(statuses[0].updateMsPerEvent).toBeNull();
    expect(statuses[1].updateMsPerEvent).toBeGreaterThanOrEqual(0);
    expect(written.fullReads).toBe(1);
    await kept.flush();
    expect(written.profile?.activity.eventCount).toBe(3);
  });

  it('rebuilds for an exclusion but not for a mute, and stores the edits with the profile', async () => {
    const events = [event(1, 'view', 0, 2), event(2, 'view', 1, 2), event(3, 'view', 2, 2)];
    const { store, written } = fakeStore(events);
    const { kept, last } = keeper(store);
    await kept.rebuild();
    const muted = setAdjustment(emptyEdits(), 'genre', 'Racing', 'mute');
    await kept.setEdits(muted);
    expect(written.fullReads).toBe(1);
    expect(written.edits).toEqual(muted);
    expect(last().view.affinities.genre.find((a) => a.value === 'Racing')?.adjustment).toBe('mute');
    await kept.setEdits(setEventExcluded(muted, 2, true));
    expect(written.fullReads).toBe(2);
    // event 2 (a Strategy view) no longer counts, nor is it cited
    expect(genres(last())).toEqual([
      ['Racing', 1, [3]],
      ['Strategy', 1, [1]],
    ]);
    expect(last().evidenceEvents[2]).toBeUndefined();
    expect(written.profile?.activity.eventCount).toBe(2);
    // a new event stored later is still used; event 2 is not brought back by a sync
    events.push(event(4, 'view', 1, 2));
    await kept.sync();
    expect(genres(last())[0]).toEqual(['Strategy', 2, [4, 1]]);
  });

  it('forgets everything after an erase without reading or writing the store', async () => {
    const { store, written } = fakeStore([event(1, 'view', 0, 2)], setEventExcluded(emptyEdits(), 9, true));
    const { kept, last } = keeper(store);
    await kept.rebuild();
    written.profile = null;
    await kept.forget();
    expect(last().view.affinities.genre).toEqual([]);
    expect(last().edits).toEqual(emptyEdits());
    expect(written.fullReads).toBe(1);
    // the debounced write of the rebuild was cancelled: nothing recreates the erased database
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(written.profile).toBeNull();
  });

  it('starts from the stored edits', async () => {
    const edits = setEventExcluded(emptyEdits(), 1, true);
    const { store } = fakeStore([event(1, 'view', 0, 2), event(2, 'view', 2, 2)], edits);
    const { kept, last } = keeper(store);
    await kept.rebuild();
    expect(genres(last())).toEqual([['Racing', 1, [2]]]);
    expect(last().edits).toEqual(edits);
  });
});

describe('predicted interests in the keeper', () => {
  /** A predictor that records what it was asked and predicts the genres it was told were seen. */
  function recordingPredictor() {
    const queries: InterestQuery[] = [];
    return {
      queries,
      predict: (query: InterestQuery) => {
        queries.push(query);
        return [...query.seenGenres].map((value) => ({
          dimension: 'genre' as const,
          value,
          probability: 0.5,
          typical: 0.1,
          seen: true,
        }));
      },
    };
  }

  it('has none until the model exists, then asks it with every status: usable history, mutes', async () => {
    const events = [event(1, 'view', 0, 1), event(2, 'view', 2, 1.5), event(3, 'impression', 1, 1.6)];
    const { store } = fakeStore(events);
    const { kept, last } = keeper(store);
    await kept.rebuild();
    expect(last().predicted).toBeUndefined();

    const predictor = recordingPredictor();
    await kept.usePredictor(predictor);
    // an impression is no taste: the history is the two viewed games, oldest first
    expect(predictor.queries.at(-1)!.history).toEqual([0, 2]);
    expect(
      last()
        .predicted!.map((p) => p.value)
        .sort(),
    ).toEqual(['Racing', 'Strategy']);

    // a new event updates the prediction
    events.push(event(4, 'cartAdd', 1, 1.8));
    await kept.sync();
    expect(predictor.queries.at(-1)!.history).toEqual([0, 2, 1]);

    // "don't use" takes the event out of the history; a mute reaches the predictor
    let edits = setEventExcluded(emptyEdits(), 2, true);
    edits = setAdjustment(edits, 'genre', 'Strategy', 'mute');
    await kept.setEdits(edits);
    const asked = predictor.queries.at(-1)!;
    expect(asked.history).toEqual([0, 1]);
    expect([...asked.seenGenres]).toEqual(['Strategy']);
    expect([...asked.mutedGenres]).toEqual(['Strategy']);
  });
});
