// The seam between the pipeline (decode, gates, combining frames) and a face model. Another engine
// (an ONNX model, a remote service) plugs in by implementing FaceEngine and being named in
// `engines` below, so the worker can build it from a plain, cloneable options object.
import type { Gender } from './face-analyzer.js';

/** An RGB frame, 3 bytes per pixel, rows top to bottom. */
export interface RgbFrame {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One face the engine found, in the coordinates of the frame it was given. */
export interface DetectedFace {
  box: Box;
  /** 0..1 */
  score: number;
  age?: number;
  gender?: Gender;
  /** 0.5..1, the probability that `gender` is right */
  genderScore?: number;
  /** raw descriptor; the pipeline normalises it */
  embedding?: Float32Array;
}

/** A face as the detector sees it, before age, gender and the embedding are worked out. */
export interface FaceCandidate {
  box: Box;
  score: number;
}

export interface DetectOptions {
  /** Which detected face to describe (age, gender, embedding), by index, or none; the others come
   * back without them. The pipeline judges a frame by one face and the descriptor is most of a
   * face's cost. An engine may ignore this and describe every face. */
  pickFaceToDescribe?(faces: FaceCandidate[]): number | undefined;
}

export interface FaceEngine {
  readonly name: string;
  /** Load models. Called once, before the first detect. */
  load(): Promise<void>;
  detect(frame: RgbFrame, options?: DetectOptions): Promise<DetectedFace[]>;
  dispose(): Promise<void>;
}

export interface EngineOptions {
  /** largest number of faces the detector reports per frame (the largest is picked afterwards) */
  maxDetected?: number;
  /** detector's own floor; the pipeline's quality gate (minScore) applies on top */
  detectorMinConfidence?: number;
  /** straighten tilted faces before the mesh and the descriptor (default true) */
  rotation?: boolean;
}

export type EngineFactory = (options: EngineOptions) => FaceEngine | Promise<FaceEngine>;

const engines = new Map<string, EngineFactory>([['human-wasm', async (options) => new (await import('./human-engine.js')).HumanEngine(options)]]);

/** Make another engine available by name (call it in the module the worker loads: see docs/faces.md). */
export function registerEngine(name: string, factory: EngineFactory): void {
  engines.set(name, factory);
}

export async function createEngine(name: string, options: EngineOptions): Promise<FaceEngine> {
  const factory = engines.get(name);
  if (!factory) throw new Error(`Unknown face engine "${name}" (known: ${[...engines.keys()].join(', ')}).`);
  return factory(options);
}
