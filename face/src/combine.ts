// The frames of one capture -> one answer: the largest confident face of each frame, the size gate,
// then the best-scoring frame gives the embedding, the median age over the frames with a face, and gender by
// averaging each frame's confidence.
import type { Box, DetectedFace } from './engine.js';
import type { AnalysisResult, Gender, NoFaceReason } from './face-analyzer.js';

export interface QualityGates {
  /** the face box's shorter side, in pixels of the original frame (default 64) */
  minFaceSize?: number;
  /** detection score, 0..1 (default 0.5) */
  minScore?: number;
}

export const defaultQualityGates: Required<QualityGates> = { minFaceSize: 64, minScore: 0.5 };

/** The faces of one frame, boxes already in the original frame's pixels. */
export type FrameFaces = DetectedFace[];

export function largestFace(faces: FrameFaces): DetectedFace | undefined {
  let largest: DetectedFace | undefined;
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

export function combineFrames(frames: FrameFaces[], gates: QualityGates = {}): AnalysisResult {
  const { minFaceSize, minScore } = { ...defaultQualityGates, ...gates };
  // the largest face among those the detector is sure of: a big, doubtful box (a poster, a pattern)
  // must not hide the customer standing in front of the camera
  const confident = frames
    .map((faces) => largestFace(faces.filter((face) => face.score >= minScore)))
    .filter((face): face is DetectedFace => face !== undefined);
  const accepted = confident.filter((face) => Math.min(face.box.width, face.box.height) >= minFaceSize && face.embedding);

  if (accepted.length === 0) {
    let noFaceReason: NoFaceReason = 'no_face';
    if (confident.length > 0) noFaceReason = 'face_too_small';
    else if (frames.some((faces) => faces.length > 0)) noFaceReason = 'low_score';
    return { frames: frames.length, faceFound: false, noFaceReason };
  }

  const best = accepted.reduce((a, b) => (b.score > a.score ? b : a));
  const ages = accepted.map((face) => face.age).filter((age): age is number => Number.isFinite(age));
  // each frame's belief that the face is a woman's, averaged: a confident frame outweighs an unsure one
  const beliefs = accepted
    .filter((face) => face.gender && Number.isFinite(face.genderScore))
    .map((face) => (face.gender === 'female' ? face.genderScore! : 1 - face.genderScore!));
  const female = beliefs.length ? beliefs.reduce((a, b) => a + b, 0) / beliefs.length : undefined;
  const gender: Gender | undefined = female === undefined ? undefined : female >= 0.5 ? 'female' : 'male';

  return {
    frames: frames.length,
    faceFound: true,
    score: best.score,
    age: ages.length ? Math.round(median(ages) * 10) / 10 : undefined,
    gender,
    genderConfidence: female === undefined ? undefined : Math.max(female, 1 - female),
    embedding: l2Normalise(best.embedding!),
    faceBox: roundBox(best.box),
  };
}
