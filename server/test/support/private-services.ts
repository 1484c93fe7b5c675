// A PostgreSQL cluster and a Redis server of a test's own, on free loopback ports, that the test may
// stop, kill and start again (the shared ones on 5432 and 6379 serve every other test file and are
// never touched). Needs the PostgreSQL and Redis server binaries, which the README asks for only for
// `PINOKIO_TEST_SERVERS=1`: tests that use these run in that pass and skip otherwise.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** a free TCP port on 127.0.0.1 (free when asked; taken by whoever binds it next) */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** resolves when something accepts TCP connections on the port; rejects after `timeoutMs` */
export async function waitForPort(port: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.setTimeout(1_000);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listened on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter((name) => fs.existsSync(path.join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : undefined;
}

/** why private servers cannot run here, or undefined when they can */
export function privateServicesUnavailable(): string | undefined {
  if (process.env.PINOKIO_TEST_SERVERS !== '1') return 'needs the PostgreSQL and Redis servers: runs with PINOKIO_TEST_SERVERS=1';
  if (!postgresBinDir()) return 'no PostgreSQL server binaries under /usr/lib/postgresql';
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore', timeout: 5_000 });
  } catch {
    return 'no redis-server on the PATH';
  }
  return undefined;
}

export interface PrivatePostgres {
  port: number;
  /** the cluster's `postgres` database */
  url: string;
  /** a new database in this cluster */
  createDatabase(name: string): Promise<string>;
  /** `fast`: disconnects clients and shuts down cleanly; `immediate`: like a crash */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** stops the cluster and deletes its files */
  destroy(): Promise<void>;
}

/**
 * A PostgreSQL cluster in a temporary folder (initdb; fsync off: a test's data need not survive a
 * power cut, but commits stay synchronous, so an acknowledged order survives the server crashing). PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql');
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinokio-pg-'));
  fs.chmodSync(dir, 0o700);
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const run = (tool: string, args: string[], timeout = 60_000) => {
    const command = asRoot ? 'runuser' : path.join(bin, tool);
    const fullArgs = asRoot ? ['-u', 'postgres', '--', path.join(bin, tool), ...args] : args;
    execFileSync(command, fullArgs, { stdio: 'pipe', timeout, cwd: os.tmpdir() });
  };
  run('initdb', ['-D', dir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200`;
  const log = path.join(dir, 'server.log');
  const start = async () => {
    run('pg_ctl', ['-D', dir, '-o', options, '-l', log, '-w', '-t', '60', 'start']);
    await waitForPort(port);
  };
  await start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    port,
    url,
    async createDatabase(name) {
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
      await client.connect();
      try {
        await client.query(`create database ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop(mode = 'fast') {
      run('pg_ctl', ['-D', dir, '-m', mode, '-w', '-t', '60', 'stop']);
      stopped = true;
    },
    async start() {
      await start();
      stopped = false;
    },
    async destroy() {
      if (!stopped) {
        try {
          run('pg_ctl', ['-D', dir, '-m', 'immediate', '-w', '-t', '30', 'stop']);
        } catch {
          // already down
        }
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivateRedis {
  port: number;
  url: string;
  /** SIGKILL: the server vanishes mid-conversation, as in a crash */
  kill(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** a redis-server of the test's own, keeping nothing on disk */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], {
      stdio: 'ignore',
    });
    await waitForPort(port);
  };
  const kill = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };
  await start();
  return { port, url: `redis://127.0.0.1:${port}`, kill, start, destroy: kill };
}
