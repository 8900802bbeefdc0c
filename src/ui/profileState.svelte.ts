// What the store worker believes about the shopper (its latest 'profile' status), shared by
// the profile page, "Your data" and the "Why this?" of every card, and the shopper's edits
// to it. Each edit goes to the rows at once (shopper.signals) and to the worker, which stores
// it; the words said afterwards are read out by an aria-live region on the page.
import type { AdjustableDimension, Adjustment } from '../data/profileTypes';
import { emptyEdits, resetEdits, setAdjustment, setEventExcluded, setPriceCeiling } from '../recs/profile';
import type { ProfileStatus } from '../worker/store/protocol';
import { shopper } from './shopper.svelte';

class ProfileState {
  status = $state.raw<ProfileStatus | null>(null);
  /** The last edit's effect, said politely to screen readers and shown on the page. */
  announcement = $state('');

  private async edit(edits: typeof shopper.edits, said: string): Promise<void> {
    await shopper.setEdits(edits);
    this.announcement = `${said} Your recommendations were updated.`;
  }

  adjust(dimension: AdjustableDimension, value: string, adjustment: Adjustment | null): Promise<void> {
    const said =
      adjustment === null
        ? `${value} is no longer boosted or muted.`
        : adjustment === 'mute'
          ? `Muted ${dimension} ${value}: it will not appear in your recommendations.`
          : `Boosted ${dimension} ${value}.`;
    return this.edit(setAdjustment(shopper.edits, dimension, value, adjustment), said);
  }

  setPriceCeiling(dollars: number | null): Promise<void> {
    const said = dollars === null ? 'Price ceiling removed.' : `Price ceiling set to $${dollars}.`;
    return this.edit(setPriceCeiling(shopper.edits, dollars), said);
  }

  setEventUse(eventId: number, use: boolean): Promise<void> {
    const said = use
      ? 'That event is used for recommendations again.'
      : 'That event is no longer used for recommendations.';
    return this.edit(setEventExcluded(shopper.edits, eventId, !use), said);
  }

  isEventUsed(eventId: number | undefined): boolean {
    return eventId === undefined || !shopper.edits.excludedEventIds.includes(eventId);
  }

  reset(): Promise<void> {
    return this.edit(resetEdits(Date.now()), 'Your profile was reset: it starts again from now.');
  }

  /** The new shopper's optional start: a few genres, stored as boosts. */
  async startWith(genres: readonly string[]): Promise<void> {
    let edits = shopper.edits ?? emptyEdits();
    for (const genre of genres) edits = setAdjustment(edits, 'genre', genre, 'boost');
    await shopper.finishProfileStart();
    if (genres.length > 0) await this.edit(edits, `Starting from ${genres.join(', ')}.`);
  }
}

export const profileState = new ProfileState();
