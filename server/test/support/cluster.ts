// A production-shaped cluster on loopback for the cluster test and bench: N `pinokio serve`
// processes on one private PostgreSQL and one private Redis (support/private-services.ts), behind
// Debian's nginx: an http upstream for the API, streams and the /ws socket, and a stream (TCP)
// upstream for the devices' gRPC port. Instances can be killed with SIGKILL and started again.
// Needs `nginx` with the stream module (Debian: nginx-light + libnginx-mod-stream; .ci/run installs it).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  freePort,
  privateServicesUnavailable,
  startPrivatePostgres,
  startPrivateRedis,
  waitForPort,
  type PrivatePostgres,
  type PrivateRedis,
} from './private-services.js';

const repoDir = fileURLToPath(new URL('../../..', import.meta.url));
const STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so';
const START_LIMIT_MS = 90_000;

/** why a cluster cannot run here, or undefined when it can */
export function clusterUnavailable(): string | undefined {
  const reason = privateServicesUnavailable();
  if (reason) return reason;
  try {
    execFileSync('nginx', ['-v'], { stdio: 'ignore', timeout: 5_000 });
  } catch {
    return 'no nginx on the PATH (Debian: apt-get install nginx-light libnginx-mod-stream)';
  }
  if (!fs.existsSync(STREAM_MODULE)) return `no nginx stream module at ${STREAM_MODULE} (Debian: libnginx-mod-stream)`;
  return undefined;
}

export interface Instance {
  index: number;
  /** the instance itself, not through nginx */
  url: string;
  httpPort: number;
  grpcPort: number;
  pid: number | undefined;
  running: boolean;
  /** SIGKILL: no drain, no goodbye, as in a crash */
  kill(): Promise<void>;
  /** starts the process again on the same ports; resolves once /readyz answers 200 */
  start(): Promise<void>;
  /** the process's user + system CPU so far, in seconds (/proc/<pid>/stat) */
  cpuSeconds(): number;
  /** the process's output so far (warnings and errors at LOG_LEVEL=warn) */
  output(): string;
}

export interface Cluster {
  /** nginx's http side */
  url: string;
  /** nginx's stream side in front of the instances' gRPC ports, "127.0.0.1:port" */
  deviceAddress: string;
  instances: Instance[];
  postgres: PrivatePostgres;
  redis: PrivateRedis;
  databaseUrl: string;
  /** a brand, made as an operator makes one: `pinokio create-brand` */
  createBrand(name: string): Promise<{ code: string }>;
  /**
   * The instance that took the long-lived connection `open` makes: counts the instances' established
   * inbound connections before and after (nginx keeps no idle upstream connections, so with no other
   * request under way only long-lived ones stay open). Undefined when none or several changed.
   */
  instanceTaking(open: () => Promise<void>): Promise<Instance | undefined>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  instances?: number;
  /** more environment for every instance */
  env?: Record<string, string>;
}

/** established TCP connections whose local port is one of `ports`, from /proc/net/tcp */
function establishedOn(ports: number[]): number {
  const hex = new Set(ports.map((port) => port.toString(16).toUpperCase().padStart(4, '0')));
  let count = 0;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(table)) continue;
    for (const line of fs.readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 4) continue;
      const localPort = fields[1]!.split(':')[1]!;
      if (fields[3] === '01' && hex.has(localPort)) count += 1;
    }
  }
  return count;
}

function cpuSecondsOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    // fields after the command name (which may hold spaces): utime is the 14th field, stime the 15th
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}

async function waitForReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_LIMIT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the instance at ${url} exited while starting:\n${output()}`);
    const status = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`the instance at ${url} was not ready within ${START_LIMIT_MS} ms:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function pinokio(args: string[], env: Record<string, string>): ChildProcess {
  // the sources through tsx, so the cluster runs what is checked out (no build step to go stale)
  return spawn(process.execPath, ['--import', 'tsx', path.join(repoDir, 'server/src/main.ts'), ...args], {
    cwd: repoDir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function runPinokio(args: string[], env: Record<string, string>): Promise<string> {
  const child = pinokio(args, env);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), START_LIMIT_MS);
    child.once('exit', (exitCode) => (clearTimeout(timer), resolve(exitCode)));
  });
  if (code !== 0) throw new Error(`pinokio ${args.join(' ')} failed (${code}):\n${output}`);
  return output;
}

