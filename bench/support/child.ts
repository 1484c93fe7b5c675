// Child processes for the benchmarks: start one, wait for the stdout line that says it is ready,
// talk to it over stdin, stop it (SIGTERM, then SIGKILL by its pid if it lingers).
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const benchDir = fileURLToPath(new URL('..', import.meta.url));
export const repoDir = fileURLToPath(new URL('../..', import.meta.url));

export interface Child {
  process: ChildProcess;
  /** what `match` returned for the first stdout line it accepted */
  ready: Promise<unknown>;
  /** the next stdout line that `match` accepts */
  waitFor<T>(match: (line: string) => T | undefined, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export function startChild(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; match: (line: string) => unknown },
): Child {
  const child = spawn(command, args, {
    cwd: options.cwd ?? benchDir,
    env: options.env ?? process.env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const what = `${command} ${args.filter((arg) => !arg.startsWith('{')).join(' ')}`;
  const lines = new EventEmitter();
  createInterface({ input: child.stdout! }).on('line', (line) => lines.emit('line', line));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  function waitFor<T>(match: (line: string) => T | undefined, timeoutMs = 60_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const finish = (error?: Error, value?: T) => {
        clearTimeout(timer);
        lines.off('line', onLine);
        child.off('exit', onExit);
        if (error) reject(error);
        else resolve(value as T);
      };
      const timer = setTimeout(() => finish(new Error(`${what}: no awaited line in ${timeoutMs} ms`)), timeoutMs);
      const onLine = (line: string) => {
        const found = match(line);
        if (found !== undefined) finish(undefined, found);
      };
      const onExit = (code: number | null, signal: string | null) => finish(new Error(`${what} exited (${code ?? signal})`));
      lines.on('line', onLine);
      child.once('exit', onExit);
    });
  }

  const ready = waitFor(options.match, options.timeoutMs);
  ready.catch(() => undefined);
  return {
    process: child,
    ready,
    waitFor,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.pid && process.kill(child.pid, 'SIGKILL'), 8000);
      await exited;
      clearTimeout(killer);
    },
  };
}

function jsonLine(line: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(line);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export interface ServedApp {
  url: string;
  /** a brand made at start, to sign up with (app mode) */
  brandCode: string;
  /** the server process's CPU time so far (user + system), in microseconds */
  cpuMicros(): Promise<number>;
  /** the server process's memory (process.memoryUsage()) after a full garbage collection */
  memory(): Promise<NodeJS.MemoryUsage>;
  /** CPU-profiles the server while `work` runs; writes a .cpuprofile to `file` */
  profile<T>(file: string, work: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

/** a server from support/serve-app.ts */
export async function serveApp(mode: 'bare' | 'app', env: Record<string, string> = {}): Promise<ServedApp> {
  const child = startChild(process.execPath, ['--import', 'tsx', 'support/serve-app.ts', mode, JSON.stringify(env)], {
    match: (line) => {
      const parsed = jsonLine(line);
      return typeof parsed?.url === 'string' ? parsed : undefined;
    },
  });
  try {
    const { url, brandCode } = (await child.ready) as { url: string; brandCode?: string };
    return {
      url,
      brandCode: brandCode ?? '',
      async cpuMicros() {
        const answer = child.waitFor((line) => jsonLine(line)?.cpu as { user: number; system: number } | undefined);
        child.process.stdin!.write('cpu\n');
        const { user, system } = await answer;
        return user + system;
      },
      async memory() {
        const answer = child.waitFor((line) => jsonLine(line)?.memory as NodeJS.MemoryUsage | undefined);
        child.process.stdin!.write('memory\n');
        return answer;
      },
      async profile(file, work) {
        const started = child.waitFor((line) => (jsonLine(line)?.profiling === 'started' ? true : undefined));
        child.process.stdin!.write('profile-start\n');
        await started;
        try {
          return await work();
        } finally {
          const written = child.waitFor((line) => (jsonLine(line)?.profiling === 'written' ? true : undefined));
          child.process.stdin!.write(`profile-stop ${file}\n`);
          await written;
        }
      },
      stop: () => child.stop(),
    };
  } catch (error) {
    await child.stop();
    throw error;
  }
}
