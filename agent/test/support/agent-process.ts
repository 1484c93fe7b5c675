// The real `pinokio-agent` command as a child process, and what it logged: tests read its JSON log
// lines the way an operator reads journald.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../..');
const main = path.join(root, 'agent/src/main.ts');

export interface LogLine {
  time: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  event: string;
  [field: string]: unknown;
}

export class AgentProcess {
  readonly logs: LogLine[] = [];
  /** everything it printed, to show when a test fails */
  output = '';
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;

  constructor(args: string[], env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--import', 'tsx', main, ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let pending = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      this.output += text;
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        if (line.trim() === '') continue;
        try {
          this.logs.push(JSON.parse(line) as LogLine);
        } catch {
          this.logs.push({ time: '', level: 'error', event: 'test.unparsable_log_line', line });
        }
      }
    });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** what it said at info level and above (and stderr), for a failing test's message */
  summary(): string {
    const said = this.logs.filter((line) => line.level !== 'debug').map((line) => JSON.stringify(line));
    const stderr = this.output.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('{'));
    // AGENT_TEST_LOG_CHARS=100000 shows more when a failure needs it
    return [...said, ...stderr].join('\n').slice(-(Number(process.env.AGENT_TEST_LOG_CHARS) || 4000));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** log lines of this event (and matching the fields given) */
  events(event: string, fields: Record<string, unknown> = {}): LogLine[] {
    return this.logs.filter((line) => line.event === event && Object.entries(fields).every(([key, value]) => line[key] === value));
  }

  /** the first log line from index `from` on that matches */
  async waitFor(event: string, fields: Record<string, unknown> = {}, options: { from?: number; timeoutMs?: number } = {}): Promise<LogLine> {
    const { from = 0, timeoutMs = 20_000 } = options;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.logs.slice(from).find((line) => line.event === event && Object.entries(fields).every(([key, value]) => line[key] === value));
      if (found) return found;
      if (!this.running) throw new Error(`the agent exited before logging ${event}:\n${this.summary()}`);
      if (Date.now() > deadline) throw new Error(`the agent did not log ${event} ${JSON.stringify(fields)} within ${timeoutMs} ms:\n${this.summary()}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** SIGTERM, as systemd stops it; resolves with the exit code */
  async stop(): Promise<number | null> {
    if (this.running) this.child.kill('SIGTERM');
    return this.exited;
  }
}
