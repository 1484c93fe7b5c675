// @vladmandic/human on tfjs' WASM backend: BlazeFace detection, FaceMesh refinement, FaceRes for age,
// gender and a 1024-d descriptor. Everything is loaded from the installed packages' own files: no
// network, no tfjs-node (see ../shared/notes/face-analysis-in-node.md for the pitfalls avoided here).
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import type { io } from '@tensorflow/tfjs-core';
import type { DetectedFace, DetectOptions, EngineOptions, FaceEngine, RgbFrame } from './engine.js';

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
type HumanFace = Awaited<ReturnType<Human['detect']>>['face'][number];
type Tensor = NonNullable<HumanFace['tensor']>;
type Tensor4D = Parameters<Tf['image']['resizeBilinear']>[0];
/** FaceRes' answers, as Human reports them (genderScore 0 = unsure, 1 = sure) */
type Description = Pick<HumanFace, 'age' | 'gender' | 'genderScore' | 'embedding'>;

// per-call settings (Human merges them into its configuration on each detect)
const detectOnly = { face: { detector: { return: true }, description: { enabled: false } } } as Parameters<Human['detect']>[1];
const detectAndDescribe = { face: { detector: { return: false }, description: { enabled: true } } } as Parameters<Human['detect']>[1];

function toDetectedFace(face: HumanFace, description: Description): DetectedFace {
  return {
    box: { x: face.box[0], y: face.box[1], width: face.box[2], height: face.box[3] },
    // face.score mixes in the mesh's confidence and sits at 1 for most faces; the detector's own
    // score still tells a clear frame from a poor one
    score: face.boxScore ?? face.score,
    // as Human fills its result: a zero age or gender score means none
    age: description.age || undefined,
    gender: description.gender === 'female' || description.gender === 'male' ? description.gender : undefined,
    // Human's genderScore is 2 x |p - 0.5| (0 = unsure): back to the probability of `gender`
    genderScore: description.genderScore ? 0.5 + description.genderScore / 2 : undefined,
    embedding: description.embedding && description.embedding.length > 0 ? Float32Array.from(description.embedding) : undefined,
  };
}

let loadRouterRegistered = false;

interface GraphNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, unknown>;
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 };

/** The values of the scalar constants among a model's weights, by name. */
function scalarWeights(tf: Tf, specs: io.WeightsManifestEntry[], weights: ArrayBuffer): Map<string, number> {
  const scalars = new Map<string, number>();
  let offset = 0;
  for (const spec of specs) {
    const perElement = BYTES_PER_ELEMENT[spec.quantization?.dtype ?? spec.dtype];
    if (!perElement) break; // strings have no fixed size: the weights after one cannot be located
    const bytes = spec.shape.reduce((count, size) => count * size, 1) * perElement;
    if (spec.shape.length === 0) {
      const tensor = tf.io.decodeWeights(weights.slice(offset, offset + bytes), [spec])[spec.name]!;
      scalars.set(spec.name, tensor.dataSync()[0]!);
      tensor.dispose();
    }
    offset += bytes;
  }
  return scalars;
}

/**
 * FaceRes (a Keras MobileNet) spells each ReLU6 as Relu -> Minimum(6) -> Maximum(0). tfjs' WASM backend
 * runs those two scalar-broadcast ops in a slow generic loop: they were half of FaceRes' time. One Relu6
 * (XNNPACK's clamp to [0, 6]) gives the same numbers bit for bit (min and max are exact), so each such
 * chain is replaced by it when the model is loaded (face/test checks results against digests recorded
 * with the models as shipped). Bias adds are left unfused: fusing them would round differently.
 */
function replaceClippedRelus(tf: Tf, topology: { node?: GraphNode[] }, specs: io.WeightsManifestEntry[], weights: ArrayBuffer): void {
  const nodes = topology.node;
  if (!nodes) return;
  const byName = new Map(nodes.map((node) => [node.name, node]));
  const consumers = new Map<string, number>();
  for (const node of nodes) for (const input of node.input ?? []) consumers.set(input, (consumers.get(input) ?? 0) + 1);
  const scalars = scalarWeights(tf, specs, weights);
  const constant = (name: string | undefined) => (byName.get(name ?? '')?.op === 'Const' ? scalars.get(name!) : undefined);
  const removed = new Set<GraphNode>();
  for (const maximum of nodes) {
    if (maximum.op !== 'Maximum' || maximum.input?.length !== 2 || constant(maximum.input[1]) !== 0) continue;
    const minimum = byName.get(maximum.input[0]!);
    if (minimum?.op !== 'Minimum' || minimum.input?.length !== 2 || constant(minimum.input[1]) !== 6 || consumers.get(minimum.name) !== 1) continue;
    const relu = byName.get(minimum.input[0]!);
    if (relu?.op !== 'Relu' || relu.input?.length !== 1 || consumers.get(relu.name) !== 1) continue;
    // the Maximum keeps its name, so the nodes reading the chain's output read the Relu6
    maximum.op = 'Relu6';
    maximum.input = [...relu.input];
    maximum.attr = relu.attr;
    removed.add(minimum).add(relu);
  }
  if (removed.size > 0) topology.node = nodes.filter((node) => !removed.has(node));
}

