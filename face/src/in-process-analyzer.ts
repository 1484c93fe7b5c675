// The whole pipeline on the calling thread: decode (bounded), optional preprocessing, the engine,
// then combining the frames. The worker pool runs one of these per worker; benches use it directly
// to time one worker without the thread hop. Never use it on a server's event loop.
import { combineFrames, type QualityGates } from './combine.js';
import { decodeFrame, type DecodeLimits, type DecodedFrame } from './decode.js';
import { createEngine, type EngineOptions, type FaceEngine } from './engine.js';
import { ImageError, type AnalysisResult, type FaceAnalyzer } from './face-analyzer.js';
import { preprocess, type Preprocessing } from './preprocess.js';

/** Everything about how one capture is analysed. Plain data: it crosses into the workers. */
export interface AnalysisOptions extends DecodeLimits, QualityGates, EngineOptions {
  /** the engine's registered name (default 'human-wasm') */
  engine?: string;
  /** a module (path or file: URL) imported first in each worker, to call registerEngine() there */
  engineModule?: string;
  /** default 'none': the original's grayscale/equalise/blur measurably did not help (docs/faces.md) */
  preprocessing?: Preprocessing;
  /** most frames accepted in one analysis (default 10) */
  maxFrames?: number;
}

export const DEFAULT_MAX_FRAMES = 10;

/** A frame that could not be decoded and was left out; the rest were analysed. */
export interface RejectedFrame {
  frameIndex: number;
  code: ImageError['code'];
}

export interface InProcessAnalyzer extends FaceAnalyzer {
  /** loads the models (analyze does it on first use otherwise) */
  ready(): Promise<void>;
}

export function createInProcessAnalyzer(options: AnalysisOptions = {}): InProcessAnalyzer {
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

    async analyze(images) {
      const maxFrames = options.maxFrames ?? DEFAULT_MAX_FRAMES;
      if (images.length === 0) throw new ImageError('image_empty', 'No frames were given.');
      if (images.length > maxFrames) throw new ImageError('image_too_large', `${images.length} frames were given; at most ${maxFrames} are accepted.`);

      // a bad frame among good ones is left out (a camera glitch should not cost the customer their
      // greeting); when no frame decodes, the first frame's error is the answer
      const decoded: DecodedFrame[] = [];
      const rejected: RejectedFrame[] = [];
      let firstError: ImageError | undefined;
      for (const [frameIndex, image] of images.entries()) {
        try {
          decoded.push(await decodeFrame(image, options, frameIndex));
        } catch (error) {
          if (!(error instanceof ImageError)) throw error;
          firstError ??= error;
          rejected.push({ frameIndex, code: error.code });
        }
      }
      if (decoded.length === 0) throw firstError!;

      const faceEngine = await loadEngine();
      const perFrame = [];
      for (const frame of decoded) {
        const faces = await faceEngine.detect(preprocess(frame, options.preprocessing ?? 'none'));
        // boxes back into the original frame's pixels, where the size gate is defined
        perFrame.push(
          faces.map((face) => ({
            ...face,
            box: {
              x: face.box.x / frame.scale,
              y: face.box.y / frame.scale,
              width: face.box.width / frame.scale,
              height: face.box.height / frame.scale,
            },
          })),
        );
      }
      const result: AnalysisResult = combineFrames(perFrame, options);
      return rejected.length ? { ...result, rejectedFrames: rejected } : result;
    },

    async close() {
      const loaded = engine;
      engine = undefined;
      if (loaded) await (await loaded).dispose();
    },
  };
}
