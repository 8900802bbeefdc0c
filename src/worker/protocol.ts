// The whole vocabulary between the page and the recommendation worker, in one file.
// Commands go in, statuses come out. Every request carries an id; for each channel
// only the newest request is answered (the worker drops superseded ones, the client
// ignores stale replies), so a burst of shopper events costs one ranking, not many.
import type { RankedItem, RowKey, ShopperSignals } from '../recs/types';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendPreference = BackendName | 'auto';

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** a software adapter (SwiftShader, or the browser's fallback adapter): WebGPU runs on the CPU */
  isSoftware: boolean;
}

export interface BackendAttempt {
  backend: BackendName;
  ok: boolean;
  /** milliseconds of the warm-up matmul, when it ran */
  warmupMs?: number;
  error?: string;
}

export interface BackendReport {
  active: BackendName;
  /** one sentence a shopper can read: why this backend runs */
  reason: string;
  adapter: AdapterInfo | null;
  attempts: BackendAttempt[];
}

export interface RowRequest {
  key: RowKey;
  k: number;
  /** the item a row is about ('becauseYouViewed', 'similar', 'alsoOwn') */
  item?: number;
}

export type WorkerCommand =
  | { type: 'init'; dataBaseUrl: string; backend: BackendPreference }
  | {
      type: 'rank';
      id: number;
      channel: string;
      signals: ShopperSignals;
      rows: RowRequest[];
      diversity: number;
    };

export interface RankedRow {
  key: RowKey;
  item?: number;
  items: RankedItem[];
}

export type WorkerStatus =
  | { type: 'loading'; stage: string }
  | { type: 'ready'; backend: BackendReport; itemCount: number; communityUsers: number; modelMs: number }
  | { type: 'backend'; backend: BackendReport }
  | { type: 'ranked'; id: number; channel: string; rows: RankedRow[]; ms: number }
  | { type: 'error'; id?: number; message: string };
