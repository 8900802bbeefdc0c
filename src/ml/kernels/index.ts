// Kernel fixes training relies on; registerTrainingKernels() is idempotent and cheap, so the
// training step calls it every time (it also catches a wasm backend imported later).
import { registerWasmFastUnpack } from './unpack';
import { registerWasmFastGather } from './wasmGather';
import { registerWasmFastMatMul } from './wasmMatMul';
import { registerSegmentSumKernels } from './unsortedSegmentSum';

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

export function registerTrainingKernels(): void {
  registerSegmentSumKernels();
  registerWasmFastUnpack();
  registerWasmFastMatMul();
  registerWasmFastGather();
}
