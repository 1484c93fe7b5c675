// The measurements behind the decision rule's numbers (docs/faces.md, "Decision rule" and "Age"):
// 7 people from the fixtures, each photo in 9 versions (flip, rotation, brightness, blur, JPEG, crop)
// at its own size and shrunk so the face is 160 ... 48 px. Prints same-person similarity by face size
// (-> the identity size), the stranger distribution (-> the threshold), the agreement of two versions
// of one photo (-> the frame agreement), a simulation of the 1:N false-accept and false-reject rates
// with and without a margin over the runner-up (-> the margin), and the ages read per photo.
// A sanity check on few people; the evaluation bench (bench/face-evaluation*) measures more.
//   cd bench && node --import tsx face-decision.bench.ts      (about 5 minutes on 2 busy cores)
import sharp, { type Sharp } from 'sharp';
import { machine } from './support/measure.js';
import { fixture, loadFacePackage } from './support/face.js';
import { printTable } from './support/table.js';

const { createInProcessAnalyzer, cosineSimilarity, DECISION_DEFAULTS } = await loadFacePackage();

interface Subject {
  person: string;
  name: string;
  image: Buffer;
}
/** the faces of three_men.jpg as the detector boxes them (a fourth, looser box around the middle man is left out) */
const threeMen = [
  { x: 1, y: 50, side: 176 },
  { x: 289, y: 9, side: 159 },
  { x: 402, y: 15, side: 197 },
];
const subjects: Subject[] = [
  { person: 'woman', name: 'woman_frame_a.jpg', image: fixture('woman_frame_a.jpg') },
  { person: 'woman', name: 'woman_frame_b.jpg', image: fixture('woman_frame_b.jpg') },
  { person: 'astronaut', name: 'astronaut.png', image: fixture('astronaut.png') },
  { person: 'bearded man', name: 'bearded_man.jpg', image: fixture('bearded_man.jpg') },
];
{
  const photo = fixture('three_men.jpg');
  const { width, height } = await sharp(photo).metadata();
  for (const [i, face] of threeMen.entries()) {
    // the face and a quarter of its size around it, so no neighbour's face is larger
    const half = face.side * 0.75;
    const left = Math.max(0, Math.round(face.x + face.side / 2 - half));
    const top = Math.max(0, Math.round(face.y + face.side / 2 - half));
    const crop = { left, top, width: Math.min(width! - left, Math.round(2 * half)), height: Math.min(height! - top, Math.round(2 * half)) };
    subjects.push({ person: `man ${i + 1}`, name: `three_men #${i + 1}`, image: await sharp(photo).extract(crop).png().toBuffer() });
  }
}

const versions: Record<string, (image: Sharp, meta: { width: number; height: number }) => Sharp> = {
  original: (image) => image,
  flip: (image) => image.flop(),
  'rotate +10°': (image) => image.rotate(10, { background: '#000' }),
  'rotate -10°': (image) => image.rotate(-10, { background: '#000' }),
  brighter: (image) => image.modulate({ brightness: 1.4 }),
  darker: (image) => image.modulate({ brightness: 0.6 }),
  'blur σ2': (image) => image.blur(2),
  'JPEG q25': (image) => image,
  crop: (image, meta) => image.extract({ left: 0, top: 0, width: Math.round(meta.width * 0.85), height: Math.round(meta.height * 0.85) }),
};
const faceSizes = [undefined, 160, 128, 112, 96, 80, 64, 48];

interface Face {
  person: string;
  name: string;
  size: number | 'own';
  version: string;
  side: number;
  age?: number;
  embedding: Float32Array;
}

