// One frame through the pipeline: decode (bounded), optional preprocessing, the engine, boxes back into
// the original frame's pixels. The in-process analyzer runs a capture's frames through one of these in
// turn; each pool worker holds one and is handed single frames, so a capture spreads over the workers.
import { faceToDescribe, type FrameFaces } from './combine.js';
import { decodeFrame } from './decode.js';
import { createEngine, type FaceEngine } from './engine.js';
import { ImageError } from './face-analyzer.js';
import type { AnalysisOptions } from './in-process-analyzer.js';
import { preprocess } from './preprocess.js';

export const DEFAULT_MAX_FRAMES = 10;

/** The frame count of a capture, checked before any frame is looked at. */
export function checkFrameCount(images: Uint8Array[], options: Pick<AnalysisOptions, 'maxFrames'>): void {
  const maxFrames = options.maxFrames ?? DEFAULT_MAX_FRAMES;
  if (images.length === 0) throw new ImageError('image_empty', 'No frames were given.');
  if (images.length > maxFrames) throw new ImageError('image_too_large', `${images.length} frames were given; at most ${maxFrames} are accepted.`);
}

export interface FrameAnalyzer {
  /** loads the models (analyzeFrame does it on first use otherwise) */
  ready(): Promise<void>;
  /** the faces of one frame, boxes in its original pixels; ImageError when it cannot be read */
  analyzeFrame(image: Uint8Array, frameIndex: number): Promise<FrameFaces>;
  close(): Promise<void>;
}

export function createFrameAnalyzer(options: AnalysisOptions = {}): FrameAnalyzer {
  let engine: Promise<FaceEngine> | undefined;
  const loadEngine = () =>
    (engine ??= (async () => {
      if (options.engineModule) await import(options.engineModule);
      const created = await createEngine(options.engine ?? 'human-wasm', options);
      await created.load();
      return created;
    })());

  return {
    async ready() {
      await loadEngine();
    },

    async analyzeFrame(image, frameIndex) {
      const frame = await decodeFrame(image, options, frameIndex);
      const faceEngine = await loadEngine();
      // boxes back into the original frame's pixels, where the size gate is defined
      const original = <Face extends { box: { x: number; y: number; width: number; height: number } }>(face: Face): Face => ({
        ...face,
        box: { x: face.box.x / frame.scale, y: face.box.y / frame.scale, width: face.box.width / frame.scale, height: face.box.height / frame.scale },
      });
      const faces = await faceEngine.detect(preprocess(frame, options.preprocessing ?? 'none'), {
        // only the face this frame is judged by needs FaceRes (about half of a face's cost)
        pickFaceToDescribe: options.describeEveryFace ? undefined : (candidates) => faceToDescribe(candidates.map(original), options),
      });
      return faces.map(original);
    },

    async close() {
      const loaded = engine;
      engine = undefined;
      if (loaded) await (await loaded).dispose();
    },
  };
}
