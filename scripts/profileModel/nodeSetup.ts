// What the profile-model scripts need to run the store's models under Node: a tfjs backend
// (wasm by default, its binaries from node_modules) and the store's two data files.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '../../src/ml/tf';
import { decodeCommunity, toInteractionMatrix } from '../../src/ml/communityData';
import type { InteractionMatrix } from '../../src/ml/interactions';
import type { TargetGame } from '../../src/worker/store/profileTargets';

const fromRoot = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

export async function startBackend(name: string): Promise<void> {
  if (name === 'wasm') {
    const dist = (file: string) => fromRoot(`node_modules/@tensorflow/tfjs-backend-wasm/dist/${file}`);
    setWasmPaths({
      'tfjs-backend-wasm.wasm': dist('tfjs-backend-wasm.wasm'),
      'tfjs-backend-wasm-simd.wasm': dist('tfjs-backend-wasm-simd.wasm'),
      'tfjs-backend-wasm-threaded-simd.wasm': dist('tfjs-backend-wasm-threaded-simd.wasm'),
    });
  }
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} did not start`);
}

export function loadCommunity(): InteractionMatrix {
  const bytes = readFileSync(fromRoot('public/data/community.bin'));
  return toInteractionMatrix(
    decodeCommunity(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
  );
}

export function loadCatalogGames(): TargetGame[] {
  return (JSON.parse(readFileSync(fromRoot('public/data/catalog.json'), 'utf8')) as { games: TargetGame[] })
    .games;
}
