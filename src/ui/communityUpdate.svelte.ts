// The shopper's would-be contribution to a community model, as the profile page shows it: the
// store worker computes it (worker/store/communityUpdate.ts) and this keeps the newest answer.
import type { CommunityUpdateView, StoreStatus } from '../worker/store/protocol';

type CommunityUpdateStatus = Extract<StoreStatus, { type: 'communityUpdate' }>;

class CommunityUpdateState {
  view = $state.raw<CommunityUpdateView | null>(null);
  problem = $state<string | null>(null);
  computing = $state(false);
  private awaitedId: number | null = null;

  /** `send` posts the request and returns its id; only the newest request's answer is kept. */
  request(send: () => number): void {
    this.computing = true;
    this.problem = null;
    this.awaitedId = send();
  }

  receive(status: CommunityUpdateStatus): void {
    if (status.id !== this.awaitedId) return;
    this.computing = false;
    this.view = status.update;
    this.problem = status.problem ?? null;
  }
}

export const communityUpdate = new CommunityUpdateState();
