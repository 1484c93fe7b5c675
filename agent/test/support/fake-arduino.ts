// A fake Arduino for the agent's tests: socat makes a pseudo-terminal pair, the agent opens one
// end as its serial port and this fake answers on the other, speaking the firmware's line protocol
// (firmware/distance-sensor). Killing socat is pulling the USB cable; start() again plugs it back.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ReadlineParser, SerialPort } from 'serialport';

/** what the fake answers to `GET_DISTANCE` */
export type FakeAnswer =
  | { distanceCm: number }
  /** the firmware's answer when no echo came back */
  | { error: string }
  /** any line, as a broken device or a wrong baud rate would send */
  | { garbage: string }
  | 'silent';

export class FakeArduino {
  /** the agent's end of the pair */
  readonly agentPath: string;
  private readonly fakePath: string;
  private socat: ChildProcess | undefined;
  private port: SerialPort | undefined;
  answer: FakeAnswer = { distanceCm: 200 };
  requests = 0;

  constructor(readonly directory: string) {
    this.agentPath = path.join(directory, 'agent-end');
    this.fakePath = path.join(directory, 'arduino-end');
  }

  /** plugs the device in: the pair exists and the fake listens */
  async start(): Promise<void> {
    fs.mkdirSync(this.directory, { recursive: true });
    const socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${this.agentPath}`, `pty,raw,echo=0,link=${this.fakePath}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.socat = socat;
    let log = '';
    socat.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    // socat says "starting data transfer loop" once both ends exist
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (log.includes('starting data transfer loop')) {
          clearInterval(check);
          resolve();
        }
      }, 20);
      socat.once('exit', (code) => {
        clearInterval(check);
        reject(new Error(`socat exited with ${code}: ${log}`));
      });
    });
    const port = new SerialPort({ path: this.fakePath, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    port.on('error', () => undefined); // the other end vanishing is what these tests do
    port.pipe(new ReadlineParser({ delimiter: '\n' })).on('data', (line: string) => this.onLine(port, line.replace(/\r$/, '')));
    this.port = port;
  }

  private onLine(port: SerialPort, line: string): void {
    if (line !== 'GET_DISTANCE') {
      port.write('ERR unknown\n');
      return;
    }
    this.requests += 1;
    const answer = this.answer;
    if (answer === 'silent') return;
    if ('distanceCm' in answer) port.write(`${answer.distanceCm.toFixed(1)}\n`);
    else if ('error' in answer) port.write(`ERR ${answer.error}\n`);
    else port.write(`${answer.garbage}\n`);
  }

  /** unplugs the device: socat and both pseudo-terminals go away */
  async unplug(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    const socat = this.socat;
    this.socat = undefined;
    if (socat && socat.exitCode === null) {
      const exited = new Promise((resolve) => socat.once('exit', resolve));
      socat.kill('SIGTERM');
      await exited;
    }
  }

  /** requests answered from now on (a test waits for some to be sure the agent is talking) */
  async waitForRequests(count: number, timeoutMs = 15_000): Promise<void> {
    const target = this.requests + count;
    const deadline = Date.now() + timeoutMs;
    while (this.requests < target) {
      if (Date.now() > deadline) throw new Error(`the agent sent ${this.requests - (target - count)} of ${count} GET_DISTANCE requests in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
