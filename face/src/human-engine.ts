// @vladmandic/human on tfjs' WASM backend: BlazeFace detection, FaceMesh refinement, FaceRes for age,
// gender and a 1024-d descriptor. Everything is loaded from the installed packages' own files: no
// network, no tfjs-node (see ../shared/notes/face-analysis-in-node.md for the pitfalls avoided here).
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import type { io } from '@tensorflow/tfjs-core';
import type { DetectedFace, EngineOptions, FaceEngine, RgbFrame } from './engine.js';

const require = createRequire(import.meta.url);

// The package's exports map hides its node-wasm build (its keys lack "./"): load it by path.
// It requires @tensorflow/tfjs-core, -converter and -backend-wasm itself, so `human.tf` is the one
// tfjs instance everything below must use.
const humanDist = path.dirname(require.resolve('@vladmandic/human'));
const modelsDir = path.join(humanDist, '..', 'models');
const wasmDir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), path.sep);

type HumanModule = typeof import('@vladmandic/human');
type Human = InstanceType<HumanModule['Human']>;
type Tf = Human['tf'];

let loadRouterRegistered = false;

/** tfjs has no file:// loader without tfjs-node: read model.json and its weight shards from disk. */
function registerFileLoader(tf: Tf): void {
  if (loadRouterRegistered) return;
  loadRouterRegistered = true;
  tf.io.registerLoadRouter((url: string | string[]) => {
    if (typeof url !== 'string' || !url.startsWith('file://')) return null;
    const modelPath = fileURLToPath(url);
    return {
      load: async () => {
        const modelJson = JSON.parse(await fs.readFile(modelPath, 'utf8'));
        return tf.io.getModelArtifactsForJSON(modelJson, async (manifest: io.WeightsManifestConfig) => {
          const weightSpecs = manifest.flatMap((group: io.WeightsManifestConfig[number]) => group.weights);
          const shards = await Promise.all(
            manifest.flatMap((group: io.WeightsManifestConfig[number]) => group.paths).map((shard: string) => fs.readFile(path.join(path.dirname(modelPath), shard))),
          );
          const weights = Buffer.concat(shards);
          return [weightSpecs, weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength)];
        });
      },
    };
  });
}

export class HumanEngine implements FaceEngine {
  readonly name = 'human-wasm';
  private human?: Human;

  constructor(private readonly options: EngineOptions = {}) {}

  async load(): Promise<void> {
    const { Human } = require(path.join(humanDist, 'human.node-wasm.js')) as HumanModule;
    const human = new Human({
      backend: 'wasm',
      wasmPath: wasmDir,
      modelBasePath: `${pathToFileURL(modelsDir).href}/`,
      debug: false,
      async: false,
      warmup: 'none',
      // caching returns a previous frame's result for a similar frame: two customers would get one result
      cacheSensitivity: 0,
      skipAllowed: false,
      filter: { enabled: false },
      face: {
        enabled: true,
        detector: {
          rotation: this.options.rotation ?? true,
          maxDetected: this.options.maxDetected ?? 10,
          minConfidence: this.options.detectorMinConfidence ?? 0.2,
          skipFrames: 0,
          return: false,
        },
        // the mesh aligns the crop for the descriptor: without it a flipped photo scores 0.11 against itself
        mesh: { enabled: true },
        iris: { enabled: false },
        description: { enabled: true, skipFrames: 0 },
        emotion: { enabled: false },
        antispoof: { enabled: false },
        liveness: { enabled: false },
        attention: { enabled: false },
      },
      body: { enabled: false },
      hand: { enabled: false },
      object: { enabled: false },
      gesture: { enabled: false },
      segmentation: { enabled: false },
    });
    registerFileLoader(human.tf);
    await human.init();
    await human.load();
    this.human = human;
  }

  async detect(frame: RgbFrame): Promise<DetectedFace[]> {
    const human = this.human;
    if (!human) throw new Error('HumanEngine.detect before load');
    // float32 straight away: Human casts an int32 tensor itself, which costs more than this copy
    const input = human.tf.tensor3d(Float32Array.from(frame.data), [frame.height, frame.width, 3], 'float32');
    try {
      const result = await human.detect(input);
      if (result.error) throw new Error(`Human: ${result.error}`);
      return result.face.map((face) => ({
        box: { x: face.box[0], y: face.box[1], width: face.box[2], height: face.box[3] },
        // face.score mixes in the mesh's confidence and sits at 1 for most faces; the detector's own
        // score still tells a clear frame from a poor one
        score: face.boxScore ?? face.score,
        age: face.age,
        gender: face.gender === 'female' || face.gender === 'male' ? face.gender : undefined,
        // Human's genderScore is 2 x |p - 0.5| (0 = unsure): back to the probability of `gender`
        genderScore: face.genderScore === undefined ? undefined : 0.5 + face.genderScore / 2,
        embedding: face.embedding && face.embedding.length > 0 ? Float32Array.from(face.embedding) : undefined,
      }));
    } finally {
      input.dispose();
    }
  }

  async dispose(): Promise<void> {
    this.human?.tf.disposeVariables();
    this.human = undefined;
  }
}
