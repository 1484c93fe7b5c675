// A pseudo-terminal pair made by socat, for fake serial devices (tests and the demo): the agent
// opens one end as if it were the device's port, the fake talks on the other. Ending socat is
// pulling the cable: both ends vanish.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const READY_TIMEOUT_MS = 5_000;

export class PtyPair {
  private socat: ChildProcess | undefined;

  constructor(
    /** the end the agent opens */
    readonly agentPath: string,
    /** the end the fake device opens */
    readonly devicePath: string,
  ) {}

  get running(): boolean {
    return this.socat !== undefined && this.socat.exitCode === null;
  }

  async start(): Promise<void> {
    if (this.running) return;
    for (const link of [this.agentPath, this.devicePath]) fs.mkdirSync(path.dirname(link), { recursive: true });
    // links a socat before us left behind (socat will not replace them); never a file of someone else's
    for (const link of [this.agentPath, this.devicePath]) {
      if (fs.lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink()) fs.rmSync(link);
    }
    const socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${this.agentPath}`, `pty,raw,echo=0,link=${this.devicePath}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.socat = socat;
    let log = '';
    socat.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    // socat says "starting data transfer loop" once both ends exist
    await new Promise<void>((resolve, reject) => {
      const finish = (error?: Error) => {
        clearInterval(check);
        clearTimeout(limit);
        socat.off('exit', onExit);
        if (error) reject(error);
        else resolve();
      };
      const check = setInterval(() => {
        if (log.includes('starting data transfer loop')) finish();
      }, 10);
      const limit = setTimeout(() => {
        socat.kill('SIGKILL');
        finish(new Error(`socat did not start in ${READY_TIMEOUT_MS} ms: ${log}`));
      }, READY_TIMEOUT_MS);
      const onExit = (code: number | null) => finish(new Error(`socat exited with ${code}: ${log}`));
      socat.once('exit', onExit);
      socat.once('error', (error) => finish(error));
    });
  }

  async stop(): Promise<void> {
    const socat = this.socat;
    this.socat = undefined;
    if (!socat || socat.exitCode !== null) return;
    const exited = new Promise((resolve) => socat.once('exit', resolve));
    socat.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, READY_TIMEOUT_MS)))]);
    clearTimeout(timer);
    if (socat.exitCode === null) socat.kill('SIGKILL');
  }
}
