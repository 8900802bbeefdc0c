import { describe, expect, it } from 'vitest';
import type { OfferKeeper } from './offerKeeper';
import { OfferRequests } from './offerRequests';
import type { StoreStatus } from './protocol';
import { viewedSignals } from '../../recs/signals';

/** A keeper whose answers the test releases one at a time. */
function slowKeeper() {
  const asked: number[] = [];
  const release: (() => void)[] = [];
  const keeper = {
    offersFor: (_signals: unknown, diversity: number) => {
      asked.push(diversity);
      return new Promise((resolve) => release.push(() => resolve({ offers: [] })));
    },
    forget: () => undefined,
  } as unknown as OfferKeeper;
  return { keeper, asked, release };
}

const offersCommand = (id: number) =>
  ({ type: 'offers', id, signals: viewedSignals([1]), diversity: id / 10 }) as const;
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('OfferRequests', () => {
  it('waits for the keeper, then answers only the newest request; one at a time', async () => {
    const posted: StoreStatus[] = [];
    const requests = new OfferRequests((status) => posted.push(status));
    const { keeper, asked, release } = slowKeeper();
    requests.handle(offersCommand(1));
    requests.handle(offersCommand(2)); // replaces 1 before the store is loaded
    requests.useKeeper(keeper);
    expect(asked).toEqual([]); // nothing until the waiting profile commands are through
    requests.answerWaiting();
    expect(asked).toEqual([0.2]);
    requests.handle(offersCommand(3));
    requests.handle(offersCommand(4)); // 3 is never asked: 4 is newer by the time 2 is answered
    expect(asked).toEqual([0.2]);
    release[0]();
    await settle();
    expect(asked).toEqual([0.2, 0.4]);
    release[1]();
    await settle();
    expect(posted.map((status) => status.type === 'offers' && status.id)).toEqual([2, 4]);
  });

  it('posts nothing made from the signals of before "erase everything", running or waiting', async () => {
    const posted: StoreStatus[] = [];
    const requests = new OfferRequests((status) => posted.push(status));
    const { keeper, asked, release } = slowKeeper();
    requests.useKeeper(keeper);
    requests.handle(offersCommand(1));
    requests.handle(offersCommand(2)); // waits behind 1
    requests.forget(); // while 1 runs
    release[0]();
    await settle();
    expect(asked).toEqual([0.1]); // 2 was the erased shopper's too: never asked
    expect(posted).toEqual([]);
    // a request after the erase is answered as usual
    requests.handle(offersCommand(3));
    release[1]();
    await settle();
    expect(posted.map((status) => status.type === 'offers' && status.id)).toEqual([3]);
  });
});
