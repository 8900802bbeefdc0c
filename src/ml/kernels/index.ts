// Kernel fixes training relies on; registerTrainingKernels() is idempotent and cheap, so the
// training step calls it every time (it also catches a wasm backend imported later).
import { registerWasmFastUnpack } from './unpack';
import { registerWasmFastGather } from './wasmGather';
import { registerWasmFastMatMul } from './wasmMatMul';
import { registerSegmentSumKernels } from './unsortedSegmentSum';
import { fusedKernelsOn } from './fused';
import { registerWasmSharedIdentity, unregisterWasmSharedIdentity } from './wasmIdentity';
import { registerWasmLeadingSum, unregisterWasmLeadingSum } from './wasmSum';

export { registerWasmFastUnpack, wasmUnpackConfig } from './unpack';
export { registerWasmFastGather, wasmGatherConfig } from './wasmGather';
export { registerWasmFastMatMul, wasmBatchMatMulConfig } from './wasmMatMul';
export {
  cpuUnsortedSegmentSumConfig,
  registerCpuUnsortedSegmentSum,
  registerSegmentSumKernels,
  registerWasmUnsortedSegmentSum,
  segmentSum,
  wasmUnsortedSegmentSumConfig,
} from './unsortedSegmentSum';

export { fusedKernelsOn, setFusedKernels } from './fused';
export { setSimdKernels, simdKernelsOn } from './simd/simdModule';
export { registerWasmSharedIdentity, wasmCastConfig, wasmIdentityConfig } from './wasmIdentity';
export { registerWasmLeadingSum, wasmSumConfig } from './wasmSum';

export function registerTrainingKernels(): void {
  registerSegmentSumKernels();
  registerWasmFastUnpack();
  registerWasmFastMatMul();
  registerWasmFastGather();
  if (fusedKernelsOn()) {
    registerWasmSharedIdentity();
    registerWasmLeadingSum();
  } else {
    unregisterWasmSharedIdentity();
    unregisterWasmLeadingSum();
  }
}