// every gate open: this bench measures what the gates should be
const analyzer = createInProcessAnalyzer({ minFaceSize: 1, minIdentityFaceSize: 1, minFrameAgreement: 0 });
await analyzer.ready();
const found: Face[] = [];
let attempted = 0;
for (const subject of subjects) {
  const own = await analyzer.analyze([new Uint8Array(await sharp(subject.image).jpeg({ quality: 95 }).toBuffer())]);
  const ownSide = Math.min(own.faceBox!.width, own.faceBox!.height);
  for (const size of faceSizes) {
    if (size !== undefined && size >= ownSide * 0.95) continue;
    // shrunk first, as a camera sees a face further away; light, blur and compression then act on the small image
    const base =
      size === undefined
        ? subject.image
        : await sharp(subject.image)
            .resize(Math.round(((await sharp(subject.image).metadata()).width! * size) / ownSide))
            .png()
            .toBuffer();
    const meta = (await sharp(base).metadata()) as { width: number; height: number };
    for (const [version, apply] of Object.entries(versions)) {
      const image = apply(sharp(base), meta);
      const bytes = version === 'JPEG q25' ? await image.jpeg({ quality: 25 }).toBuffer() : await image.jpeg({ quality: 95 }).toBuffer();
      attempted += 1;
      const result = await analyzer.analyze([new Uint8Array(bytes)]);
      if (!result.embedding || !result.faceBox) continue;
      found.push({
        person: subject.person,
        name: subject.name,
        size: size ?? 'own',
        version,
        side: Math.min(result.faceBox.width, result.faceBox.height),
        age: result.age,
        embedding: result.embedding,
      });
    }
  }
}
await analyzer.close();

