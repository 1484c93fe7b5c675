// The face analysis contract the server codes against. The engine behind it (Human on WASM today)
// can be swapped without the server noticing.

export type Gender = 'female' | 'male';

/** Why a batch of frames gave no usable face. */
export type NoFaceReason = 'no_face' | 'face_too_small' | 'low_score';

/** Why a face that gave age and gender gave no embedding: too small for identity, or the frames show different faces. */
export type IdentityWithheldReason = 'face_too_small_for_identity' | 'frames_disagree';

export interface AnalysisResult {
  /** frames that decoded and were analysed */
  frames: number;
  faceFound: boolean;
  /** set when no usable face was found */
  noFaceReason?: NoFaceReason;
  /** best detection score across frames (0..1), when a face was found */
  score?: number;
  /** age combined across frames (median of the frames that had the face) */
  age?: number;
  gender?: Gender;
  /** 0..1 */
  genderConfidence?: number;
  /** L2-normalised average of the descriptors of the frames large enough for identity (when they agree);
   * biometric data: never log it or send it to a screen */
  embedding?: Float32Array;
  /** set when a face was found but gives no embedding (age and gender are still given) */
  identityWithheld?: IdentityWithheldReason;
  /** the lowest similarity between two frames used for identity (absent with one frame) */
  frameAgreement?: number;
  /** size of the chosen face in pixels, for the quality gate and the logs */
  faceBox?: { x: number; y: number; width: number; height: number };
  /** frames left out because they could not be decoded (the others were analysed); absent when none */
  rejectedFrames?: { frameIndex: number; code: ImageErrorCode }[];
}

export type ImageErrorCode = 'image_empty' | 'image_unsupported' | 'image_corrupt' | 'image_too_large';

/** A frame that cannot be analysed; `frameIndex` says which. */
export class ImageError extends Error {
  constructor(
    readonly code: ImageErrorCode,
    message: string,
    readonly frameIndex?: number,
  ) {
    super(message);
    this.name = 'ImageError';
  }
}

/** Too many analyses are already waiting for a worker; try again later. */
export class AnalyzerBusyError extends Error {
  constructor(readonly queueLimit: number) {
    super(`Face analysis is busy: ${queueLimit} analyses are already waiting.`);
    this.name = 'AnalyzerBusyError';
  }
}

/** The analysis took longer than its timeout (the worker is replaced). */
export class AnalysisTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Face analysis took longer than ${timeoutMs} ms.`);
    this.name = 'AnalysisTimeoutError';
  }
}

export interface AnalyzeCallOptions {
  /** overrides the analyzer's timeout for this call */
  timeoutMs?: number;
}

export interface FaceAnalyzer {
  /** Analyse the frames of one capture together: largest face per frame, best frame wins. */
  analyze(images: Uint8Array[], options?: AnalyzeCallOptions): Promise<AnalysisResult>;
  close(): Promise<void>;
}
