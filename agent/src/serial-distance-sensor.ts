// The distance sensor on a serial port (an Arduino Uno with an HC-SR04 running
// firmware/distance-sensor): asks `GET_DISTANCE` every sample interval, one request at a time,
// and emits the readings that make sense. Keeps itself alive: when the port is missing, unplugged,
// silent or talking garbage it closes it and opens it again with backoff, forever.
import { EventEmitter } from 'node:events';
import { ReadlineParser, SerialPort } from 'serialport';
import { Backoff, type BackoffPolicy } from './backoff.js';
import { parseSensorLine } from './distance-line.js';
import type { DistanceReading } from './device-client.js';
import type { Logger } from './log.js';

export interface SerialDistanceSensorOptions {
  path: string;
  baudRate: number;
  sampleIntervalMs: number;
  retry: BackoffPolicy;
  log: Logger;
  /** garbage lines in a row that make the port be reopened */
  garbageLimit?: number;
  /** how long an answer may take; the firmware needs about 200 ms for its three pings */
  answerTimeoutMs?: number;
  /** requests in a row left unanswered that make the port be reopened */
  unansweredLimit?: number;
}

export interface SensorCounters {
  readings: number;
  /** garbage lines: not a number, negative, absurd */
  dropped: number;
  /** `ERR ...` answers: the sensor measured nothing */
  noReading: number;
  unanswered: number;
  reconnects: number;
}

const REQUEST = 'GET_DISTANCE\n';
/** how much of a garbage line goes into the log */
const LOGGED_LINE_CHARS = 40;

export class SerialDistanceSensor extends EventEmitter<{ reading: [DistanceReading] }> {
  readonly counters: SensorCounters = { readings: 0, dropped: 0, noReading: 0, unanswered: 0, reconnects: 0 };
  private readonly backoff: Backoff;
  private readonly log: Logger;
  private sampleIntervalMs: number;
  private port: SerialPort | undefined;
  private running = false;
  private measuring = true;
  private reopenTimer: NodeJS.Timeout | undefined;
  private nextRequestTimer: NodeJS.Timeout | undefined;
  private answerTimer: NodeJS.Timeout | undefined;
  private awaitingAnswer = false;
  private lastRequestAt = 0;
  private garbageInARow = 0;
  private unansweredInARow = 0;

  constructor(private readonly options: SerialDistanceSensorOptions) {
    super();
    this.log = options.log;
    this.backoff = new Backoff(options.retry);
    this.sampleIntervalMs = options.sampleIntervalMs;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.open();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.reopenTimer);
    this.stopRequests();
    await this.closePort();
  }

  setSampleInterval(ms: number): void {
    if (ms === this.sampleIntervalMs) return;
    this.sampleIntervalMs = ms;
    this.log.info('sensor.sample_interval', { sampleIntervalMs: ms });
  }

  /** StopMeasuring: the port stays open, the requests stop */
  pause(): void {
    this.measuring = false;
    this.stopRequests();
  }

  /** StartMeasuring */
  resume(): void {
    if (this.measuring) return;
    this.measuring = true;
    if (this.port?.isOpen) this.scheduleRequest();
  }

  private open(): void {
    if (!this.running || this.port) return;
    const port = new SerialPort({ path: this.options.path, baudRate: this.options.baudRate, autoOpen: false });
    this.port = port;
    port.on('error', (error) => {
      if (this.port !== port) return;
      this.reconnect('port error', error);
    });
    port.on('close', () => {
      if (this.port !== port) return;
      this.reconnect('port closed');
    });
    port.open((error) => {
      if (this.port !== port) return;
      if (error) {
        this.reconnect('open failed', error);
        return;
      }
      this.log.info('sensor.connected', { port: this.options.path, baudRate: this.options.baudRate });
      this.garbageInARow = 0;
      this.unansweredInARow = 0;
      const lines = port.pipe(new ReadlineParser({ delimiter: '\n', encoding: 'latin1' }));
      lines.on('data', (line: string) => {
        if (this.port === port) this.onLine(line);
      });
      if (this.measuring) this.scheduleRequest();
    });
  }

  /** close what is open and open it again after the backoff wait */
  private reconnect(reason: string, error?: Error): void {
    if (!this.port && this.reopenTimer) return; // already waiting
    this.stopRequests();
    void this.closePort();
    if (!this.running) return;
    const retryInMs = this.backoff.next();
    this.counters.reconnects += 1;
    this.log.warn('sensor.unavailable', { port: this.options.path, reason, ...(error ? { error } : {}), retryInMs, attempt: this.backoff.attempts });
    clearTimeout(this.reopenTimer);
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = undefined;
      this.open();
    }, retryInMs);
  }

  private async closePort(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    if (!port?.isOpen) return;
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private stopRequests(): void {
    clearTimeout(this.nextRequestTimer);
    clearTimeout(this.answerTimer);
    this.nextRequestTimer = undefined;
    this.answerTimer = undefined;
    this.awaitingAnswer = false;
  }

  /** the next request one sample interval after the previous one, never two at once */
  private scheduleRequest(): void {
    if (this.nextRequestTimer || this.awaitingAnswer || !this.measuring) return;
    const wait = Math.max(0, this.lastRequestAt + this.sampleIntervalMs - Date.now());
    this.nextRequestTimer = setTimeout(() => {
      this.nextRequestTimer = undefined;
      this.request();
    }, wait);
  }

  private request(): void {
    const port = this.port;
    if (!port?.isOpen || !this.measuring) return;
    this.awaitingAnswer = true;
    this.lastRequestAt = Date.now();
    port.write(REQUEST);
    this.answerTimer = setTimeout(() => this.onUnanswered(), this.options.answerTimeoutMs ?? 1_000);
  }

  private onUnanswered(): void {
    this.answerTimer = undefined;
    this.awaitingAnswer = false;
    this.counters.unanswered += 1;
    this.unansweredInARow += 1;
    this.log.debug('sensor.unanswered', { inARow: this.unansweredInARow });
    if (this.unansweredInARow >= (this.options.unansweredLimit ?? 5)) {
      this.reconnect(`no answer to ${this.unansweredInARow} requests`);
      return;
    }
    this.scheduleRequest();
  }

  private onLine(raw: string): void {
    const line = parseSensorLine(raw);
    if (this.awaitingAnswer) {
      clearTimeout(this.answerTimer);
      this.answerTimer = undefined;
      this.awaitingAnswer = false;
    }
    this.unansweredInARow = 0;
    switch (line.kind) {
      case 'reading':
        this.garbageInARow = 0;
        this.backoff.reset();
        this.counters.readings += 1;
        this.log.debug('sensor.reading', { centimetres: line.centimetres });
        this.emit('reading', { centimetres: line.centimetres, measuredAtMs: Date.now() });
        break;
      case 'no-reading':
        this.garbageInARow = 0;
        this.backoff.reset();
        this.counters.noReading += 1;
        this.log.debug('sensor.no_reading', { reason: line.reason });
        break;
      case 'garbage':
        this.counters.dropped += 1;
        this.garbageInARow += 1;
        this.log.warn('sensor.line_dropped', { reason: line.reason, line: raw.slice(0, LOGGED_LINE_CHARS), dropped: this.counters.dropped });
        if (this.garbageInARow >= (this.options.garbageLimit ?? 5)) {
          this.reconnect(`${this.garbageInARow} garbage lines in a row`);
          return;
        }
        break;
    }
    this.scheduleRequest();
  }
}
