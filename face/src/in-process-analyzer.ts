// The whole pipeline on the calling thread: each frame decoded (bounded), optionally preprocessed and
// run through the engine (frame-analyzer.ts), then the frames combined. The worker pool spreads the
// same frame step over its workers; benches use this directly to time one thread without the hop.
// Never use it on a server's event loop.
import { combineCapture, type FrameOutcome, type QualityGates } from './combine.js';
import type { DecodeLimits } from './decode.js';
import type { EngineOptions } from './engine.js';
import { ImageError, type FaceAnalyzer } from './face-analyzer.js';
import { checkFrameCount, createFrameAnalyzer } from './frame-analyzer.js';
import type { Preprocessing } from './preprocess.js';

export type { RejectedFrame } from './combine.js';

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
  /** age, gender and embedding for every detected face, not only the one each frame is judged by
   * (default false: same answer, one descriptor per extra face more; for comparisons) */
  describeEveryFace?: boolean;
}

export interface InProcessAnalyzer extends FaceAnalyzer {
  /** loads the models (analyze does it on first use otherwise) */
  ready(): Promise<void>;
}

export function createInProcessAnalyzer(options: AnalysisOptions = {}): InProcessAnalyzer {
  const frames = createFrameAnalyzer(options);
  return {
    ready: () => frames.ready(),

    async analyze(images) {
      checkFrameCount(images, options);
      const outcomes: FrameOutcome[] = [];
      for (const [frameIndex, image] of images.entries()) {
        try {
          outcomes.push(await frames.analyzeFrame(image, frameIndex));
        } catch (error) {
          if (!(error instanceof ImageError)) throw error;
          outcomes.push(error);
        }
      }
      return combineCapture(outcomes, options);
    },

    close: () => frames.close(),
  };
}