const quantile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))] ?? Number.NaN;
const f3 = (n: number) => (Number.isFinite(n) ? n.toFixed(3) : '–');
const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(1)} %`;

console.log(`Face decision rule, ${new Date().toISOString().slice(0, 10)}, ${machine()}\n`);
console.log(`${subjects.length} photos of ${new Set(subjects.map((s) => s.person)).size} people, ${attempted} versions, ${found.length} with a face.\n`);

// same person: each version against the enrolled originals (own size) of the same person
const enrolled = found.filter((face) => face.size === 'own' && face.version === 'original');
const samePerson = (minSide: number) =>
  found
    .filter((face) => face.side >= minSide)
    .flatMap((face) => enrolled.filter((e) => e.person === face.person && e !== face).map((e) => cosineSimilarity(face.embedding, e.embedding)))
    .sort((a, b) => a - b);
console.log('Same person, a version against the enrolled original(s), by the version face size (identity size)\n');
printTable(
  ['face ≥ px', 'pairs', 'min', 'p5', 'median', 'under 0.70'],
  [64, 80, 96, 104, 112, 120, 128, 144].map((minSide) => {
    const s = samePerson(minSide);
    return [minSide, s.length, f3(s[0]!), f3(quantile(s, 0.05)), f3(quantile(s, 0.5)), pct(s.filter((x) => x < 0.7).length, s.length)];
  }),
);

const strangers: number[] = [];
for (let i = 0; i < found.length; i += 1) {
  for (let j = i + 1; j < found.length; j += 1) {
    if (found[i]!.person !== found[j]!.person) strangers.push(cosineSimilarity(found[i]!.embedding, found[j]!.embedding));
  }
}
strangers.sort((a, b) => a - b);
const mean = strangers.reduce((a, b) => a + b, 0) / strangers.length;
const sd = Math.sqrt(strangers.reduce((a, b) => a + (b - mean) ** 2, 0) / strangers.length);
const agreement: number[] = [];
for (let i = 0; i < found.length; i += 1) {
  for (let j = i + 1; j < found.length; j += 1) {
    const [a, b] = [found[i]!, found[j]!];
    if (a.name === b.name && a.size === b.size && a.side >= DECISION_DEFAULTS.minIdentityFaceSize && b.side >= DECISION_DEFAULTS.minIdentityFaceSize) {
      agreement.push(cosineSimilarity(a.embedding, b.embedding));
    }
  }
}
agreement.sort((a, b) => a - b);
console.log('\nDistributions\n');
printTable(
  ['pairs', 'count', 'min', 'p1', 'mean', 'p50', 'p99', 'p99.9', 'max'],
  [
    [
      'strangers (versions of different people)',
      strangers.length,
      f3(strangers[0]!),
      f3(quantile(strangers, 0.01)),
      f3(mean),
      f3(quantile(strangers, 0.5)),
      f3(quantile(strangers, 0.99)),
      f3(quantile(strangers, 0.999)),
      f3(strangers.at(-1)!),
    ],
    [
      `two versions of one photo, one size, faces ≥ ${DECISION_DEFAULTS.minIdentityFaceSize} px (frames)`,
      agreement.length,
      f3(agreement[0]!),
      f3(quantile(agreement, 0.01)),
      f3(agreement.reduce((a, b) => a + b, 0) / agreement.length),
      f3(quantile(agreement, 0.5)),
      f3(quantile(agreement, 0.99)),
      f3(quantile(agreement, 0.999)),
      f3(agreement.at(-1)!),
    ],
  ],
);

// 1:N by simulation: the best two of N strangers (order statistics of uniforms through a fitted normal)
function normalQuantile(p: number): number {
  // Acklam's approximation
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}
let state = 12_345;
const uniform = () => {
  state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
  return (state + 0.5) / 2_147_483_648;
};
const genuine = samePerson(DECISION_DEFAULTS.minIdentityFaceSize);
const tailSd = (quantile(strangers, 0.999) - quantile(strangers, 0.99)) / (3.0902 - 2.3263);
const fits = { 'whole fit': [mean, sd], 'tail fit (p99, p99.9)': [quantile(strangers, 0.99) - 2.3263 * tailSd, tailSd] } as const;
const margins = [0, 0.03, 0.05, 0.08, 0.1];
const threshold = DECISION_DEFAULTS.matchThreshold;
const rows: (string | number)[][] = [];
for (const [fit, [mu, sigma]] of Object.entries(fits)) {
  for (const members of [1_000, 10_000, 100_000]) {
    const trials = 200_000;
    const accepts = margins.map(() => 0);
    const rejects = margins.map(() => 0);
    for (let t = 0; t < trials; t += 1) {
      const u1 = uniform() ** (1 / members);
      const u2 = u1 * uniform() ** (1 / (members - 1));
      const best = mu + sigma * normalQuantile(u1);
      const second = mu + sigma * normalQuantile(u2);
      const member = genuine[t % genuine.length]!;
      margins.forEach((margin, i) => {
        if (best >= threshold && best - second >= margin) accepts[i]! += 1;
        if (!(member >= threshold && member - best >= margin)) rejects[i]! += 1;
      });
    }
    rows.push([fit, members.toLocaleString('en-US'), ...margins.map((_, i) => `${pct(accepts[i]!, trials)} / ${pct(rejects[i]!, trials)}`)]);
  }
}
console.log(`\n1:N at threshold ${threshold}: false accepts of an unenrolled visitor / false rejects of a member, by margin over the runner-up`);
console.log(
  `(strangers fitted: whole mean ${f3(mean)} sd ${f3(sd)}; tail mean ${f3(fits['tail fit (p99, p99.9)'][0])} sd ${f3(tailSd)}; members: the same-person pairs ≥ ${DECISION_DEFAULTS.minIdentityFaceSize} px)\n`,
);
printTable(['fit', 'members', ...margins.map((m) => `margin ${m}`)], rows);

console.log('\nAge read per photo (all versions with a face; faces ≥ 112 px | smaller)\n');
printTable(
  ['photo', 'min', 'median', 'max', 'smaller: min', 'median', 'max'],
  subjects.map((subject) => {
    const ages = (large: boolean) =>
      found
        .filter((face) => face.name === subject.name && face.side >= 112 === large && face.age !== undefined)
        .map((face) => face.age!)
        .sort((a, b) => a - b);
    const [big, small] = [ages(true), ages(false)];
    return [subject.name, big[0], quantile(big, 0.5), big.at(-1), small[0], quantile(small, 0.5), small.at(-1)];
  }),
);