/** tfjs has no file:// loader without tfjs-node: read model.json and its weight shards from disk. */
function registerFileLoader(tf: Tf): void {
  if (loadRouterRegistered) return;
  loadRouterRegistered = true;
  tf.io.registerLoadRouter((url: string | string[]) => {
    if (typeof url !== 'string' || !url.startsWith('file://')) return null;
    const modelPath = fileURLToPath(url);
    return {
      load: async () => {
        const modelJson = JSON.parse(await fs.readFile(modelPath, 'utf8')) as io.ModelJSON;
        const manifest = modelJson.weightsManifest ?? [];
        const weightSpecs = manifest.flatMap((group) => group.weights);
        const shards = await Promise.all(manifest.flatMap((group) => group.paths).map((shard) => fs.readFile(path.join(path.dirname(modelPath), shard))));
        const joined = Buffer.concat(shards);
        const weights = joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength) as ArrayBuffer;
        replaceClippedRelus(tf, modelJson.modelTopology as { node?: GraphNode[] }, weightSpecs, weights);
        return tf.io.getModelArtifactsForJSON(modelJson, async () => [weightSpecs, weights]);
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

  async detect(frame: RgbFrame, options: DetectOptions = {}): Promise<DetectedFace[]> {
    const human = this.human;
    if (!human) throw new Error('HumanEngine.detect before load');
    const pick = options.pickFaceToDescribe;
    // float32 straight away: Human casts an int32 tensor itself, which costs more than this copy
    const input = human.tf.tensor3d(Float32Array.from(frame.data), [frame.height, frame.width, 3], 'float32');
    try {
      // with a picker, Human stops after the mesh and hands back each face's aligned crop; FaceRes then
      // runs here on the picked crop only. Without one, Human describes every face itself.
      const result = await human.detect(input, pick ? detectOnly : detectAndDescribe);
      try {
        if (result.error) throw new Error(`Human: ${result.error}`);
        if (!pick) return result.face.map((face) => toDetectedFace(face, face));
        const faces: DetectedFace[] = result.face.map((face) => toDetectedFace(face, {}));
        const picked = pick(faces.map(({ box, score }) => ({ box, score })));
        const crop = picked === undefined ? undefined : result.face[picked]?.tensor;
        if (crop) faces[picked!] = toDetectedFace(result.face[picked!]!, await this.describe(human, crop));
        return faces;
      } finally {
        for (const face of result.face) if (face.tensor) human.tf.dispose(face.tensor);
      }
    } finally {
      input.dispose();
    }
  }

  /** FaceRes on one aligned face crop, exactly as Human runs it on every face (its src/face/faceres.ts);
   * a test compares the two */
  private async describe(human: Human, crop: Tensor): Promise<Description> {
    const tf = human.tf;
    const model = human.models.models.faceres;
    const shape = model?.inputs[0]?.shape;
    if (!model || !shape) throw new Error('Human: FaceRes is not loaded');
    const batch = tf.tidy(() => tf.mul(tf.image.resizeBilinear(tf.expandDims(crop, 0) as Tensor4D, [shape[2]!, shape[1]!], false), 255));
    const outputs = model.execute(batch) as Tensor[];
    batch.dispose();
    try {
      const output = async (width: number) => (await outputs.find((tensor) => tensor.shape[1] === width)?.data()) ?? new Float32Array(0);
      const [male, ageBins, descriptor] = await Promise.all([output(1), output(100), output(1024)]);
      const description: Description = { embedding: Array.from(descriptor) };
      // gender: Human's rounding and its floor (description.minConfidence)
      const confidence = Math.trunc(200 * Math.abs(male[0]! - 0.5)) / 100;
      if (confidence > (human.config.face.description?.minConfidence ?? 0)) {
        description.gender = male[0]! <= 0.5 ? 'female' : 'male';
        description.genderScore = Math.min(0.99, confidence);
      }
      // age: the most likely decade bin, nudged towards its likelier neighbour
      let bin = 0;
      for (let i = 1; i < ageBins.length; i += 1) if (ageBins[i]! > ageBins[bin]!) bin = i;
      const before = ageBins[bin - 1];
      const after = ageBins[bin + 1];
      description.age =
        Math.round(before !== undefined && after !== undefined && before > after ? 10 * bin - 100 * before : 10 * bin + 100 * (after ?? Number.NaN)) / 10;
      return description;
    } finally {
      tf.dispose(outputs);
    }
  }

  async dispose(): Promise<void> {
    this.human?.tf.disposeVariables();
    this.human = undefined;
  }
}