function nginxConfig(dir: string, httpPort: number, grpcPort: number, instances: Array<{ httpPort: number; grpcPort: number }>): string {
  return `
load_module ${STREAM_MODULE};
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 2048; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
  # passive failover: an instance that refuses connections is skipped for a few seconds. No
  # upstream keepalive, so that only streams and sockets stay connected (instanceTaking counts them).
  upstream pinokio {
${instances.map((i) => `    server 127.0.0.1:${i.httpPort} max_fails=1 fail_timeout=3s;`).join('\n')}
  }
  server {
    listen 127.0.0.1:${httpPort};
    client_max_body_size 20m;
    location / {
      proxy_pass http://pinokio;
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      # server-sent events and the /ws socket: nothing buffered, long silences allowed
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_buffering off;
      proxy_cache off;
      proxy_read_timeout 1h;
      proxy_send_timeout 1h;
      proxy_connect_timeout 2s;
      # a request not yet sent goes to the next instance; a POST that reached a dying instance is
      # not resent by nginx (the kiosk resends it with its Idempotency-Key)
      proxy_next_upstream error timeout http_502;
      proxy_next_upstream_tries 3;
    }
  }
}
stream {
  upstream devices {
${instances.map((i) => `    server 127.0.0.1:${i.grpcPort} max_fails=1 fail_timeout=3s;`).join('\n')}
  }
  server {
    listen 127.0.0.1:${grpcPort};
    proxy_pass devices;
    proxy_connect_timeout 2s;
    proxy_timeout 1h;
    proxy_next_upstream on;
  }
}
`;
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const reason = clusterUnavailable();
  if (reason) throw new Error(reason);
  const count = options.instances ?? 3;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinokio-cluster-'));
  const cleanups: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const postgres = await startPrivatePostgres();
    cleanups.push(() => postgres.destroy());
    const redis = await startPrivateRedis();
    cleanups.push(() => redis.destroy());
    const databaseUrl = await postgres.createDatabase(`pinokio_cluster_${randomBytes(4).toString('hex')}`);
    const shared: Record<string, string> = {
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      REDIS_PREFIX: `pinokio-cluster-${randomBytes(4).toString('hex')}:`,
      AUTH_TOKEN_SECRET: randomBytes(32).toString('base64'),
      CUSTOMER_DATA_KEY: randomBytes(32).toString('base64'),
      SEED_DEMO: 'never',
      DEV_PAGES: 'true', // sign-up codes from /dev/outbox, read from an instance directly
      LOG_LEVEL: 'warn',
      ARGON2_MEMORY_KIB: '1024',
      ARGON2_TIME_COST: '1',
      CODE_RESEND_COOLDOWN_SECONDS: '0',
      FACE_WORKERS: '1',
      ...options.env,
    };
    // one migration before the instances start, so they do not race to make the schema
    await runPinokio(['migrate'], { ...shared, DATA_DIR: path.join(dir, 'migrate') });

    const instances: Instance[] = [];
    for (let index = 0; index < count; index++) {
      const httpPort = await freePort();
      const grpcPort = await freePort();
      const url = `http://127.0.0.1:${httpPort}`;
      let child: ChildProcess | undefined;
      let output = '';
      const instance: Instance = {
        index,
        url,
        httpPort,
        grpcPort,
        get pid() {
          return child?.pid;
        },
        get running() {
          return child !== undefined && child.exitCode === null && child.signalCode === null;
        },
        async kill() {
          const running = child;
          if (!running || running.exitCode !== null || running.signalCode !== null) return;
          await new Promise<void>((resolve) => {
            running.once('exit', () => resolve());
            running.kill('SIGKILL');
          });
        },
        async start() {
          const started = pinokio(['serve'], {
            ...shared,
            PORT: String(httpPort),
            DEVICE_GRPC_PORT: String(grpcPort),
            PUBLIC_URL: url,
            DATA_DIR: path.join(dir, `instance-${index}`),
          });
          child = started;
          started.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
          started.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
          await waitForReady(url, started, () => output);
          await waitForPort(grpcPort);
        },
        cpuSeconds: () => cpuSecondsOf(child?.pid),
        output: () => output,
      };
      instances.push(instance);
      cleanups.push(() => instance.kill());
    }
    await Promise.all(instances.map((instance) => instance.start()));

    const httpPort = await freePort();
    const grpcPort = await freePort();
    fs.writeFileSync(path.join(dir, 'nginx.conf'), nginxConfig(dir, httpPort, grpcPort, instances));
    const nginx = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log'), '-g', 'daemon off;'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let nginxErrors = '';
    nginx.stderr!.on('data', (chunk: Buffer) => (nginxErrors += chunk.toString()));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          if (nginx.exitCode !== null || nginx.signalCode !== null) return resolve();
          nginx.once('exit', () => resolve());
          nginx.kill('SIGQUIT');
          setTimeout(() => nginx.kill('SIGKILL'), 5_000).unref();
        }),
    );
    await waitForPort(httpPort).catch((error: Error) => {
      throw new Error(`${error.message}; nginx said: ${nginxErrors}`);
    });
    await waitForPort(grpcPort);

    const allPorts = (instance: Instance) => [instance.httpPort, instance.grpcPort];
    return {
      url: `http://127.0.0.1:${httpPort}`,
      deviceAddress: `127.0.0.1:${grpcPort}`,
      instances,
      postgres,
      redis,
      databaseUrl,
      async createBrand(name) {
        const printed = await runPinokio(['create-brand', name], { ...shared, DATA_DIR: path.join(dir, 'cli') });
        const code = printed.match(/sign-up code is (\S+)\./)?.[1];
        if (!code) throw new Error(`no brand code in: ${printed}`);
        return { code };
      },
      async instanceTaking(open) {
        const before = instances.map((instance) => establishedOn(allPorts(instance)));
        await open();
        // the other side of a fresh connection may take a moment to show as established
        for (let attempt = 0; attempt < 20; attempt++) {
          const grew = instances.filter((instance, i) => establishedOn(allPorts(instance)) > before[i]!);
          if (grew.length === 1) return grew[0];
          if (grew.length > 1) return undefined;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return undefined;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
