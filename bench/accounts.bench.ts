// Accounts: how much of a bare Fastify route's throughput an authenticated GET /api/me keeps, on
// the embedded defaults and on PostgreSQL + Redis; how many logins per second the default argon2
// settings allow; how long `pinokio serve` takes to be ready, on an empty and on a used data dir.
//
// Servers run in child processes (support/serve-app.ts) and autocannon runs here, so the load
// generator does not steal the server's event loop. Everything listens on 127.0.0.1 and stops by
// itself. Settings (environment): BENCH_DURATION seconds per measured run (10), BENCH_WARMUP
// seconds of unmeasured load first (2), BENCH_CPU_PROF_DIR to CPU-profile the server during each
// measured run (one .cpuprofile per row there; read them with support/profile-summary.ts),
// BENCH_SERVE_CAP seconds to wait for a first start with the demo seed (60),
// TEST_DATABASE_URL / TEST_REDIS_URL as for the server tests.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { createPostgresDatabase } from '../server/test/support/test-server.js';
import { repoDir, serveApp, startChild, type ServedApp } from './support/child.js';
import { signUpOwner } from './support/owner.js';
import { printTable, type Cell } from './support/table.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const CONNECTIONS = 50;
const LOGIN_CONNECTIONS = 8;
const SERVE_CAP_MS = Number(process.env.BENCH_SERVE_CAP ?? 60) * 1000;
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const profileDir = process.env.BENCH_CPU_PROF_DIR ? path.resolve(process.env.BENCH_CPU_PROF_DIR) : undefined;
if (profileDir) fs.mkdirSync(profileDir, { recursive: true });

interface Load {
  rps: number;
  /** the server process's CPU time per answered request, in microseconds */
  cpuPerRequest: number;
  p50: number;
  p99: number;
  /** what went wrong, if anything: non-2xx answers, connection errors, timeouts */
  problems: string;
}

const log = (message: string) => process.stderr.write(`[accounts.bench] ${message}\n`);

/** warm-up, then the measured run (CPU-profiled as `name` when BENCH_CPU_PROF_DIR is set) */
async function load(server: ServedApp, name: string, options: autocannon.Options): Promise<Load> {
  if (WARMUP > 0) await autocannon({ ...options, duration: WARMUP });
  const run = () => autocannon({ ...options, duration: DURATION });
  const cpuBefore = await server.cpuMicros();
  const result = profileDir ? await server.profile(path.join(profileDir, `${name}.cpuprofile`), run) : await run();
  const cpu = (await server.cpuMicros()) - cpuBefore;
  const problems = [
    result.non2xx ? `${result.non2xx} non-2xx` : '',
    result.errors ? `${result.errors} errors` : '',
    result.timeouts ? `${result.timeouts} timeouts` : '',
  ].filter(Boolean);
  return {
    rps: result.requests.average,
    cpuPerRequest: cpu / Math.max(1, result.requests.total),
    p50: result.latency.p50,
    p99: result.latency.p99,
    problems: problems.length ? `**${problems.join(', ')}**` : 'all 2xx',
  };
}

/** authenticated GET /api/me on a running app */
function loadMe(server: ServedApp, name: string, token: string): Promise<Load> {
  return load(server, name, { url: `${server.url}/api/me`, connections: CONNECTIONS, headers: { authorization: `Bearer ${token}` } });
}

function appEnv(extra: Record<string, string>): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    PORT: '0',
    DEVICE_GRPC_PORT: '0', // a running Pinokio may hold the default 50051
    LOG_LEVEL: 'silent',
    LIMIT_LOGIN_PER_ACCOUNT_PER_MINUTE: '1000000',
    LIMIT_LOGIN_PER_IP_PER_MINUTE: '1000000',
    ...extra,
  };
}

function tempDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `pinokio-bench-${name}-`));
}

function redisReachable(target: string): Promise<boolean> {
  const { hostname, port } = new URL(target);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms).unref())]);
}

const fmt = {
  rps: (n: number) => Math.round(n).toLocaleString('en-US'),
  ms: (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US')} ms`,
  pct: (n: number) => `${Math.round(n * 100)} %`,
  s: (ms: number) => `${(ms / 1000).toFixed(1)} s`,
  us: (us: number) => `${Math.round(us).toLocaleString('en-US')} µs`,
};

const loadAverage = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' / ');
const startLoad = loadAverage();
const header = ['benchmark', 'requests/s', 'p50', 'p99', 'of bare', 'server CPU / request', 'notes'];
// filled in as the runs finish, printed in this order
const slots = ['bare', 'healthz', 'me-embedded', 'me-servers', 'login', 'serve-cold', 'serve-plain', 'serve-warm'] as const;
type Slot = (typeof slots)[number];
const rows = new Map<Slot, Cell[]>();
const loadNote = `${CONNECTIONS} connections, ${DURATION} s after ${WARMUP} s warm-up`;
let bare: Load | undefined;

