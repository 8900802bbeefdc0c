// The SIMD module: its committed bytes are the source's, it shares tfjs-wasm's memory (also across
// a heap growth, and a shared memory like the threaded build's), and its dropout gives bit for bit
// what the JavaScript kernel gives, on hand-made and random inputs of awkward sizes; a whole SASRec
// training step (every SIMD kernel) agrees with the JavaScript kernels' to float32 rounding.
import * as tf from '../../tf';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { useWasmSimd } from '../../testSupport/wasmSimd';
import {
  assemblyScriptCompiler,
  binaryModuleText,
  compileSimdKernels,
} from '../../../../scripts/build/simdKernels';
import { fromSequences } from '../../interactions';
import { createSasrec } from '../../models/sasrec';
import { createRng } from '../../random';
import { Adam } from '../../train/adam';
import { epochRng } from '../../train/loop';
import { ParamStore } from '../../train/params';
import { expectClose } from '../../testSupport/fusedKernels';
import { registerTrainingKernels } from '..';
import { dropoutBackward, dropoutForward, fusedDropout, scaleRows } from '../dropout';
import { dropoutMaskOf, type DropoutMask } from '../dropoutMask';
import { simdDropoutBackward, simdDropoutForward } from './simdDropout';
import * as binary from './simdKernelsBinary.generated';
import {
  backendMemory,
  instantiateSimdKernels,
  setSimdKernels,
  simdKernelsFor,
  webAssemblySimdSupported,
  type SimdExports,
} from './simdModule';
import { readFile } from 'node:fs/promises';
import { simdBinaryModulePath } from '../../../../scripts/build/simdKernels';

const assemblyScriptMissing = (await assemblyScriptCompiler()) === null;

describe('the committed module', () => {
  // skipped only where the compiler is not installed (a production-only install): the bytes
  // cannot be rebuilt there to compare
  it.skipIf(assemblyScriptMissing)(
    'is what `npm run kernels:build` makes of simdKernels.as now',
    async () => {
      const committed = await readFile(simdBinaryModulePath, 'utf8');
      expect(committed).toBe(binaryModuleText(await compileSimdKernels()));
    },
    60_000,
  );

  it.each([
    ['unshared', binary.simdKernelsUnshared],
    ['shared', binary.simdKernelsShared],
  ])('(%s) imports only a memory and writes nothing into it when instantiated', (_, base64) => {
    const bytes = Buffer.from(base64, 'base64');
    const module = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    expect(sectionIds(bytes)).not.toContain(DATA_SECTION);
    expect(sectionIds(bytes)).not.toContain(START_SECTION);
  });
});

describe('on a shared memory like tfjs-wasm’s threaded build', () => {
  it('instantiates the shared variant and drops out as the JavaScript does', () => {
    // the threaded build's memory: shared, maximum 4 GiB (65,536 pages), as its glue code makes it
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 65536, shared: true });
    expect(memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    const kernels = instantiateSimdKernels(memory, { _malloc: () => 65536, _free: () => {} });
    expect(kernels).not.toBeNull();
    const length = 37;
    const x = new Float32Array(memory.buffer, 1024, length);
    const out = new Float32Array(memory.buffer, 4096, length);
    x.set(Float32Array.from({ length }, (_, i) => i - 18.5));
    const mask = dropoutMaskOf(9, 0.6);
    const expected = new Float32Array(length);
    dropoutForward({ x: Float32Array.from(x), residual: null, mask }, expected);
    expect(simdDropoutForward(kernels!, { x, residual: null, rowScale: null, mask }, length, out)).toBe(true);
    expect(Array.from(out)).toEqual(Array.from(expected));
    // a growth keeps the memory (new SharedArrayBuffer object, same contents)
    memory.grow(1);
    const grown = new Float32Array(memory.buffer, 4096, length);
    expect(
      simdDropoutForward(
        kernels!,
        { x: new Float32Array(memory.buffer, 1024, length), residual: null, rowScale: null, mask },
        length,
        grown,
      ),
    ).toBe(true);
    expect(Array.from(grown)).toEqual(Array.from(expected));
  });
});

const START_SECTION = 8;
const DATA_SECTION = 11;

