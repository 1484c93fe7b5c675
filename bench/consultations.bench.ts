// Consultations: how fast a kiosk's request for a counselor reaches the counselors' screens, and an
// accept reaches both sides, with 100 counselors and 300 kiosks of one brand connected to one
// server over /ws; and what a connection costs the server in memory.
//
// The server runs in a child process (support/serve-app.ts), the 400 `ws` clients run here, so
// latencies are measured on one clock (this process's) from the frame sent to the frame received.
// Accounts and kiosks are made over HTTP, as people make them (support/owner.ts, store.ts), with
// cheap argon2 and raised sign-up limits: setting up is not measured. On the embedded defaults
// (PGlite in a fresh DATA_DIR, in-process bus) and on PostgreSQL + Redis ("skipped" when either is
// unreachable). Settings (environment): BENCH_CONSULT_SAMPLES sequential requests (300),
// BENCH_CONSULT_BURSTS bursts (20) of BENCH_CONSULT_BURST kiosks asking at once (10),
// BENCH_CONSULT_COUNSELORS (100), BENCH_CONSULT_KIOSKS (300), BENCH_CONSULT_STORES (30),
// BENCH_CPU_PROF_DIR to CPU-profile the server during the sequential requests (one .cpuprofile per
// server there; read them with support/profile-summary.ts), TEST_DATABASE_URL / TEST_REDIS_URL as
// for the server tests.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { createPostgresDatabase } from '../server/test/support/test-server.js';
import { serveApp, type ServedApp } from './support/child.js';
import { busy, dropWhenIdle, fmt, machine, quantile, redisReachable, redisUrl, withTimeout } from './support/measure.js';
import { signUpCounselor, signUpOwner } from './support/owner.js';
import { addKiosk, storeIdOf } from './support/store.js';
import { printTable, type Cell } from './support/table.js';

const SAMPLES = Number(process.env.BENCH_CONSULT_SAMPLES ?? 300);
const BURSTS = Number(process.env.BENCH_CONSULT_BURSTS ?? 20);
const BURST = Number(process.env.BENCH_CONSULT_BURST ?? 10);
const COUNSELORS = Number(process.env.BENCH_CONSULT_COUNSELORS ?? 100);
const KIOSKS = Number(process.env.BENCH_CONSULT_KIOSKS ?? 300);
const STORES = Number(process.env.BENCH_CONSULT_STORES ?? 30);
/** how many sign-ups, logins or handshakes run at once while setting up */
const SETUP_CONCURRENCY = 6;
/** a pause between sequential samples, so the work a sample leaves behind (presence, re-offers) is done */
const GAP_MS = 20;
const GOAL_P99_MS = 100;
const profileDir = process.env.BENCH_CPU_PROF_DIR ? path.resolve(process.env.BENCH_CPU_PROF_DIR) : undefined;
if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
const WAIT_MS = 20_000;