function loadRow(slot: Slot, label: string, result: Load, notes: string, compare = true): void {
  const ratio = compare && bare ? fmt.pct(result.rps / bare.rps) : '';
  rows.set(slot, [label, fmt.rps(result.rps), fmt.ms(result.p50), fmt.ms(result.p99), ratio, fmt.us(result.cpuPerRequest), `${notes}; ${result.problems}`]);
}

function noteRow(slot: Slot, label: string, notes: string): void {
  rows.set(slot, [label, '', '', '', '', '', notes]);
}

/** runs one part; a failure becomes a row saying so, and the bench goes on with the next part */
async function part(slot: Slot, label: string, work: () => Promise<void>): Promise<void> {
  log(label);
  try {
    await work();
  } catch (error) {
    process.exitCode = 1;
    console.error(error);
    noteRow(slot, label, `**failed**: ${error instanceof Error ? error.message : String(error)}`);
  }
}

// 1. the ceiling
await part('bare', 'bare Fastify GET /bare', async () => {
  const server = await serveApp('bare');
  try {
    bare = await load(server, 'bare', { url: `${server.url}/bare`, connections: CONNECTIONS });
    loadRow('bare', 'bare Fastify GET /bare', bare, `new fastify(), no logger, no hooks; ${loadNote}`);
  } finally {
    await server.stop();
  }
});