/** The ids of a wasm binary's sections, in order (each: id byte, LEB128 size, contents). */
function sectionIds(bytes: Uint8Array): number[] {
  const ids: number[] = [];
  for (let at = 8; at < bytes.length;) {
    ids.push(bytes[at++]);
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++];
      size |= (byte & 0x7f) << shift;
      if (byte < 0x80) break;
    }
    at += size;
  }
  return ids;
}

describe('on the wasm backend', () => {
  const wasm = useWasmSimd(() => setSimdKernels(true));
  const { kernels } = wasm;

  /** A float32 tensor on the wasm heap and its view (taken after every allocation of a test). */
  const onHeap = (values: Float32Array, shape: number[]) => tf.tensor(values, shape, 'float32');
  const { heapView } = wasm;

  it('finds SIMD in Node and the Memory behind the heap', () => {
    expect(webAssemblySimdSupported()).toBe(true);
    const memory = backendMemory(wasm.backend());
    expect(memory).toBeInstanceOf(WebAssembly.Memory);
    expect(memory!.buffer).toBe(
      (wasm.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer,
    );
    expect(kernels().memory).toBe(memory);
    setSimdKernels(false);
    expect(simdKernelsFor(wasm.backend())).toBeNull();
    setSimdKernels(true);
  });

  it('drops out a hand-made row as the pinned mask says', () => {
    // seed 8 at keep 0.8: [1.25, 0, 1.25, 1.25, 0, 1.25] (fusedDropout.test.ts's pinned mask);
    // six entries: one vector of four, then two by the scalar tail
    const x = onHeap(Float32Array.of(1, 2, -3, 4, -5, 6), [6]);
    const residual = onHeap(Float32Array.of(10, 10, 10, 10, 10, 10), [6]);
    const out = onHeap(new Float32Array(6), [6]);
    const mask = dropoutMaskOf(8, 0.8);
    expect(
      simdDropoutForward(
        kernels(),
        { x: heapView(x), residual: null, rowScale: null, mask },
        6,
        heapView(out),
      ),
    ).toBe(true);
    expect(Array.from(heapView(out))).toEqual([1.25, 0, -3.75, 5, -0, 7.5]);
    expect(Object.is(heapView(out)[4], -0)).toBe(true); // a dropped negative is −0, as x · 0 is
    const input = { x: heapView(x), residual: heapView(residual), rowScale: null, mask };
    simdDropoutForward(kernels(), input, 6, heapView(out));
    expect(Array.from(heapView(out))).toEqual([11.25, 10, 6.25, 15, 10, 17.5]);
    tf.dispose([x, residual, out]);
  });

  // sizes: a single entry, fewer than a vector, rows not a multiple of 4 wide, one row, many rows
  const shapes: [number, number][] = [
    [1, 1],
    [1, 3],
    [1, 50],
    [7, 5],
    [128 * 3, 50],
    [33, 4],
  ];
  const keeps = [0.8, 0.5, 1, 0.1];

  function randomValues(length: number, seed: number): Float32Array {
    const rng = createRng(seed);
    return Float32Array.from({ length }, () => (rng.next() - 0.5) * 8);
  }

  /** Entry by entry identical, −0 and +0 told apart. */
  function expectSameBits(actual: Float32Array, expected: Float32Array): void {
    expect(actual.length).toBe(expected.length);
    const a = new Uint32Array(actual.buffer.slice(actual.byteOffset, actual.byteOffset + actual.byteLength));
    const e = new Uint32Array(
      expected.buffer.slice(expected.byteOffset, expected.byteOffset + expected.byteLength),
    );
    const differing = a.findIndex((bits, i) => bits !== e[i]);
    expect(
      differing,
      `first differing entry ${differing}: ${actual[differing]} vs ${expected[differing]}`,
    ).toBe(-1);
  }

  describe.each(shapes)('[%i, %i]: SIMD equals JavaScript bit for bit', (rows, width) => {
    const length = rows * width;
    it.each(keeps)('keep %f, forward and backward, with and without residual and row scale', (keep) => {
      const xValues = randomValues(length, rows * 1000 + width);
      const residualValues = randomValues(length, 7);
      // row factors: SASRec's padding mask is 0 or 1; any float works the same way
      const scaleValues = Float32Array.from({ length: rows }, (_, row) =>
        row % 3 === 0 ? 0 : row % 3 === 1 ? 1 : 0.37,
      );
      const mask: DropoutMask = dropoutMaskOf(rows * 31 + width, keep, width * 3);
      const x = onHeap(xValues, [rows, width]);
      const residual = onHeap(residualValues, [rows, width]);
      const rowScale = onHeap(scaleValues, [rows, 1]);
      const out = onHeap(new Float32Array(length), [rows, width]);
      const scaled = onHeap(new Float32Array(length), [rows, width]);
      for (const withResidual of [false, true]) {
        for (const withScale of [false, true]) {
          const expected = new Float32Array(length);
          dropoutForward({ x: xValues, residual: withResidual ? residualValues : null, mask }, expected);
          if (withScale) scaleRows(expected, scaleValues, width);
          const input = {
            x: heapView(x),
            residual: withResidual ? heapView(residual) : null,
            rowScale: withScale ? heapView(rowScale) : null,
            mask,
          };
          expect(simdDropoutForward(kernels(), input, width, heapView(out))).toBe(true);
          expectSameBits(heapView(out), expected);
        }
        // backward: dy is x's values; with a row scale the residual's gradient too
        const expectedScaled = Float32Array.from(xValues);
        scaleRows(expectedScaled, scaleValues, width);
        const expectedDx = new Float32Array(length);
        dropoutBackward({ gradient: withResidual ? expectedScaled : xValues, mask }, expectedDx);
        const rowScaleView = withResidual ? heapView(rowScale) : null;
        const outputs = { dx: heapView(out), scaled: withResidual ? heapView(scaled) : null };
        expect(
          simdDropoutBackward(kernels(), { dy: heapView(x), rowScale: rowScaleView, mask }, width, outputs),
        ).toBe(true);
        expectSameBits(heapView(out), expectedDx);
        if (withResidual) expectSameBits(heapView(scaled), expectedScaled);
      }
      tf.dispose([x, residual, rowScale, out, scaled]);
    });
  });

  it('keeps working after the heap grows (same Memory, new buffer)', () => {
    const memory = kernels().memory;
    const before = memory.buffer.byteLength;
    const x = onHeap(randomValues(101, 5), [101]);
    // an allocation larger than the heap's free space forces a growth
    const big = tf.zeros([Math.ceil(before / 4) + 1024]);
    expect(memory.buffer.byteLength).toBeGreaterThan(before);
    expect(kernels().memory).toBe(memory);
    const out = onHeap(new Float32Array(101), [101]);
    const mask = dropoutMaskOf(3, 0.7);
    const expected = new Float32Array(101);
    dropoutForward({ x: heapView(x), residual: null, mask }, expected);
    expect(
      simdDropoutForward(
        kernels(),
        { x: heapView(x), residual: null, rowScale: null, mask },
        101,
        heapView(out),
      ),
    ).toBe(true);
    expectSameBits(heapView(out), expected);
    tf.dispose([x, big, out]);
  });

  it('refuses a view detached by a growth instead of writing at offset 0', () => {
    const x = onHeap(randomValues(8, 6), [8]);
    const out = onHeap(new Float32Array(8), [8]);
    const stale = heapView(x);
    const big = tf.zeros([Math.ceil(kernels().memory.buffer.byteLength / 4) + 1024]);
    const input = { x: stale, residual: null, rowScale: null, mask: dropoutMaskOf(1, 0.5) };
    expect(simdDropoutForward(kernels(), input, 8, heapView(out))).toBe(false);
    tf.dispose([x, big, out]);
  });

  /** `run` with SIMD switched `on` or off, every export of the module wrapped to count its calls
   *  (the fused kernels find this same cached object through simdKernelsFor), then put back. */
  function countingSimdCalls<T>(on: boolean, run: () => T): { result: T; calls: Record<string, number> } {
    setSimdKernels(true);
    const module = kernels();
    const original = module.exports;
    const calls: Record<string, number> = {};
    const counted: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(original)) {
      calls[name] = 0;
      counted[name] =
        typeof value === 'function'
          ? (...args: unknown[]) => {
              calls[name]++;
              return (value as (...a: unknown[]) => unknown)(...args);
            }
          : value;
    }
    module.exports = counted as unknown as SimdExports;
    setSimdKernels(on);
    try {
      return { result: run(), calls };
    } finally {
      module.exports = original;
      setSimdKernels(true);
    }
  }

  const noCalls = (calls: Record<string, number>) => Object.values(calls).every((n) => n === 0);

  it('fused dropout through tfjs: same values and gradients with and without SIMD, no tensor left', () => {
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor(randomValues(2 * 7 * 50, 11), [2, 7, 50]);
        const residual = tf.tensor(randomValues(2 * 7 * 50, 12), [2, 7, 50]);
        const rowScale = tf.tensor(
          Float32Array.from({ length: 14 }, (_, i) => (i % 5 === 4 ? 0 : 1)),
          [2, 7, 1],
        );
        const weights = tf.tensor(randomValues(2 * 7 * 50, 13), [2, 7, 50]);
        const f = (a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(
            tf.mul(
              fusedDropout(a, 0.3, () => 42, b, rowScale)!,
              weights,
            ),
          );
        const { value, grads } = tf.valueAndGrads(f)([x, residual]);
        return [value, ...grads].map((t) => t.dataSync() as Float32Array);
      });
    const before = tf.memory().numTensors;
    registerTrainingKernels();
    const javascript = countingSimdCalls(false, run);
    const simd = countingSimdCalls(true, run);
    expect(tf.memory().numTensors).toBe(before);
    // the SIMD run went through the module, the JavaScript run not at all
    expect(noCalls(javascript.calls)).toBe(true);
    expect(simd.calls.dropoutForward).toBeGreaterThan(0);
    expect(simd.calls.dropoutBackward).toBeGreaterThan(0);
    simd.result.forEach((values, i) => expectSameBits(values, javascript.result[i]));
  });

  it('one SASRec training step at full width: same loss and parameters with and without SIMD (to rounding)', () => {
    const sequences = Array.from({ length: 24 }, (_, user) =>
      Array.from({ length: 4 + (user % 9) }, (_, step) => (user * 7 + step * 3) % 23),
    );
    const data = fromSequences(sequences, 23);
    const train = () => {
      const model = createSasrec({ maxLen: 11, hidden: 50, batchSize: 24, dropout: 0.2 });
      const schedule = model.stepper(data);
      const store = ParamStore.initialise(model.paramSpecs(23), createRng(3));
      // Adam's ε raised from 1e-8, as in fusedKernels.test.ts: the attention's SIMD sums round
      // otherwise than the JavaScript's float64 ones, and with ε = 1e-8 a gradient that is zero up
      // to rounding becomes a step of up to the learning rate whose sign is the rounding's
      const adam = new Adam({ learningRate: 0.01, epsilon: 1e-3 });
      const rng = epochRng(3, 1);
      schedule.startEpoch(rng);
      const loss = schedule.step(store, adam, rng, 0);
      const lossValue = loss.dataSync()[0];
      loss.dispose();
      const params = Object.fromEntries(
        Object.entries(store.variables).map(([name, v]) => [name, v.dataSync() as Float32Array]),
      );
      adam.dispose();
      store.dispose();
      model.dispose();
      return { lossValue, params };
    };
    const before = tf.memory().numTensors;
    const { result: javascript, calls: javascriptCalls } = countingSimdCalls(false, train);
    const { result: simd, calls: simdCalls } = countingSimdCalls(true, train);
    expect(tf.memory().numTensors).toBe(before);
    // every kernel of a step ran in the module with SIMD on, none with it off
    expect(noCalls(javascriptCalls)).toBe(true);
    for (const name of [
      'attentionForward',
      'attentionBackward',
      'layerNormForward',
      'layerNormBackward',
      'adamDense',
      'adamRows',
      'dropoutForward',
      'dropoutBackward',
      'transpose',
    ]) {
      expect(simdCalls[name], name).toBeGreaterThan(0);
    }
    // dropout's SIMD path is bit-exact, the attention's equal to float32 rounding
    expect(Math.abs(simd.lossValue - javascript.lossValue)).toBeLessThan(1e-6);
    for (const name of Object.keys(javascript.params))
      expectClose(simd.params[name], javascript.params[name], 1e-6);
  });
});
