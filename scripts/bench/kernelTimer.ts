// Per-kernel timing for `npm run profile:step`: wraps every kernel registered for a backend so
// each call adds its wall time, its output bytes and one launch to a tally keyed by the kernel's
// name and the phase of the step it ran in. The wasm backend runs kernels synchronously, so the
// wall time around a kernel function is the kernel's time. Kernels that call other kernels (our
// stand-ins call the stock ones) are counted once, at the outermost call.
import * as tf from '../../src/ml/tf';
import { alignColumns, formatBytes, formatQuantity } from './table';

export type StepPhase = 'gather rows' | 'forward' | 'backward' | 'optimizer';

export interface KernelTally {
  kernel: string;
  phase: StepPhase;
  launches: number;
  ms: number;
  bytes: number;
}

/** Mutable per-(kernel, phase) totals; `phase` is switched by the caller as the step proceeds. */
export class KernelTallies {
  phase: StepPhase = 'forward';
  private readonly byKey = new Map<string, KernelTally>();

  add(kernel: string, ms: number, bytes: number): void {
    const key = `${this.phase}\u0000${kernel}`;
    let tally = this.byKey.get(key);
    if (!tally) {
      tally = { kernel, phase: this.phase, launches: 0, ms: 0, bytes: 0 };
      this.byKey.set(key, tally);
    }
    tally.launches++;
    tally.ms += ms;
    tally.bytes += bytes;
  }

  clear(): void {
    this.byKey.clear();
  }

  all(): KernelTally[] {
    return [...this.byKey.values()];
  }
}

function outputBytes(result: tf.TensorInfo | tf.TensorInfo[]): number {
  const outputs = Array.isArray(result) ? result : [result];
  let bytes = 0;
  for (const out of outputs) bytes += tf.util.sizeFromShape(out.shape) * (out.dtype === 'complex64' ? 8 : 4);
  return bytes;
}

/**
 * Time every kernel registered for `backendName` into `tallies`, in place (the registry keeps the
 * same config objects, so code that checks which kernel is registered still sees its own).
 * Returns a function that restores the original kernel functions.
 */
export function timeKernels(
  backendName: string,
  tallies: KernelTallies,
  labelOf: (kernelName: string, args: Parameters<tf.KernelFunc>[0]) => string = (name) => name,
): () => void {
  let depth = 0;
  const restores: (() => void)[] = [];
  for (const config of tf.getKernelsForBackend(backendName)) {
    const original = config.kernelFunc;
    const timed: tf.KernelFunc = (args) => {
      if (depth > 0) return original(args);
      depth++;
      const start = performance.now();
      try {
        const result = original(args);
        tallies.add(labelOf(config.kernelName, args), performance.now() - start, outputBytes(result));
        return result;
      } finally {
        depth--;
      }
    };
    (config as { kernelFunc: tf.KernelFunc }).kernelFunc = timed;
    restores.push(() => ((config as { kernelFunc: tf.KernelFunc }).kernelFunc = original));
  }
  return () => restores.forEach((restore) => restore());
}

export interface PhaseSummary {
  phase: StepPhase;
  launches: number;
  ms: number;
  bytes: number;
}

/** Totals per phase, in step order. */
export function phaseSummaries(tallies: readonly KernelTally[]): PhaseSummary[] {
  const order: StepPhase[] = ['gather rows', 'forward', 'backward', 'optimizer'];
  return order.map((phase) => {
    const inPhase = tallies.filter((t) => t.phase === phase);
    return {
      phase,
      launches: inPhase.reduce((sum, t) => sum + t.launches, 0),
      ms: inPhase.reduce((sum, t) => sum + t.ms, 0),
      bytes: inPhase.reduce((sum, t) => sum + t.bytes, 0),
    };
  });
}

/** One row per kernel name (phases added up), the most expensive first. */
export function kernelSummaries(tallies: readonly KernelTally[]): Omit<KernelTally, 'phase'>[] {
  const byKernel = new Map<string, Omit<KernelTally, 'phase'>>();
  for (const t of tallies) {
    const row = byKernel.get(t.kernel) ?? { kernel: t.kernel, launches: 0, ms: 0, bytes: 0 };
    row.launches += t.launches;
    row.ms += t.ms;
    row.bytes += t.bytes;
    byKernel.set(t.kernel, row);
  }
  return [...byKernel.values()].sort((a, b) => b.ms - a.ms);
}

const percent = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)} %` : '—');

/**
 * Markdown-ready tables: per phase and per kernel, each with its share of the steps' wall time
 * (`wallMs`, the time of all profiled steps, kernels and everything around them).
 */
/** A kernel's name with its input shapes and attributes: tells apart the calls of one kernel. */
export function kernelCallLabel(kernelName: string, args: Parameters<tf.KernelFunc>[0]): string {
  const shapes = Object.values(args.inputs).map((t) => `[${(t as tf.TensorInfo).shape.join(',')}]`);
  const attrs = Object.entries(args.attrs ?? {})
    .filter(([, value]) => value !== undefined && value !== null && typeof value !== 'object')
    .map(([key, value]) => `${key}=${String(value)}`);
  const axis = (args.attrs as { axis?: unknown } | undefined)?.axis;
  if (Array.isArray(axis)) attrs.push(`axis=${axis.join(',')}`);
  return `${kernelName} ${shapes.join(' ')} ${attrs.join(' ')}`.trim();
}

export function formatKernelProfile(
  tallies: readonly KernelTally[],
  wallMs: number,
  steps: number,
  topKernels = 20,
): string {
  const kernelMs = tallies.reduce((sum, t) => sum + t.ms, 0);
  const perStep = (x: number) => formatQuantity(x / steps);
  const phaseRows = phaseSummaries(tallies).map((p) => [
    p.phase,
    perStep(p.ms),
    percent(p.ms, wallMs),
    perStep(p.launches),
    formatBytes(p.bytes / steps),
  ]);
  phaseRows.push([
    'outside kernels (tape, tidy, JS)',
    perStep(wallMs - kernelMs),
    percent(wallMs - kernelMs, wallMs),
    '',
    '',
  ]);
  const kernels = kernelSummaries(tallies);
  const kernelRows = kernels
    .slice(0, topKernels)
    .map((k) => [
      k.kernel,
      perStep(k.ms),
      percent(k.ms, wallMs),
      perStep(k.launches),
      formatBytes(k.bytes / steps),
    ]);
  const rest = kernels.slice(topKernels);
  if (rest.length > 0) {
    const ms = rest.reduce((sum, k) => sum + k.ms, 0);
    kernelRows.push([
      `${rest.length} others`,
      perStep(ms),
      percent(ms, wallMs),
      perStep(rest.reduce((sum, k) => sum + k.launches, 0)),
      formatBytes(rest.reduce((sum, k) => sum + k.bytes, 0) / steps),
    ]);
  }
  const table = (header: string[], rows: string[][]) => {
    const lines = alignColumns([header, ...rows]);
    return [lines[0], '-'.repeat(Math.max(...lines.map((line) => line.length))), ...lines.slice(1)];
  };
  return [
    ...table(['phase', 'ms/step', 'share of wall', 'launches/step', 'output bytes/step'], phaseRows),
    '',
    ...table(['kernel', 'ms/step', 'share of wall', 'launches/step', 'output bytes/step'], kernelRows),
  ].join('\n');
}