// 2 and 5. the embedded defaults: PGlite in DATA_DIR, in-process cache
await part('me-embedded', 'GET /api/me, embedded (PGlite + in-process cache)', async () => {
  const dataDir = tempDir('embedded');
  let server: ServedApp | undefined;
  try {
    server = await serveApp('app', appEnv({ DATA_DIR: dataDir }));
    // for scale: the app's own Fastify setup (request ids, logger, hooks) on a public route, no DB
    const healthz = await load(server, 'healthz', { url: `${server.url}/healthz`, connections: CONNECTIONS });
    loadRow('healthz', 'GET /healthz, embedded (for scale: no auth, no DB)', healthz, `the app's Fastify setup alone; ${loadNote}`);
    const owner = await signUpOwner(server.url, server.brandCode);
    const me = await loadMe(server, 'me-embedded', owner.accessToken);
    loadRow('me-embedded', 'GET /api/me, embedded (PGlite + in-process cache)', me, `an owner (signed up over HTTP) with a bearer token; ${loadNote}`);
    const logins = await load(server, 'login', {
      url: `${server.url}/api/auth/login`,
      method: 'POST',
      connections: LOGIN_CONNECTIONS,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'owner', email: owner.email, password: owner.password }),
    });
    loadRow(
      'login',
      'POST /api/auth/login, embedded',
      logins,
      `argon2id at the defaults (19 MiB, t=2, p=1); login limits raised to 1,000,000/min; ${LOGIN_CONNECTIONS} connections, ${DURATION} s after ${WARMUP} s warm-up`,
      false,
    );
  } finally {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

// 3. PostgreSQL + Redis
await part('me-servers', 'GET /api/me, PostgreSQL + Redis', async () => {
  let database: { url: string; drop: () => Promise<void> } | undefined;
  let skipped: string | undefined;
  try {
    database = await withTimeout(createPostgresDatabase(), 5000, 'PostgreSQL');
  } catch (error) {
    skipped = `skipped: PostgreSQL unreachable (${error instanceof Error ? error.message : String(error)})`;
  }
  if (!skipped && !(await redisReachable(redisUrl))) skipped = `skipped: Redis unreachable at ${redisUrl}`;
  if (skipped || !database) {
    noteRow('me-servers', 'GET /api/me, PostgreSQL + Redis', skipped ?? 'skipped');
    await database?.drop();
    return;
  }
  const dataDir = tempDir('servers');
  const prefix = `pinokio-bench-${randomBytes(4).toString('hex')}:`;
  try {
    const server = await serveApp('app', appEnv({ DATA_DIR: dataDir, DATABASE_URL: database.url, REDIS_URL: redisUrl, REDIS_PREFIX: prefix }));
    try {
      const owner = await signUpOwner(server.url, server.brandCode);
      const me = await loadMe(server, 'me-servers', owner.accessToken);
      loadRow(
        'me-servers',
        'GET /api/me, PostgreSQL + Redis',
        me,
        `a fresh database; Redis key prefix pinokio-bench-…: (its keys expire by themselves); ${loadNote}`,
      );
    } finally {
      await server.stop();
    }
  } finally {
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

// 6. from `serve` to ready, built server, embedded defaults
await part('serve-cold', '`pinokio serve` to ready', async () => {
  const note = buildServer();
  const main = path.join(repoDir, 'server/dist/main.js');
  if (!fs.existsSync(main)) {
    noteRow('serve-cold', '`pinokio serve` to ready', `skipped: ${note}`);
    return;
  }
  const suffix = note ? `; ${note}` : '';
  const seededDir = tempDir('serve-seeded');
  const plainDir = tempDir('serve-plain');
  try {
    const cold = await timeServe(main, seededDir, {}, SERVE_CAP_MS);
    let warmDir = seededDir;
    let warmEnv: Record<string, string> = {};
    if ('wallMs' in cold) {
      noteRow(
        'serve-cold',
        '`pinokio serve` to ready, empty data dir',
        `**${fmt.s(cold.wallMs)}** from spawn to the "Pinokio is ready" log line (its readyInMs, counted after module loading: ${fmt.s(cold.readyInMs)}); PGlite creates its database, migrations, demo seed${suffix}`,
      );
    } else {
      noteRow(
        'serve-cold',
        '`pinokio serve` to ready, empty data dir',
        `**not ready after ${fmt.s(SERVE_CAP_MS)}** (the cap, BENCH_SERVE_CAP); its last line "${cold.lastLine}"; stopped there${suffix}`,
      );
      // the demo seed did not finish: time a first start without it, and start again on that
      warmDir = plainDir;
      warmEnv = { SEED_DEMO: 'never' };
      const plain = await timeServe(main, plainDir, warmEnv, SERVE_CAP_MS);
      noteRow(
        'serve-plain',
        '`pinokio serve` to ready, empty data dir, SEED_DEMO=never',
        'wallMs' in plain
          ? `**${fmt.s(plain.wallMs)}** (readyInMs ${fmt.s(plain.readyInMs)}); PGlite creates its database, migrations, no demo seed${suffix}`
          : `**not ready after ${fmt.s(SERVE_CAP_MS)}**: last line "${plain.lastLine}"${suffix}`,
      );
    }
    const warm = await timeServe(main, warmDir, warmEnv, SERVE_CAP_MS);
    noteRow(
      'serve-warm',
      '`pinokio serve` to ready, same data dir again',
      'wallMs' in warm
        ? `**${fmt.s(warm.wallMs)}** (readyInMs ${fmt.s(warm.readyInMs)}); nothing to create, migrate or seed${warmEnv.SEED_DEMO ? ' (the SEED_DEMO=never data dir)' : ''}${suffix}`
        : `**not ready after ${fmt.s(SERVE_CAP_MS)}**: last line "${warm.lastLine}"${suffix}`,
    );
  } finally {
    fs.rmSync(seededDir, { recursive: true, force: true });
    fs.rmSync(plainDir, { recursive: true, force: true });
  }
});

const busy = os.loadavg()[0]! > os.cpus().length / 2;
console.log(
  `\nAccounts benchmark, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}; ` +
    `each server in a child process of its own, autocannon in this one. Load average (1/5/15 min) at the start ${startLoad}, at the end ${loadAverage()}` +
    `${busy ? ': **the machine was busy with other work, so requests/s and latencies are low and noisy; server CPU / request holds up better**' : ''}.\n`,
);
printTable(
  header,
  slots.flatMap((slot) => (rows.has(slot) ? [rows.get(slot)!] : [])),
);
if (profileDir) console.log(`\nCPU profiles of the measured runs: ${profileDir} (node --import tsx support/profile-summary.ts FILE)`);
// nothing of ours is left running (every child was stopped); don't wait for idle sockets to close
process.exit();

/** brings server/dist up to date when it is missing or older than server/src; '' or a note */
function buildServer(): string {
  const main = path.join(repoDir, 'server/dist/main.js');
  const newest = newestMtime(path.join(repoDir, 'server/src'));
  if (fs.existsSync(main) && fs.statSync(main).mtimeMs >= newest) return '';
  log('building server/dist (tsc -p server)');
  const tsc = path.join(repoDir, 'node_modules/typescript/bin/tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', 'server'], { cwd: repoDir, encoding: 'utf8' });
  if (build.status === 0) return '';
  process.stderr.write(build.stdout + build.stderr);
  return 'tsc -p server reported errors (the build was emitted anyway)';
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** spawn to "Pinokio is ready" (then /readyz must answer 200), or the last line printed by the cap */
async function timeServe(
  main: string,
  dataDir: string,
  env: Record<string, string>,
  capMs: number,
): Promise<{ wallMs: number; readyInMs: number } | { lastLine: string }> {
  const started = performance.now();
  let lastLine = '';
  const child = startChild(process.execPath, [main, 'serve'], {
    cwd: repoDir,
    // only what the server needs: nothing from this shell (a DATABASE_URL, say) leaks in
    // DEVICE_GRPC_PORT 0: a running Pinokio (or another bench) may hold the default 50051
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', DEVICE_GRPC_PORT: '0', LOG_LEVEL: 'info', ...env },
    timeoutMs: capMs,
    match: (line) => {
      if (line.trim()) lastLine = line.trim().slice(0, 120);
      if (!line.includes('Pinokio is ready')) return undefined;
      const entry = JSON.parse(line) as { address: string; readyInMs: number };
      return { wallMs: performance.now() - started, ...entry };
    },
  });
  try {
    const { wallMs, address, readyInMs } = (await child.ready) as { wallMs: number; address: string; readyInMs: number };
    const ready = await fetch(`${address}/readyz`);
    if (ready.status !== 200) throw new Error(`/readyz answered ${ready.status}: ${await ready.text()}`);
    return { wallMs, readyInMs };
  } catch (error) {
    if (error instanceof Error && error.message.includes('no awaited line')) return { lastLine };
    throw error;
  } finally {
    await child.stop();
  }
}
