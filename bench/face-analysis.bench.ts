// Figure 1: face analysis of 640x480 photos through the worker pool (@pinokio/face, Human on WASM):
// latency per photo on one worker (p50/p95), CPU time per photo (holds up when other work shares the
// machine), photos per second with the pool on 2 workers, and memory per worker. Each pool size runs
// in a child process of its own so that the memory figures are its own.
//   node --import tsx face-analysis.bench.ts
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { fmt, loadAverage, machine, quantile } from './support/measure.js';
import { fixture, loadFacePackage, mb } from './support/face.js';
import { printTable } from './support/table.js';

const ONE_FACE_PHOTOS = ['woman_frame_a.jpg', 'woman_frame_b.jpg', 'bearded_man.jpg', 'astronaut.png'];

interface ChildReport {
  size: number;
  baselineRss: number;
  readyRss: number;
  peakRss: number;
  loadMs: number;
  single?: { p50: number; p95: number; cpuMs: number; calls: number };
  crowded?: { p50: number; p95: number };
  capture?: { p50: number; p95: number };
  throughput: { photos: number; seconds: number; cpuMs: number };
}

async function photo640x480(name: string): Promise<Uint8Array> {
  return new Uint8Array(await sharp(fixture(name)).resize(640, 480, { fit: 'cover' }).jpeg({ quality: 90 }).toBuffer());
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

async function child(size: number): Promise<ChildReport> {
  const { createFacePool } = await loadFacePackage();
  const photos = await Promise.all(ONE_FACE_PHOTOS.map(photo640x480));
  const crowdedPhoto = await photo640x480('three_men.jpg');
  const baselineRss = process.memoryUsage().rss;
  const pool = createFacePool({ size });
  const loadStart = performance.now();
  await pool.ready();
  const loadMs = performance.now() - loadStart;
  for (let i = 0; i < 3 * size; i += 1) await Promise.all(photos.map((image) => pool.analyze([image])));
  const readyRss = process.memoryUsage().rss;

  const timeEach = async (calls: number, images: () => Uint8Array[]) => {
    const samples: number[] = [];
    for (let i = 0; i < calls; i += 1) {
      const t0 = performance.now();
      const result = await pool.analyze(images());
      samples.push(performance.now() - t0);
      if (!result.faceFound) throw new Error('no face found in a bench photo');
    }
    samples.sort((a, b) => a - b);
    return { p50: quantile(samples, 0.5), p95: quantile(samples, 0.95) };
  };

  const report: ChildReport = { size, baselineRss, readyRss, peakRss: 0, loadMs, throughput: { photos: 0, seconds: 0, cpuMs: 0 } };
  if (size === 1) {
    const calls = 40;
    let k = 0;
    const cpu = process.cpuUsage();
    const single = await timeEach(calls, () => [photos[k++ % photos.length]!]);
    report.single = { ...single, cpuMs: cpuMs(cpu) / calls, calls };
    report.crowded = await timeEach(10, () => [crowdedPhoto]);
  }
  // the pool spreads a capture's frames over its workers
  report.capture = await timeEach(10, () => photos.slice(0, 3));

  // throughput: twice as many analyses in flight as workers, so none waits idle
  const total = 24 * size;
  let next = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: 2 * size }, async () => {
      while (next < total) {
        next += 1;
        await pool.analyze([photos[next % photos.length]!]);
      }
    }),
  );
  report.throughput = { photos: total, seconds: (performance.now() - start) / 1000, cpuMs: cpuMs(cpu) / total };
  report.peakRss = process.resourceUsage().maxRSS * 1024;
  await pool.close();
  return report;
}

if (process.argv[2] === 'child') {
  console.log(JSON.stringify(await child(Number(process.argv[3]))));
} else {
  await loadFacePackage(); // builds face/dist once, before the children race to
  const loadBefore = loadAverage();
  const reports = [1, 2].map((size) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'child', String(size)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (run.status !== 0) throw new Error(`child ${size} failed (${run.status})`);
    return JSON.parse(run.stdout.trim().split('\n').pop()!) as ChildReport;
  });
  const [one, two] = reports as [ChildReport, ChildReport];
  console.log(`Face analysis, ${new Date().toISOString().slice(0, 10)}, ${machine()} (at the start: ${loadBefore})\n`);
  console.log('Photos: 4 one-face fixture photos resized to 640x480 (JPEG q90), decoded, detected, meshed and described in the worker.\n');
  printTable(
    ['measure', 'value', 'notes'],
    [
      ['latency per photo, 1 worker, p50', fmt.ms(one.single!.p50), `${one.single!.calls} photos one after another; goal ≤ 150 ms`],
      ['latency per photo, 1 worker, p95', fmt.ms(one.single!.p95), ''],
      ['CPU time per photo, 1 worker', fmt.ms(one.single!.cpuMs), 'process CPU (all threads) / photos: what a photo costs, whatever else runs'],
      [
        'latency, 3-frame capture, 1 worker, p50 / p95',
        `${fmt.ms(one.capture!.p50)} / ${fmt.ms(one.capture!.p95)}`,
        'what a kiosk arrival costs (3 frames, one call)',
      ],
      [
        'latency, 3-frame capture, pool of 2, p50 / p95',
        `${fmt.ms(two.capture!.p50)} / ${fmt.ms(two.capture!.p95)}`,
        'the frames are spread over the 2 workers',
      ],
      [
        'latency, photo with 4 faces, p50 / p95',
        `${fmt.ms(one.crowded!.p50)} / ${fmt.ms(one.crowded!.p95)}`,
        'three_men.jpg: every detected face is meshed, only the largest confident one described',
      ],
      ['photos / s, pool of 1', (one.throughput.photos / one.throughput.seconds).toFixed(1), `${one.throughput.photos} photos, 2 in flight`],
      [
        'photos / s, pool of 2',
        (two.throughput.photos / two.throughput.seconds).toFixed(1),
        `${two.throughput.photos} photos, 4 in flight; CPU ${fmt.ms(two.throughput.cpuMs)} / photo`,
      ],
      ['model load, 1 worker', fmt.ms(one.loadMs), 'worker start + models + WASM backend, once per worker'],
      ['memory per worker (RSS)', mb(one.readyRss - one.baselineRss), `pool of 1 after warm-up; pool of 2: ${mb((two.readyRss - two.baselineRss) / 2)} each`],
      ['peak RSS of the process', `${mb(one.peakRss)} / ${mb(two.peakRss)}`, 'pool of 1 / pool of 2, including sharp and the bench'],
    ],
  );
  console.log(`\nLoad average at the end: ${loadAverage()}`);
}
