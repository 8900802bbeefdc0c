// Peak tensor memory. tf.memory() only tells the current totals, and the peak of a training step
// lives inside tf.tidy where no caller can look; tf.profile() would see it but times every
// kernel (a device sync per kernel on WebGPU/WebGL), which would wreck the timings it sits in.
// So we watch the engine's own counters: every tensor allocation and disposal writes them, and a
// setter on those two fields records the maximum at negligible cost.
import * as tf from '../../ml/tf';

export interface PeakReading {
  peakBytes: number;
  peakTensors: number;
}

export interface PeakWatcher {
  /** forget the peaks so far; the next reading starts from the current totals */
  reset(): void;
  read(): PeakReading;
  /** put the engine's plain fields back */
  stop(): void;
}

type CounterName = 'numBytes' | 'numTensors';

export function watchTensorPeaks(): PeakWatcher {
  // the engine's state object is internal to tfjs; its counters are plain numeric fields
  const state = (tf.engine() as unknown as { state: Record<CounterName, number> }).state;
  const peaks: Record<CounterName, number> = { numBytes: state.numBytes, numTensors: state.numTensors };
  const counters: CounterName[] = ['numBytes', 'numTensors'];
  for (const name of counters) {
    let value = state[name];
    Object.defineProperty(state, name, {
      configurable: true,
      enumerable: true,
      get: () => value,
      set: (next: number) => {
        value = next;
        if (next > peaks[name]) peaks[name] = next;
      },
    });
  }
  return {
    reset() {
      for (const name of counters) peaks[name] = state[name];
    },
    read: () => ({ peakBytes: peaks.numBytes, peakTensors: peaks.numTensors }),
    stop() {
      for (const name of counters) {
        const value = state[name];
        Object.defineProperty(state, name, { configurable: true, enumerable: true, writable: true, value });
      }
    },
  };
}
