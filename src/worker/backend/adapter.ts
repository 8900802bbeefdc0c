// The one WebGPU adapter probe: what the browser offers, so a software adapter is named as such
// rather than passed off as a GPU.
import type { AdapterInfo } from './types';

/** The browser's WebGPU adapter, described; null when there is none (or asking failed). */
export async function probeAdapter(): Promise<AdapterInfo | null> {
  try {
    return await describeAdapter();
  } catch {
    return null;
  }
}

async function describeAdapter(): Promise<AdapterInfo | null> {
  const gpu = (globalThis.navigator as (Navigator & { gpu?: GPU }) | undefined)?.gpu;
  if (!gpu) return null;
  const adapter = await gpu.requestAdapter();
  if (!adapter) return null;
  const info = adapter.info;
  const architecture = info?.architecture ?? '';
  const isFallback =
    (info as GPUAdapterInfo & { isFallbackAdapter?: boolean })?.isFallbackAdapter ??
    (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter ??
    false;
  return {
    vendor: info?.vendor ?? '',
    architecture,
    device: info?.device ?? '',
    description: info?.description ?? '',
    isSoftware: isFallback || /swiftshader/i.test(`${architecture} ${info?.description ?? ''}`),
  };
}
