// A researcher may pin the backend with ?backend=wasm (the benchmark and the
// end-to-end tests do); everyone else gets 'auto'.
import type { BackendPreference } from '../data/records';

const choices: readonly BackendPreference[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

export function backendFromUrl(search: string): BackendPreference {
  const asked = new URLSearchParams(search).get('backend') as BackendPreference | null;
  return asked && choices.includes(asked) ? asked : 'auto';
}
