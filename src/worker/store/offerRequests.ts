// The store worker's offers requests: only the newest waiting one is answered, one at a time (an
// answer reads and writes storage), once the worker has an OfferKeeper. Apart from recsWorker.ts,
// which only routes the messages.
import type { OfferKeeper } from './offerKeeper';
import type { StoreCommand, StoreStatus } from './protocol';

type OffersCommand = Extract<StoreCommand, { type: 'offers' }>;

export class OfferRequests {
  private keeper: OfferKeeper | null = null;
  /** The newest request not answered yet. */
  private waiting: OffersCommand | null = null;
  private busy = false;
  /** Bumped by forget(): an answer begun before it is the erased shopper's and is not posted. */
  private generation = 0;

  constructor(private readonly post: (status: StoreStatus) => void) {}

  /** The store is loaded; what waited is answered on answerWaiting() (after the profile commands that waited). */
  useKeeper(keeper: OfferKeeper): void {
    this.keeper = keeper;
  }

  answerWaiting(): void {
    void this.answer();
  }

  /**
   * After "erase everything": the keeper forgets the offers it made, the waiting request (its
   * signals are the erased shopper's) is dropped, and an answer being made is not posted.
   */
  forget(): void {
    this.waiting = null;
    this.generation++;
    this.keeper?.forget();
  }

  handle(command: OffersCommand): void {
    this.waiting = command;
    void this.answer();
  }

  private async answer(): Promise<void> {
    if (this.busy || !this.keeper) return;
    this.busy = true;
    try {
      while (this.waiting) {
        const command: OffersCommand = this.waiting;
        this.waiting = null;
        const generation = this.generation;
        try {
          const answer = await this.keeper.offersFor(command.signals, command.diversity);
          if (generation === this.generation) this.post({ type: 'offers', id: command.id, ...answer });
        } catch (error) {
          if (generation !== this.generation) continue;
          this.post({
            type: 'error',
            id: command.id,
            message: `Your offers could not be made: ${error instanceof Error ? error.message : String(error)}`,
          });
        }
      }
    } finally {
      this.busy = false;
    }
  }
}
