// Shared by the face benchmarks: the built @pinokio/face (its worker threads run compiled JavaScript,
// so face/dist is rebuilt when older than face/src), the fixture photos, and small statistics.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoDir } from './child.js';
import { quantile } from './measure.js';

export const fixturesDir = path.join(repoDir, 'fixtures/faces');

export function fixture(name: string): Buffer {
  return fs.readFileSync(path.join(fixturesDir, name));
}

function newestMtime(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return Math.max(0, ...fs.readdirSync(dir, { recursive: true }).map((file) => fs.statSync(path.join(dir, String(file))).mtimeMs));
}

/** @pinokio/face from face/dist, rebuilt first when face/src is newer */
export async function loadFacePackage(): Promise<typeof import('@pinokio/face')> {
  const faceDir = path.join(repoDir, 'face');
  if (newestMtime(path.join(faceDir, 'dist')) < newestMtime(path.join(faceDir, 'src'))) {
    const tsc = path.join(repoDir, 'node_modules/typescript/bin/tsc');
    const build = spawnSync(process.execPath, [tsc, '-p', 'face'], { cwd: repoDir, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`tsc -p face failed:\n${build.stdout}${build.stderr}`);
  }
  return import('@pinokio/face');
}

export interface Distribution {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function distribution(values: number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    min: sorted[0] ?? Number.NaN,
    mean: sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1),
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024).toLocaleString('en-US')} MB`;
