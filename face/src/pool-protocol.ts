// Messages between the pool and its workers.
import type { AnalysisResult, ImageErrorCode } from './face-analyzer.js';

export interface WorkerRequest {
  id: number;
  images: Uint8Array[];
}

export interface SerialisedError {
  name: string;
  message: string;
  /** set for an ImageError */
  code?: ImageErrorCode;
  frameIndex?: number;
}

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'load_failed'; message: string }
  | { type: 'result'; id: number; result: AnalysisResult }
  | { type: 'error'; id: number; error: SerialisedError };
