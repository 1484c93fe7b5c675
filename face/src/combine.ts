// The frames of one capture -> one answer: the largest confident face of each frame, the size gate,
// the median age over the frames with a face, gender by averaging each frame's confidence; and an
// embedding only when the face is large enough for identity in some frames and those frames agree
// (their average is the embedding). The numbers are measured in docs/faces.md ("Decision rule").
import { DECISION_DEFAULTS } from './decision.js';
import type { Box, DetectedFace, FaceCandidate } from './engine.js';
import { ImageError, type AnalysisResult, type Gender, type NoFaceReason } from './face-analyzer.js';

export interface QualityGates {
  /** the face box's shorter side, in pixels of the original frame (default 64) */
  minFaceSize?: number;
  /** detection score, 0..1 (default 0.5) */
  minScore?: number;
  /** the face box's shorter side needed for an embedding (identity); smaller faces give age and gender only */
  minIdentityFaceSize?: number;
  /** every two frames used for identity must be at least this similar, else no embedding (someone else stepped in) */
  minFrameAgreement?: number;
}

export const defaultQualityGates: Required<QualityGates> = {
  minFaceSize: 64,
  minScore: 0.5,
  minIdentityFaceSize: DECISION_DEFAULTS.minIdentityFaceSize,
  minFrameAgreement: DECISION_DEFAULTS.minFrameAgreement,
};

/** The faces of one frame, boxes already in the original frame's pixels. */
export type FrameFaces = DetectedFace[];

/** A frame that could not be decoded and was left out; the rest were analysed. */
export interface RejectedFrame {
  frameIndex: number;
  code: ImageError['code'];
}

/** What became of one frame: its faces, or why it could not be read. */
export type FrameOutcome = FrameFaces | ImageError;

export function largestFace<Face extends FaceCandidate>(faces: Face[]): Face | undefined {
  let largest: Face | undefined;
  for (const face of faces) {
    if (!largest || face.box.width * face.box.height > largest.box.width * largest.box.height) largest = face;
  }
  return largest;
}

export function l2Normalise(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.sqrt(sum);
  if (!(norm > 0) || !Number.isFinite(norm)) throw new RangeError('Cannot normalise a zero or non-finite vector.');
  const out = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i += 1) out[i] = vector[i]! / norm;
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const roundBox = (box: Box): Box => ({
  x: Math.round(box.x),
  y: Math.round(box.y),
  width: Math.round(box.width),
  height: Math.round(box.height),
});

/** The face a frame is judged by: the largest among those the detector is sure of (a big, doubtful box,
 * a poster or a pattern, must not hide the customer standing in front of the camera). */
export function faceOfFrame<Face extends FaceCandidate>(faces: Face[], gates: QualityGates = {}): Face | undefined {
  const { minScore } = { ...defaultQualityGates, ...gates };
  return largestFace(faces.filter((face) => face.score >= minScore));
}

export function isLargeEnough(face: FaceCandidate, gates: QualityGates = {}): boolean {
  const { minFaceSize } = { ...defaultQualityGates, ...gates };
  return Math.min(face.box.width, face.box.height) >= minFaceSize;
}

/** Index of the one face of a frame whose age, gender and embedding the answer can use (boxes in the
 * original frame's pixels), or none: the others need no descriptor. */
export function faceToDescribe(faces: FaceCandidate[], gates: QualityGates = {}): number | undefined {
  const face = faceOfFrame(faces, gates);
  return face && isLargeEnough(face, gates) ? faces.indexOf(face) : undefined;
}

export function combineFrames(frames: FrameFaces[], gates: QualityGates = {}): AnalysisResult {
  const confident = frames.map((faces) => faceOfFrame(faces, gates)).filter((face): face is DetectedFace => face !== undefined);
  const accepted = confident.filter((face) => isLargeEnough(face, gates) && face.embedding);

  if (accepted.length === 0) {
    let noFaceReason: NoFaceReason = 'no_face';
    if (confident.length > 0) noFaceReason = 'face_too_small';
    else if (frames.some((faces) => faces.length > 0)) noFaceReason = 'low_score';
    return { frames: frames.length, faceFound: false, noFaceReason };
  }

  const { minIdentityFaceSize, minFrameAgreement } = { ...defaultQualityGates, ...gates };
  const best = accepted.reduce((a, b) => (b.score > a.score ? b : a));
  const ages = accepted.map((face) => face.age).filter((age): age is number => Number.isFinite(age));
  // each frame's belief that the face is a woman's, averaged: a confident frame outweighs an unsure one
  const beliefs = accepted
    .filter((face) => face.gender && Number.isFinite(face.genderScore))
    .map((face) => (face.gender === 'female' ? face.genderScore! : 1 - face.genderScore!));
  const female = beliefs.length ? beliefs.reduce((a, b) => a + b, 0) / beliefs.length : undefined;
  const gender: Gender | undefined = female === undefined ? undefined : female >= 0.5 ? 'female' : 'male';

  const identity = identityOf(
    accepted.filter((face) => Math.min(face.box.width, face.box.height) >= minIdentityFaceSize),
    minFrameAgreement,
  );

  return {
    frames: frames.length,
    faceFound: true,
    score: best.score,
    age: ages.length ? Math.round(median(ages) * 10) / 10 : undefined,
    gender,
    genderConfidence: female === undefined ? undefined : Math.max(female, 1 - female),
    ...identity,
    faceBox: roundBox(best.box),
  };
}

/**
 * The capture's embedding: the average of the frames whose face is large enough for identity, when
 * every two of them agree; otherwise none, with the reason (age and gender are still given).
 */
function identityOf(faces: DetectedFace[], minFrameAgreement: number): Pick<AnalysisResult, 'embedding' | 'identityWithheld' | 'frameAgreement'> {
  if (faces.length === 0) return { identityWithheld: 'face_too_small_for_identity' };
  // one frame: its own normalised descriptor, exactly as before averaging existed
  if (faces.length === 1) return { embedding: l2Normalise(faces[0]!.embedding!) };
  const units = faces.map((face) => l2Normalise(face.embedding!));
  let agreement = 1;
  for (let i = 0; i < units.length; i += 1) {
    for (let j = i + 1; j < units.length; j += 1) agreement = Math.min(agreement, dot(units[i]!, units[j]!));
  }
  const frameAgreement = Math.round(agreement * 1000) / 1000;
  if (agreement < minFrameAgreement) return { identityWithheld: 'frames_disagree', frameAgreement };
  const sum = new Float32Array(units[0]!.length);
  for (const unit of units) for (let i = 0; i < unit.length; i += 1) sum[i] = sum[i]! + unit[i]!;
  return { embedding: l2Normalise(sum), frameAgreement };
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += a[i]! * b[i]!;
  return sum;
}

/** A capture's frames -> one answer. A bad frame among good ones is left out and listed (a camera
 * glitch should not cost the customer their greeting); when no frame decodes, the first frame's error
 * is the answer. */
export function combineCapture(outcomes: FrameOutcome[], gates: QualityGates = {}): AnalysisResult {
  const frames: FrameFaces[] = [];
  const rejected: RejectedFrame[] = [];
  let firstError: ImageError | undefined;
  outcomes.forEach((outcome, frameIndex) => {
    if (outcome instanceof ImageError) {
      firstError ??= outcome;
      rejected.push({ frameIndex, code: outcome.code });
    } else {
      frames.push(outcome);
    }
  });
  if (frames.length === 0) throw firstError ?? new ImageError('image_empty', 'No frames were given.');
  const result = combineFrames(frames, gates);
  return rejected.length ? { ...result, rejectedFrames: rejected } : result;
}