const log = (message: string) => process.stderr.write(`[consultations.bench] ${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Message = { type: string; [field: string]: any };
interface Received {
  message: Message;
  at: number;
}

/** everything the counselors' sockets were told about requests, by kiosk: one request per kiosk at a time */
interface Attempt {
  kioskId: string;
  sentAt: number;
  requestId?: string;
  /** counselors the server offered it to (request-status waiting) */
  offeredTo?: number;
  statusAt?: number;
  offeredAt: number[];
  closed: number;
}
const attempts = new Map<string, Attempt>();
const attemptsByRequest = new Map<string, Attempt>();
const changed = new Set<() => void>();
/** unexpected `error` messages from the server, by code */
const serverErrors = new Map<string, number>();

/** resolves once `ready()` holds, re-checked whenever a counselor hears about a request */
function until(ready: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
  if (ready()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!ready()) return;
      changed.delete(check);
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      changed.delete(check);
      reject(new Error(`${what}: not within ${timeoutMs} ms`));
    }, timeoutMs);
    changed.add(check);
  });
}
const notify = () => {
  for (const check of [...changed]) check();
};

/** a client socket that keeps what it is sent (with the time it came) until the bench takes it */
class Client {
  private readonly kept: Received[] = [];
  private readonly waiters = new Set<{ type: string; match: (message: Message) => boolean; resolve: (received: Received) => void }>();

  constructor(
    readonly ws: WebSocket,
    readonly id: string,
    /** counselors' offers and closes go to the attempts, not to `kept` */
    private readonly counselor: boolean,
  ) {
    ws.on('message', (data) => {
      const at = performance.now();
      const message = JSON.parse(data.toString()) as Message;
      if (message.type === 'error') serverErrors.set(message.code, (serverErrors.get(message.code) ?? 0) + 1);
      if (this.counselor && this.tally(message, at)) return;
      for (const waiter of this.waiters) {
        if (waiter.type === message.type && waiter.match(message)) {
          this.waiters.delete(waiter);
          waiter.resolve({ message, at });
          return;
        }
      }
      this.kept.push({ message, at });
    });
  }

  static async connect(url: string, token: string, counselor: boolean): Promise<Client> {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws?access_token=${encodeURIComponent(token)}`);
    // listening before 'open': the hello may come in the same packet as the handshake's answer
    const client = new Client(ws, '', counselor);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const hello = (await client.next('hello')).message;
    return Object.assign(client, { id: hello.self.id as string });
  }

  private tally(message: Message, at: number): boolean {
    if (message.type === 'request-offered') {
      const attempt = attempts.get(message.kiosk.id);
      if (attempt && (attempt.requestId === undefined || attempt.requestId === message.requestId)) attempt.offeredAt.push(at);
    } else if (message.type === 'request-closed') {
      const attempt = attemptsByRequest.get(message.requestId);
      if (attempt) attempt.closed += 1;
    } else {
      return false;
    }
    notify();
    return true;
  }

  send(message: Message): number {
    const at = performance.now();
    this.ws.send(JSON.stringify(message));
    return at;
  }

  /** the first message of this type (kept or to come) that matches */
  next(type: string, match: (message: Message) => boolean = () => true, timeoutMs = WAIT_MS): Promise<Received> {
    const index = this.kept.findIndex((received) => received.message.type === type && match(received.message));
    if (index >= 0) return Promise.resolve(this.kept.splice(index, 1)[0]!);
    return new Promise((resolve, reject) => {
      const waiter = {
        type,
        match,
        resolve: (received: Received) => {
          clearTimeout(timer);
          resolve(received);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no ${type} within ${timeoutMs} ms; kept ${JSON.stringify(this.kept.map((r) => r.message.type))}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** forgets what came and was not asked for (presence updates and the like) */
  clear(): void {
    this.kept.length = 0;
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

/** runs `work` for every item, at most `concurrency` at a time, in order of the items */
async function eachLimited<T, R>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}

// ---- one request, measured ----

/** a kiosk asks; resolves once every counselor it was offered to has the prompt */
async function request(kiosk: Client): Promise<Attempt> {
  const attempt: Attempt = { kioskId: kiosk.id, sentAt: 0, offeredAt: [], closed: 0 };
  attempts.set(kiosk.id, attempt);
  attempt.sentAt = kiosk.send({ type: 'request' });
  const status = await kiosk.next('request-status', (m) => m.status === 'waiting' || m.status === 'no-counselor');
  if (status.message.status !== 'waiting') throw new Error(`request-status ${status.message.status}: no counselor was free`);
  attempt.requestId = status.message.requestId as string;
  attempt.offeredTo = status.message.offeredTo as number;
  attempt.statusAt = status.at;
  attemptsByRequest.set(attempt.requestId, attempt);
  await until(() => attempt.offeredAt.length >= attempt.offeredTo!, `offers of request ${attempt.requestId}`);
  return attempt;
}

/** the kiosk withdraws; resolves once it and every counselor shown the prompt know */
async function cancel(kiosk: Client, attempt: Attempt): Promise<void> {
  kiosk.send({ type: 'cancel', requestId: attempt.requestId });
  await kiosk.next('request-status', (m) => m.requestId === attempt.requestId && m.status === 'cancelled');
  await until(() => attempt.closed >= attempt.offeredTo!, `request-closed of ${attempt.requestId}`);
  forget(attempt);
}

function forget(attempt: Attempt): void {
  attempts.delete(attempt.kioskId);
  attemptsByRequest.delete(attempt.requestId!);
}

interface Accepted {
  counselorMs: number;
  kioskMs: number;
  /** from `end` to consultation-ended at the other side */
  endedMs: number;
}

/** a counselor accepts, both sides hear it; then one side ends it and both hear that */
async function acceptAndEnd(kiosk: Client, counselor: Client, attempt: Attempt, endedByKiosk: boolean): Promise<Accepted> {
  const sentAt = counselor.send({ type: 'accept', requestId: attempt.requestId });
  const [atCounselor, atKiosk] = await Promise.all([
    counselor.next('consultation-started', (m) => m.requestId === attempt.requestId),
    kiosk.next('consultation-started', (m) => m.requestId === attempt.requestId),
  ]);
  await counselor.next('presence', (m) => m.active === 1);
  // the others' prompts close ("taken")
  await until(() => attempt.closed >= attempt.offeredTo! - 1, `request-closed (taken) of ${attempt.requestId}`);
  forget(attempt);
  const consultationId = atKiosk.message.consultationId as string;
  const [ender, other] = endedByKiosk ? [kiosk, counselor] : [counselor, kiosk];
  const endAt = ender.send({ type: 'end', consultationId });
  const [ended] = await Promise.all([
    other.next('consultation-ended', (m) => m.consultationId === consultationId),
    ender.next('consultation-ended', (m) => m.consultationId === consultationId),
    counselor.next('presence', (m) => m.active === 0),
  ]);
  kiosk.clear();
  counselor.clear();
  return { counselorMs: atCounselor.at - sentAt, kioskMs: atKiosk.at - sentAt, endedMs: ended.at - endAt };
}

// ---- a run on one server ----

interface Distribution {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  count: number;
}

function distribution(samples: number[]): Distribution {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), p99: quantile(sorted, 0.99), max: sorted[sorted.length - 1] ?? NaN, count: sorted.length };
}

interface Run {
  setup: string;
  firstOffer: Distribution;
  lastOffer: Distribution;
  waiting: Distribution;
  acceptCounselor: Distribution;
  acceptKiosk: Distribution;
  ended: Distribution;
  burstFirst: Distribution;
  burstLast: Distribution;
  memory: { rss: number; heap: number; external: number; before: NodeJS.MemoryUsage; after: NodeJS.MemoryUsage; afterRun: NodeJS.MemoryUsage };
}

/**
 * The server's memory once it has settled: freed pages go back to the system some time after a
 * collection, so the first reading after busy work overstates RSS; the second of two, a second apart, is used.
 */
async function settledMemory(server: ServedApp): Promise<NodeJS.MemoryUsage> {
  await server.memory();
  await sleep(1000);
  return server.memory();
}

async function run(server: ServedApp, name: string): Promise<Run> {
  const setupStarted = performance.now();
  log(`setting up ${COUNSELORS} counselors, ${STORES} stores and ${KIOSKS} kiosks over HTTP`);
  // each person signs up from a loopback address of their own: the server allows 100 code checks an hour per address
  const from = (n: number) => `127.0.${1 + Math.floor(n / 250)}.${1 + (n % 250)}`;
  const counselorAccounts = await eachLimited(Array.from({ length: COUNSELORS }), SETUP_CONCURRENCY, (_, i) =>
    signUpCounselor(server.url, server.brandCode, from(i)),
  );
  const owners = await eachLimited(Array.from({ length: STORES }), SETUP_CONCURRENCY, async (_, i) => {
    const owner = await signUpOwner(server.url, server.brandCode, from(COUNSELORS + i));
    return { token: owner.accessToken, storeId: await storeIdOf(server.url, owner.accessToken) };
  });
  const kioskAccounts = await eachLimited(Array.from({ length: KIOSKS }), SETUP_CONCURRENCY, (_, i) => {
    const owner = owners[i % STORES]!;
    return addKiosk(server.url, owner.storeId, owner.token, `Bench kiosk ${i + 1}`);
  });
  const setupMs = performance.now() - setupStarted;

  const before = await settledMemory(server);
  log(`connecting ${COUNSELORS + KIOSKS} sockets`);
  const connectStarted = performance.now();
  const counselors = await eachLimited(counselorAccounts, SETUP_CONCURRENCY, async (account) => {
    const client = await Client.connect(server.url, account.accessToken, true);
    client.send({ type: 'presence', status: 'online' });
    await client.next('presence', (m) => m.status === 'online');
    client.clear();
    return client;
  });
  const kiosks = await eachLimited(kioskAccounts, SETUP_CONCURRENCY, (account) => Client.connect(server.url, account.token, false));
  const connectMs = performance.now() - connectStarted;
  const after = await settledMemory(server);
  const sockets = counselors.length + kiosks.length;

  try {
    log(`${SAMPLES} sequential requests`);
    const first: number[] = [];
    const last: number[] = [];
    const waiting: number[] = [];
    const accepted: Accepted[] = [];
    const sequential = async () => {
      for (let i = 0; i < SAMPLES; i++) {
        const kiosk = kiosks[i % kiosks.length]!;
        const attempt = await request(kiosk);
        first.push(Math.min(...attempt.offeredAt) - attempt.sentAt);
        last.push(Math.max(...attempt.offeredAt) - attempt.sentAt);
        waiting.push(attempt.statusAt! - attempt.sentAt);
        if (attempt.offeredTo !== counselors.length) throw new Error(`offered to ${attempt.offeredTo} of ${counselors.length} counselors`);
        // every other request is accepted (by the counselors in turn, each side ending half of them), the rest withdrawn
        if (i % 2 === 1) accepted.push(await acceptAndEnd(kiosk, counselors[((i - 1) / 2) % counselors.length]!, attempt, i % 4 === 1));
        else await cancel(kiosk, attempt);
        await sleep(GAP_MS);
      }
    };
    if (profileDir) await server.profile(path.join(profileDir, `consultations-${name}.cpuprofile`), sequential);
    else await sequential();

    log(`${BURSTS} bursts of ${BURST} requests at once`);
    const burstFirst: number[] = [];
    const burstLast: number[] = [];
    for (let b = 0; b < BURSTS; b++) {
      const group = Array.from({ length: BURST }, (_, k) => kiosks[(b * BURST + k) % kiosks.length]!);
      const made = await Promise.all(group.map((kiosk) => request(kiosk)));
      for (const attempt of made) {
        burstFirst.push(Math.min(...attempt.offeredAt) - attempt.sentAt);
        burstLast.push(Math.max(...attempt.offeredAt) - attempt.sentAt);
      }
      await Promise.all(made.map((attempt, k) => cancel(group[k]!, attempt)));
      await sleep(10 * GAP_MS);
    }
    const afterRun = await settledMemory(server);

    return {
      setup: `set up over HTTP in ${fmt.s(setupMs)}; ${sockets} sockets connected in ${fmt.s(connectMs)}`,
      firstOffer: distribution(first),
      lastOffer: distribution(last),
      waiting: distribution(waiting),
      acceptCounselor: distribution(accepted.map((a) => a.counselorMs)),
      acceptKiosk: distribution(accepted.map((a) => a.kioskMs)),
      ended: distribution(accepted.map((a) => a.endedMs)),
      burstFirst: distribution(burstFirst),
      burstLast: distribution(burstLast),
      memory: {
        rss: (after.rss - before.rss) / sockets,
        heap: (after.heapUsed - before.heapUsed) / sockets,
        external: (after.external - before.external) / sockets,
        before,
        after,
        afterRun,
      },
    };
  } finally {
    await Promise.all([...counselors, ...kiosks].map((client) => client.close()));
  }
}

// ---- the table ----

const header = ['server', 'measured', 'p50', 'p95', 'p99', 'max', 'samples', 'notes'];
const rows: Cell[][] = [];
const startMachine = machine();
const startBusy = busy();
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const mib = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MiB`;

function timingRow(server: string, measured: string, d: Distribution, notes: string, goal = false): Cell[] {
  const verdict = goal ? `; goal p99 < ${GOAL_P99_MS} ms: **${d.p99 < GOAL_P99_MS ? 'met' : 'not met'}**` : '';
  return [server, measured, fmt.ms(d.p50), fmt.ms(d.p95), fmt.ms(d.p99), fmt.ms(d.max), fmt.int(d.count), `${notes}${verdict}`];
}

function addRows(server: string, result: Run): void {
  const fanOut = `${COUNSELORS} counselors online with a free seat, so each request goes to all of them`;
  rows.push(
    timingRow(
      server,
      "kiosk's `request` → first counselor's `request-offered`",
      result.firstOffer,
      `one request at a time, kiosks in turn; ${fanOut}; half withdrawn (\`cancel\`), half accepted and ended; ${result.setup}`,
      true,
    ),
    timingRow(server, '… → the last counselor has it', result.lastOffer, `the same requests, until all ${COUNSELORS} prompts arrived`),
    timingRow(server, "… → the kiosk's `request-status waiting`", result.waiting, 'the same requests'),
    timingRow(server, '`accept` → `consultation-started`, counselor', result.acceptCounselor, 'every other request, accepted by the counselors in turn'),
    timingRow(server, '`accept` → `consultation-started`, kiosk', result.acceptKiosk, 'the same accepts'),
    timingRow(server, '`end` → `consultation-ended`, other side', result.ended, 'the same consultations, ended by the kiosk and by the counselor in turn'),
    timingRow(
      server,
      `burst of ${BURST}: \`request\` → first counselor's \`request-offered\``,
      result.burstFirst,
      `${BURSTS} bursts of ${BURST} kiosks asking in the same moment (then all withdraw); ${fanOut}`,
    ),
    timingRow(server, `burst of ${BURST}: … → the last counselor has it`, result.burstLast, `the same requests, until all ${COUNSELORS} prompts arrived`),
    [
      server,
      'server memory per connection',
      '',
      '',
      '',
      '',
      fmt.int(COUNSELORS + KIOSKS),
      `**RSS ${kib(result.memory.rss)}, JS heap ${kib(result.memory.heap)}, external ${kib(result.memory.external)}** per socket: the server process (process.memoryUsage() after a full GC) before the sockets (${mib(result.memory.before.rss)} RSS, ${mib(result.memory.before.heapUsed)} heap) and with all ${COUNSELORS + KIOSKS} connected and the counselors online (${mib(result.memory.after.rss)} RSS, ${mib(result.memory.after.heapUsed)} heap), ÷ ${COUNSELORS + KIOSKS}; after the measured requests ${mib(result.memory.afterRun.rss)} RSS, ${mib(result.memory.afterRun.heapUsed)} heap`,
    ],
  );
}

function appEnv(extra: Record<string, string>): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    // setting up signs up 130 people and logs in 430 accounts and kiosks; none of it is measured
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    LIMIT_LOGIN_PER_ACCOUNT_PER_MINUTE: '1000000',
    LIMIT_LOGIN_PER_IP_PER_MINUTE: '1000000',
    LIMIT_CODE_REQUESTS_PER_IP_PER_HOUR: '1000000',
    ...extra,
  };
}

function tempDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `pinokio-bench-${name}-`));
}

/** one server, one run; a failure becomes a row saying so */
async function variant(label: string, name: string, env: () => Promise<{ env: Record<string, string>; cleanUp: () => Promise<void> } | string>): Promise<void> {
  log(label);
  let prepared: Awaited<ReturnType<typeof env>> | undefined;
  try {
    prepared = await env();
    if (typeof prepared === 'string') {
      rows.push([label, '', '', '', '', '', '', prepared]);
      return;
    }
    const server = await serveApp('app', prepared.env);
    try {
      addRows(label, await run(server, name));
    } finally {
      await server.stop();
    }
  } catch (error) {
    process.exitCode = 1;
    console.error(error);
    rows.push([label, '', '', '', '', '', '', `**failed**: ${error instanceof Error ? error.message : String(error)}`]);
  } finally {
    if (prepared && typeof prepared !== 'string') await prepared.cleanUp();
  }
}

await variant('embedded (PGlite + in-process bus)', 'embedded', async () => {
  const dataDir = tempDir('consultations');
  return { env: appEnv({ DATA_DIR: dataDir }), cleanUp: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
});

await variant('PostgreSQL + Redis', 'servers', async () => {
  let database: { url: string; drop: () => Promise<void> };
  try {
    database = await withTimeout(createPostgresDatabase(), 5000, 'PostgreSQL');
  } catch (error) {
    return `skipped: PostgreSQL unreachable (${error instanceof Error ? error.message : String(error)})`;
  }
  if (!(await redisReachable(redisUrl))) {
    await database.drop();
    return `skipped: Redis unreachable at ${redisUrl}`;
  }
  const dataDir = tempDir('consultations-servers');
  const prefix = `pinokio-bench-${randomBytes(4).toString('hex')}:`;
  return {
    env: appEnv({ DATA_DIR: dataDir, DATABASE_URL: database.url, REDIS_URL: redisUrl, REDIS_PREFIX: prefix }),
    cleanUp: async () => {
      await dropWhenIdle(database);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

const errors = [...serverErrors].map(([code, count]) => `${code} × ${count}`).join(', ');
rows.push([
  'machine',
  '',
  '',
  '',
  '',
  '',
  '',
  `${startMachine} at the start, ${os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(
      ' / ',
    )} at the end${startBusy || busy() ? '; **busy with other work: latencies are noisy**' : ''}; server in a child process, the ${COUNSELORS + KIOSKS} \`ws\` clients in this one; ${errors ? `**error messages from the server: ${errors}**` : 'no error messages from the server'}`,
]);
printTable(header, rows);
