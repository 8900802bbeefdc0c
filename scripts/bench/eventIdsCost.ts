// `npx tsx scripts/bench/eventIdsCost.ts`: the CPU time withStorableEventIds (data/eventIds.ts)
// adds to every export and replacing import, on a file of 100,000 events, beside JSON.stringify of
// the same file (which every export does anyway). Three rounds, each case interleaved within a
// round, ten passes each; prints one JSON line per round. Measures CPU time (user + system), not
// wall time, so a loaded machine distorts it less.
import { withStorableEventIds } from '../../src/data/eventIds';
import type { AisleExport } from '../../src/data/exportFormat';

const eventCount = 100_000;
const passes = 10;

/** A file of `eventCount` views with ids from `firstId`, and edits marking 100 of them. */
function fileFrom(firstId: number): AisleExport {
  return {
    app: 'aisle',
    version: 1,
    exportedAt: '2025-01-02T03:04:05.000Z',
    events: Array.from({ length: eventCount }, (_, i) => ({
      kind: 'view' as const,
      at: 1.7e12 + i,
      sessionId: 's',
      itemId: i % 500,
      id: firstId + i,
    })),
    cart: [],
    settings: {},
    profile: [
      {
        key: 'profileEdits',
        value: {
          schemaVersion: 1,
          adjustments: {},
          priceCeiling: null,
          excludedEventIds: Array.from({ length: 100 }, (_, i) => firstId + i * 7),
          resetAt: null,
        },
        updatedAt: 1,
      },
    ],
  };
}

/** Milliseconds of CPU time per call of `work`, over `passes` calls. */
function cpuMsPerCall(work: () => unknown): number {
  const start = process.cpuUsage();
  for (let pass = 0; pass < passes; pass++) work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / passes;
}

const kept = fileFrom(1);
const keptWithoutMarks = { ...kept, profile: [] };
// ids from 2^52 - 9: the last 99,990 pass 2^52, so the events are renumbered
const renumbered = fileFrom(2 ** 52 - 9);
for (let round = 0; round < 3; round++) {
  const ms = (work: () => unknown) => cpuMsPerCall(work).toFixed(1);
  console.log(
    JSON.stringify({
      round,
      keptWithMarks: ms(() => withStorableEventIds(kept)),
      keptWithoutMarks: ms(() => withStorableEventIds(keptWithoutMarks)),
      renumbered: ms(() => withStorableEventIds(renumbered)),
      jsonStringify: ms(() => JSON.stringify(kept)),
    }),
  );
}
