// Messages between the pool and its workers: one frame per request, that frame's faces per reply
// (embeddings transferred, not copied); the pool combines the frames of a capture itself.
import type { FrameFaces } from './combine.js';
import type { ImageErrorCode } from './face-analyzer.js';

export interface WorkerRequest {
  id: number;
  frameIndex: number;
  image: Uint8Array;
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
  | { type: 'faces'; id: number; faces: FrameFaces }
  | { type: 'error'; id: number; error: SerialisedError };
