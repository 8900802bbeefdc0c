// Test hooks for the faults the store's training must survive, compiled into the build and inert
// unless the page's URL asks for one: `?fault=lose-gpu-after-epoch-1` destroys the trainer's
// WebGPU device right after epoch 1's checkpoint is sent, as a driver reset would;
// `?fault=stall-after-epoch-1` stops training there for good, so a test can close the tab (or
// open another) while learning is in progress with a checkpoint saved. The page reads the URL
// (workers cannot see it), the store worker passes the fault with every training job, and only
// the trainer acts on it (trainerWorker.ts). See docs/internals.md, "Fault hooks".

export type TrainingFaultKind = 'loseGpu' | 'stall';

export interface TrainingFault {
  kind: TrainingFaultKind;
  /** acts once the checkpoint after this many epochs has been sent */
  afterEpoch: number;
}

const faultPattern = /^(lose-gpu|stall)-after-epoch-([1-9][0-9]{0,2})$/;

/** The fault a page's query string asks for (`?fault=…`); undefined for none or anything else. */
export function trainingFaultFromQuery(search: string): TrainingFault | undefined {
  const asked = new URLSearchParams(search).get('fault');
  const match = asked === null ? null : faultPattern.exec(asked);
  if (!match) return undefined;
  return { kind: match[1] === 'lose-gpu' ? 'loseGpu' : 'stall', afterEpoch: Number(match[2]) };
}

/** Whether the fault acts now, after the checkpoint of `epochsDone` epochs. */
export function faultIsDue(fault: TrainingFault | undefined, epochsDone: number): fault is TrainingFault {
  return fault !== undefined && fault.afterEpoch === epochsDone;
}
