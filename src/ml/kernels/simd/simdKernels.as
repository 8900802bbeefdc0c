// AssemblyScript source of the 128-bit SIMD training kernels (compiled by scripts/build/simdKernels.ts
// into simdKernelsBinary.generated.ts; the extension is .as so the app's TypeScript tools leave it
// alone). The module imports tfjs-wasm's own memory: every pointer in these files is a byte offset into that
// heap (a tensor's memoryOffset), so nothing is copied in or out. It allocates nothing, has no data
// segment (instantiating it must not write into tfjs's heap) and no imports besides the memory.
//
// Each kernel computes what its JavaScript twin in ../ computes. Dropout uses the same float32
// operations in the same order, so its results are bit for bit the same; attention, layer norm and
// Adam sum in float32 lanes where the JavaScript sums in float64, so they agree to float32 rounding
// (simdKernels.test.ts, simdAttention.test.ts, simdLayerNorm.test.ts, simdAdam.test.ts).
// The kernels live one file per kernel in as/ (mask.as holds the dropout mask they share); this
// entry re-exports them, and its exports are the module's.
export { dropoutForward, dropoutBackward } from './as/dropout';
export { attentionForward, attentionBackward } from './as/attention';
export { layerNormForward, layerNormBackward } from './as/layerNorm';
export { adamDense, adamRows } from './as/adam';
export { transpose } from './as/transpose';
