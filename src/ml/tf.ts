// TensorFlow.js as Aisle uses it: the core ops plus the cpu and webgl backends (webgpu and
// wasm are added by worker/backend/registerBackends.ts). We depend on the @tensorflow/tfjs
// umbrella, which pins these parts to one version, but import only the parts: the umbrella also
// bundles layers, the graph-model converter and tf.data, which no model here uses and
// which cost every worker about 360 KB of minified script.
// tfjs-core alone registers neither gradients nor tensor methods (x.square()); the umbrella
// does both, and so must we
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';

export * from '@tensorflow/tfjs-core';
