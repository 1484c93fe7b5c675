// Small helpers shared by the orders, standing and sales-series benchmarks: number formats, the
// machine's load, reachability of PostgreSQL and Redis, time limits, and latency percentiles of
// repeated calls.
import net from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { CompiledQuery, type Kysely, type QueryId, type RootOperationNode } from 'kysely';

export const fmt = {
  int: (n: number) => Math.round(n).toLocaleString('en-US'),
  ms: (n: number) => `${n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US')} ms`,
  pct: (n: number) => `${Math.round(n * 100)} %`,
  ratio: (n: number) => `${n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1)}×`,
  us: (us: number) => `${Math.round(us).toLocaleString('en-US')} µs`,
  s: (ms: number) => `${(ms / 1000).toFixed(1)} s`,
};

export const loadAverage = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' / ');

/** "2 × CPU model, load average 1/5/15 min a / b / c" */
export function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}; load average (1/5/15 min) ${loadAverage()}`;
}

export function busy(): boolean {
  return os.loadavg()[0]! > os.cpus().length / 2;
}

export const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function redisReachable(target: string = redisUrl): Promise<boolean> {
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

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms).unref())]);
}

/** the q-quantile (0..1) of sorted numbers, nearest rank */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export interface Timings {
  calls: number;
  p50: number;
  p99: number;
  mean: number;
  /** wall time of the measured calls, ms */
  wallMs: number;
}

/**
 * Calls `work` one at a time: `warmup` unmeasured calls, then up to `calls` measured ones, stopping
 * early (after at least `minCalls`) once `budgetMs` of measured time has passed. Milliseconds.
 */
export async function timeCalls(
  work: () => Promise<unknown>,
  options: { calls: number; warmup?: number; budgetMs?: number; minCalls?: number; before?: () => Promise<unknown> },
): Promise<Timings> {
  for (let i = 0; i < (options.warmup ?? 10); i++) {
    await options.before?.();
    await work();
  }
  const samples: number[] = [];
  const started = performance.now();
  const budget = options.budgetMs ?? Number.POSITIVE_INFINITY;
  const minCalls = options.minCalls ?? 5;
  while (samples.length < options.calls) {
    await options.before?.();
    const t0 = performance.now();
    await work();
    samples.push(performance.now() - t0);
    if (samples.length >= minCalls && performance.now() - started > budget) break;
  }
  const wallMs = performance.now() - started;
  samples.sort((a, b) => a - b);
  return {
    calls: samples.length,
    p50: quantile(samples, 0.5),
    p99: quantile(samples, 0.99),
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
    wallMs,
  };
}

/**
 * Drops a database from createPostgresDatabase() once its connections have really gone: pg's
 * Pool.end() resolves when it has asked its clients to end, and dropping "with (force)" straight
 * after could kill a backend whose client then raises an uncaught error.
 */
export async function dropWhenIdle(database: { url: string; drop: () => Promise<void> }): Promise<void> {
  const name = new URL(database.url).pathname.slice(1);
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    for (let i = 0; i < 100; i++) {
      const { rows } = await admin.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
      if (rows[0]!.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await admin.end();
  }
  await database.drop();
}

/**
 * EXPLAIN ANALYZE of the (last) query that `run` sends through `db`, captured as Kysely compiles
 * it (not copied), run `times` times: the shortest planning and the shortest execution time, in ms, and the plan's nodes. Works on
 * PostgreSQL and on PGlite.
 */
export async function explainAnalyze<DB>(
  db: Kysely<DB>,
  run: (spy: Kysely<DB>) => Promise<unknown>,
  times = 5,
): Promise<{ planning: number; execution: number; nodes: string }> {
  let captured: { node: RootOperationNode; queryId: QueryId } | undefined;
  const spy = db.withPlugin({
    transformQuery: (args) => {
      captured = { node: args.node, queryId: args.queryId };
      return args.node;
    },
    transformResult: async (args) => args.result,
  });
  await run(spy);
  if (!captured) throw new Error('no query captured');
  const compiled = db.getExecutor().compileQuery(captured.node, captured.queryId);
  let best: { planning: number; execution: number; nodes: string } | undefined;
  for (let i = 0; i < times; i++) {
    const result = await db.executeQuery<{ 'QUERY PLAN': unknown }>(
      CompiledQuery.raw(`explain (analyze, format json) ${compiled.sql}`, [...compiled.parameters]),
    );
    const raw = result.rows[0]!['QUERY PLAN'];
    const [plan] = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ 'Planning Time': number; 'Execution Time': number; Plan: PlanNode }>;
    const nodes: string[] = [];
    const walk = (node: PlanNode) => {
      nodes.push(
        node['Index Name']
          ? `${node['Node Type']} on ${node['Index Name']}`
          : node['Relation Name']
            ? `${node['Node Type']} on ${node['Relation Name']}`
            : node['Node Type'],
      );
      node.Plans?.forEach(walk);
    };
    walk(plan!.Plan);
    best = {
      planning: Math.min(best?.planning ?? Infinity, plan!['Planning Time']),
      execution: Math.min(best?.execution ?? Infinity, plan!['Execution Time']),
      nodes: nodes.join(' → '),
    };
  }
  return best!;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}
