// Figure 3: matching one face against 1k, 10k, 100k and 1M enrolled embeddings of 1024 numbers with
// FaceIndex (exact search), p50 over repeated queries, and the plain JS loop over the float32 rows
// for comparison. Embeddings are synthetic but shaped like FaceRes descriptors: any two strangers
// have a cosine similarity of about 0.35, a query of an enrolled person about 0.85.
//   node --import tsx face-matching.bench.ts        BENCH_FACE_SIZES=1000,10000 to pick sizes
import { fmt, machine, quantile } from './support/measure.js';
import { loadFacePackage, mb } from './support/face.js';
import { printTable } from './support/table.js';

const DIMENSIONS = 1024;
const sizes = (process.env.BENCH_FACE_SIZES ?? '1000,10000,100000,1000000').split(',').map(Number);
const { FaceIndex } = await loadFacePackage();

// deterministic pseudo-random numbers (xorshift32 + Box-Muller)
let state = 2463534242;
const uniform = () => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 2 ** 32;
};
const gaussian = () => Math.sqrt(-2 * Math.log(uniform() || 1e-12)) * Math.cos(2 * Math.PI * uniform());
const unitGaussian = () => {
  const v = Float32Array.from({ length: DIMENSIONS }, gaussian);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
};

// a shared direction plus each person's own: cosine of two strangers = a^2 / (1 + a^2) = 0.35
const shared = unitGaussian();
const SHARED_WEIGHT = Math.sqrt(0.35 / 0.65);
// a pool of noise that rows are cut from at random offsets: far cheaper than fresh numbers per row at 1M
const noise = Float32Array.from({ length: 1 << 22 }, () => gaussian() / Math.sqrt(DIMENSIONS));
function person(into: Float32Array = new Float32Array(DIMENSIONS)): Float32Array {
  const offset = Math.floor(uniform() * (noise.length - DIMENSIONS));
  for (let i = 0; i < DIMENSIONS; i += 1) into[i] = SHARED_WEIGHT * shared[i]! + noise[offset + i]!;
  return into;
}
/** the same person, another photo: similarity about 0.85 */
function samePerson(of: Float32Array): Float32Array {
  const other = person();
  return of.map((x, i) => x + 0.77 * (other[i]! - SHARED_WEIGHT * shared[i]!));
}

function time(run: () => unknown, repeats: number): number {
  for (let i = 0; i < 3; i += 1) run();
  const samples: number[] = [];
  for (let i = 0; i < repeats; i += 1) {
    const t0 = performance.now();
    run();
    samples.push(performance.now() - t0);
  }
  return quantile(
    samples.sort((a, b) => a - b),
    0.5,
  );
}

console.log(`Face matching, ${new Date().toISOString().slice(0, 10)}, ${machine()}\n`);
const rows: (string | number)[][] = [];
for (const size of sizes) {
  const rssBefore = process.memoryUsage().rss;
  const index = new FaceIndex(DIMENSIONS, { initialCapacity: size });
  const row = new Float32Array(DIMENSIONS);
  const enrolledSamples: Float32Array[] = [];
  const buildStart = performance.now();
  for (let i = 0; i < size; i += 1) {
    index.add(`customer-${i}`, person(row));
    if (i % Math.max(1, Math.floor(size / 20)) === 0) enrolledSamples.push(row.slice());
  }
  const buildMs = performance.now() - buildStart;
  const rss = process.memoryUsage().rss - rssBefore;

  const repeats = size >= 1_000_000 ? 15 : size >= 100_000 ? 30 : 100;
  const members = enrolledSamples.map(samePerson);
  const strangers = Array.from({ length: 20 }, () => person());
  let k = 0;
  const member = time(() => index.search(members[k++ % members.length]!), repeats);
  const stranger = time(() => index.search(strangers[k++ % strangers.length]!), repeats);
  const strangerThreshold = time(() => index.search(strangers[k++ % strangers.length]!, { minSimilarity: 0.7 }), repeats);
  const check = index.search(members[0]!)!;

  let plainJs = 'not run (about 1 s a search)';
  if (size <= 100_000) {
    const plain = new FaceIndex(DIMENSIONS, { simd: false, initialCapacity: size });
    for (let i = 0; i < Math.min(size, 100_000); i += 1) plain.add(`customer-${i}`, person(row));
    plainJs = fmt.ms(time(() => plain.search(strangers[k++ % strangers.length]!), Math.min(repeats, 10)));
  }
  rows.push([
    size.toLocaleString('en-US'),
    fmt.ms(member),
    fmt.ms(stranger),
    fmt.ms(strangerThreshold),
    plainJs,
    check.similarity.toFixed(2),
    mb(rss),
    fmt.s(buildMs),
  ]);
  console.error(`${size}: done`);
}

printTable(
  [
    'enrolled',
    'p50 search, enrolled person',
    'p50 search, stranger',
    'p50 search, stranger, minSimilarity 0.7',
    'p50 plain JS loop (float32, every row)',
    'similarity found, enrolled',
    'RSS of the index',
    'build time',
  ],
  rows,
);
