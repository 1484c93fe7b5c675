// @pinokio/face: face analysis behind the FaceAnalyzer contract, run in worker threads, and the
// in-memory index that matches embeddings. See docs/faces.md.
import { DECISION_DEFAULTS } from './decision.js';
export {
  AnalysisTimeoutError,
  AnalyzerBusyError,
  ImageError,
  type AnalysisResult,
  type AnalyzeCallOptions,
  type FaceAnalyzer,
  type Gender,
  type IdentityWithheldReason,
  type ImageErrorCode,
  type NoFaceReason,
} from './face-analyzer.js';
export { createFacePool, defaultPoolSize, type FacePool, type FacePoolOptions } from './pool.js';
export { FaceIndex, type FaceMatch } from './face-index.js';
export { createInProcessAnalyzer, type AnalysisOptions, type InProcessAnalyzer, type RejectedFrame } from './in-process-analyzer.js';
export {
  registerEngine,
  type DetectedFace,
  type DetectOptions,
  type EngineFactory,
  type EngineOptions,
  type FaceCandidate,
  type FaceEngine,
  type RgbFrame,
} from './engine.js';
export { decodeFrame, defaultDecodeLimits, imageFormat, type DecodeLimits } from './decode.js';
export { combineFrames, defaultQualityGates, l2Normalise, type QualityGates } from './combine.js';
export type { Preprocessing } from './preprocess.js';
export { cosineSimilarity } from './similarity.js';

/** Similarity above which two embeddings are taken as the same person (FaceRes, cosine): see docs/faces.md. */
export const RECOMMENDED_MATCH_THRESHOLD: number = DECISION_DEFAULTS.matchThreshold;
export { DECISION_DEFAULTS, EMBEDDING_VERSION, decideMatch, type MatchDecision, type MatchRule, type MemberScore } from './decision.js';
export type { MemberSearch, MemberSearchOptions } from './face-index.js';
