// The agent: keeps the command stream to the server open, feeds the sensor's readings and the
// camera's captures to the server through outboxes, and obeys the server's commands. The server
// decides presence; the agent measures, photographs and reports. Card charges go through the
// charge runner (payments/), receipts to the printer, and both peripherals' state to the server.
import type grpc from '@grpc/grpc-js';
import { Backoff } from './backoff.js';
import type { Camera } from './camera.js';
import { type DeviceClient, errorCodeOf, Status, statusOf, type Command, type DistanceReading, type FrameBatch, type Settings } from './device-client.js';
import type { Display } from './display.js';
import type { Logger } from './log.js';
import type { AgentOptions } from './options.js';
import { Outbox, OutboxSender, type FailureVerdict } from './outbox.js';
import { ChargeRunner } from './payments/charge-runner.js';
import type { PaymentJournal } from './payments/journal.js';
import type { ReceiptDocument, ReceiptPrinter } from './printer/receipt-printer.js';
import type { SerialDistanceSensor } from './serial-distance-sensor.js';
import type { CardTerminal } from './terminal/card-terminal.js';
import type { PeripheralStatus, PrintOutcome, ReceiptLineMessage } from './device-client.js';

/** readings per ReportDistance call when the agent catches up after being offline */
const READINGS_PER_CALL = 500;

export interface AgentParts {
  options: AgentOptions;
  version: string;
  log: Logger;
  client: DeviceClient;
  sensor: SerialDistanceSensor | undefined;
  camera: Camera | undefined;
  display: Display;
  terminal: CardTerminal | undefined;
  printer: ReceiptPrinter | undefined;
  journal: PaymentJournal;
}

/** a ready terminal is reported offline after this many failed status checks in a row */
const TERMINAL_MISSES_FOR_OFFLINE = 2;
/** tries of a ReportPrint before the outcome is only logged */
const PRINT_REPORT_TRIES = 5;

/** what is worth retrying: refusals of the request itself are not */
function judge(error: unknown): FailureVerdict {
  // the server's stable error code: a rate limit passes, a batch too large does not
  if (errorCodeOf(error) === 'rate_limited') return 'retry';
  switch (statusOf(error)) {
    case Status.INVALID_ARGUMENT:
    case Status.RESOURCE_EXHAUSTED:
    case Status.FAILED_PRECONDITION:
    case Status.PERMISSION_DENIED:
      return 'drop';
    case Status.UNAUTHENTICATED:
      return 'unauthenticated';
    default:
      return 'retry';
  }
}

export class Agent {
  private readonly log: Logger;
  private readonly readings: Outbox<DistanceReading>;
  private readonly captures: Outbox<FrameBatch>;
  private readonly readingsSender: OutboxSender<DistanceReading>;
  private readonly capturesSender: OutboxSender<FrameBatch>;
  private readonly streamBackoff: Backoff;
  private stream: grpc.ClientReadableStream<Command> | undefined;
  private reopenTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private present: boolean | undefined;
  private settings: Pick<Settings, 'framesPerCapture' | 'frameIntervalMs'> = { framesPerCapture: 3, frameIntervalMs: 200 };
  private captureUnderWay: AbortController | undefined;
  /** why the camera cannot take photos; undefined when it can, null before the first check */
  private cameraProblem: string | undefined | null = null;
  private readonly payments: ChargeRunner;
  private peripheralsTimer: NodeJS.Timeout | undefined;
  private peripheralsChecking = false;
  /** status checks the ready terminal missed in a row: one slow PING on a loaded kiosk is not "offline" */
  private terminalMisses = 0;
  /** what the server was last told (undefined: tell it again) */
  private reportedPeripherals: string | undefined;
  private lastPeripherals: PeripheralStatus = { terminal: 'TERMINAL_NONE', printer: 'PRINTER_NONE' };
  private streamConnected = false;

  constructor(private readonly parts: AgentParts) {
    const { options, log } = parts;
    this.log = log;
    this.streamBackoff = new Backoff(options.retry);
    this.readings = new Outbox({ capacity: options.readingsCapacity });
    this.captures = new Outbox({ capacity: options.frameBatchesCapacity, maxAgeMs: options.frameBatchMaxAgeMs });
    this.payments = new ChargeRunner({ terminal: parts.terminal, client: parts.client, journal: parts.journal, retry: options.retry, log });
    const common = { retry: options.retry, credentialsRetryMs: options.credentialsRetryMs, judge, log };
    this.readingsSender = new OutboxSender({
      ...common,
      name: 'readings',
      outbox: this.readings,
      batchSize: READINGS_PER_CALL,
      send: async (batch) => {
        const ack = await parts.client.reportDistance(batch);
        log.debug('distance.sent', { readings: batch.length, accepted: ack.accepted, present: ack.present });
        if (ack.present !== this.present) {
          this.present = ack.present;
          log.info('presence.changed', { present: ack.present, centimetres: batch.at(-1)?.centimetres });
        }
      },
    });
    // Readings go out only while the command stream is open: the server answers an arrival with
    // commands on that stream, and a command sent while the device is not connected is lost.
    this.readingsSender.hold('waiting for the command stream');
    this.capturesSender = new OutboxSender({
      ...common,
      name: 'captures',
      outbox: this.captures,
      batchSize: 1,
      // frames that timed out were received and maybe still being analysed: sending them again
      // would only queue a second analysis of the same customer
      judge: (error) => (statusOf(error) === Status.DEADLINE_EXCEEDED ? 'drop' : judge(error)),
      send: async ([batch]) => {
        const ack = await parts.client.sendFrames(batch!);
        log.info('frames.sent', {
          captureId: batch!.captureId,
          frames: batch!.frames.length,
          accepted: ack.accepted,
          faceFound: ack.faceFound,
          analysisId: ack.analysisId,
        });
      },
    });
  }

  async start(): Promise<void> {
    const { options, sensor, camera, version } = this.parts;
    this.log.info('agent.started', {
      version,
      server: options.server,
      tls: options.tls !== undefined,
      kioskId: options.kioskId,
      serialPort: options.serialPort ?? 'none',
      camera: camera?.description ?? 'none',
      cardTerminal: this.parts.terminal?.description ?? 'none',
      printer: this.parts.printer?.description ?? 'none',
      journal: this.parts.journal.file,
    });
    // what a previous run left unfinished: voids of interrupted sales, outcomes not yet acknowledged
    this.payments.recover();
    if (this.parts.terminal || this.parts.printer) {
      this.peripheralsTimer = setInterval(() => void this.checkPeripherals(false), options.peripheralsPollMs);
    }
    if (sensor) {
      sensor.on('reading', (reading) => {
        const pushedOut = this.readings.push(reading);
        if (pushedOut > 0 && this.readings.dropped % 100 === pushedOut) {
          this.log.warn('outbox.full', { outbox: 'readings', capacity: options.readingsCapacity, dropped: this.readings.dropped });
        }
        this.readingsSender.kick();
      });
      sensor.start();
    } else {
      this.log.warn('sensor.none', { message: 'no serial port configured: no distance readings will be sent' });
    }
    void this.openStream();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.reopenTimer);
    this.captureUnderWay?.abort();
    clearInterval(this.peripheralsTimer);
    this.payments.stop();
    this.stream?.cancel();
    this.readingsSender.stop();
    this.capturesSender.stop();
    await this.parts.sensor?.stop();
    await Promise.all([this.parts.terminal?.close(), this.parts.printer?.close()].map((closing) => closing?.catch(() => undefined)));
    this.parts.journal.close();
    this.parts.client.close();
    this.log.info('agent.stopped', { queuedReadings: this.readings.size, queuedCaptures: this.captures.size });
  }

  /** the camera's state, logged when it changes; a missing camera is reported, never fatal */
  private async checkCamera(): Promise<boolean> {
    const camera = this.parts.camera;
    if (!camera) return false;
    const problem = await camera.check();
    if (problem !== this.cameraProblem) {
      if (problem) this.log.warn('camera.unavailable', { camera: camera.description, reason: problem });
      else this.log.info('camera.ready', { camera: camera.description });
      this.cameraProblem = problem;
    }
    return problem === undefined;
  }

  private async openStream(): Promise<void> {
    if (this.stopping) return;
    const hasCamera = await this.checkCamera();
    if (this.stopping) return;
    const stream = this.parts.client.connect({
      agentVersion: this.parts.version,
      hasCamera,
      hasDistanceSensor: this.parts.sensor !== undefined,
      hasCardTerminal: this.parts.terminal !== undefined,
      hasReceiptPrinter: this.parts.printer !== undefined,
    });
    this.stream = stream;
    let connected = false;
    let closed = false;
    const onClosed = (error: grpc.ServiceError | undefined) => {
      if (closed || this.stream !== stream) return;
      closed = true;
      this.stream = undefined;
      this.streamConnected = false;
      if (this.stopping) return;
      this.readingsSender.hold('the command stream closed');
      this.scheduleReopen(error, connected);
    };
    stream.on('data', (command: Command) => {
      if (!connected) {
        connected = true;
        this.streamBackoff.reset();
        this.log.info('server.connected', { server: this.parts.options.server });
        // the server is back and can reach this device: deliver what waited, now
        this.readingsSender.release();
        this.capturesSender.retryNow();
        // the server marks the peripherals offline until told: tell it with every new stream
        this.streamConnected = true;
        this.reportedPeripherals = undefined;
        if (this.parts.terminal || this.parts.printer) void this.checkPeripherals(true);
      }
      void this.obey(command);
    });
    stream.on('error', (error: grpc.ServiceError) => onClosed(error));
    stream.on('end', () => onClosed(undefined));
  }

  private scheduleReopen(error: grpc.ServiceError | undefined, wasConnected: boolean): void {
    let retryInMs: number;
    if (statusOf(error) === Status.UNAUTHENTICATED) {
      retryInMs = this.parts.options.credentialsRetryMs;
      this.log.error('server.unauthenticated', {
        kioskId: this.parts.options.kioskId,
        message: `the server refused this kiosk's credentials: check PINOKIO_KIOSK_ID and the secret (POS → kiosks → new secret); retrying in ${Math.round(retryInMs / 1000)} s`,
        details: error?.details,
        retryInMs,
      });
    } else {
      retryInMs = this.streamBackoff.next();
      this.log.warn(wasConnected ? 'server.disconnected' : 'server.unreachable', {
        server: this.parts.options.server,
        code: error ? Status[error.code] : 'stream ended',
        details: error?.details,
        retryInMs,
      });
    }
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = undefined;
      void this.openStream();
    }, retryInMs);
  }

  private async obey(command: Command): Promise<void> {
    const { sequence } = command;
    switch (command.kind) {
      case 'settings': {
        const settings = command.settings!;
        this.log.info('command.settings', { sequence, ...settings });
        this.settings = { framesPerCapture: settings.framesPerCapture, frameIntervalMs: settings.frameIntervalMs };
        if (settings.sampleIntervalMs > 0) this.parts.sensor?.setSampleInterval(settings.sampleIntervalMs);
        return;
      }
      case 'capture': {
        const { captureId, frames, intervalMs } = command.capture!;
        this.log.info('command.capture', { sequence, captureId, frames, intervalMs });
        await this.capture(captureId, frames || this.settings.framesPerCapture, frames ? intervalMs : this.settings.frameIntervalMs);
        return;
      }
      case 'wake':
        this.log.info('command.wake', { sequence, brightness: command.wake!.brightness });
        await this.parts.display.setBrightness(command.wake!.brightness, 'wake');
        return;
      case 'reset': {
        const dropped = this.captures.clear();
        this.log.info('command.reset', {
          sequence,
          reason: command.reset!.reason,
          captureCancelled: this.captureUnderWay !== undefined,
          capturesDropped: dropped,
        });
        this.captureUnderWay?.abort();
        await this.parts.display.setBrightness(this.parts.options.idleBrightness, 'reset');
        return;
      }
      case 'stopMeasuring':
        this.log.info('command.stop_measuring', { sequence, reason: command.stopMeasuring!.reason });
        this.parts.sensor?.pause();
        return;
      case 'startMeasuring':
        this.log.info('command.start_measuring', { sequence });
        this.parts.sensor?.resume();
        return;
      case 'charge': {
        const charge = command.charge!;
        this.log.info('command.charge', { sequence, paymentId: charge.paymentId, orderNumber: charge.orderNumber, amount: charge.amount });
        this.payments.charge(charge);
        return;
      }
      case 'voidPayment':
        this.log.info('command.void_payment', { sequence, paymentId: command.voidPayment!.paymentId, reason: command.voidPayment!.reason });
        this.payments.voidPayment(command.voidPayment!.paymentId, command.voidPayment!.reason || 'server_void');
        return;
      case 'refundPayment':
        this.log.info('command.refund_payment', { sequence, refundId: command.refundPayment!.refundId, amount: command.refundPayment!.amount });
        this.payments.refund(command.refundPayment!);
        return;
      case 'printReceipt':
        this.log.info('command.print_receipt', { sequence, receiptId: command.printReceipt!.receiptId, lines: command.printReceipt!.lines?.length ?? 0 });
        await this.printReceipt(command.printReceipt!);
        return;
      default:
        this.log.warn('command.unknown', { sequence, kind: command.kind ?? 'none' });
    }
  }

  /** prints, then tells the server how it went (a few tries; the receipt's QR link works either way) */
  private async printReceipt(command: { receiptId: string; lines: ReceiptLineMessage[]; qrUrl: string }): Promise<void> {
    const printer = this.parts.printer;
    let outcome: PrintOutcome = 'OFFLINE';
    if (printer) {
      const document: ReceiptDocument = {
        lines: (command.lines ?? []).map((line) => ({
          style: (line.style ?? 'NORMAL').toLowerCase() as ReceiptDocument['lines'][number]['style'],
          align: (line.align ?? 'LEFT').toLowerCase() as ReceiptDocument['lines'][number]['align'],
          text: line.text ?? '',
          ...(line.right ? { right: line.right } : {}),
        })),
        ...(command.qrUrl ? { qrUrl: command.qrUrl } : {}),
      };
      const printed = await printer.print(document).catch((error: unknown) => {
        this.log.warn('printer.failed', { receiptId: command.receiptId, error });
        return 'offline' as const;
      });
      outcome = ({ printed: 'PRINTED', paper_out: 'PAPER_OUT', offline: 'OFFLINE' } as const)[printed];
    }
    this.log.info('receipt.printed', { receiptId: command.receiptId, outcome });
    const backoff = new Backoff(this.parts.options.retry);
    for (let attempt = 1; attempt <= PRINT_REPORT_TRIES && !this.stopping; attempt++) {
      try {
        await this.parts.client.reportPrint(command.receiptId, outcome);
        break;
      } catch (error) {
        if (attempt === PRINT_REPORT_TRIES || judge(error) === 'drop') {
          this.log.warn('receipt.report_failed', {
            receiptId: command.receiptId,
            outcome,
            code: statusOf(error) === undefined ? String(error) : Status[statusOf(error)!],
          });
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, backoff.next()));
      }
    }
    // paper out or offline: the poll reports it sooner than its interval
    if (outcome !== 'PRINTED') void this.checkPeripherals(false);
  }

  /** the terminal's and the printer's state; reported when it changed (or `force`, with a new stream) */
  private async checkPeripherals(force: boolean): Promise<void> {
    if (this.peripheralsChecking) return;
    this.peripheralsChecking = true;
    try {
      const { terminal, printer } = this.parts;
      const next: PeripheralStatus = { ...this.lastPeripherals };
      // a sale holds the terminal's line: its state is known from the sale itself
      if (terminal && !this.payments.busy) {
        const ready = (await terminal.status().catch(() => 'offline' as const)) === 'ready';
        this.terminalMisses = ready ? 0 : this.terminalMisses + 1;
        if (ready) next.terminal = 'TERMINAL_READY';
        else if (this.lastPeripherals.terminal !== 'TERMINAL_READY' || this.terminalMisses >= TERMINAL_MISSES_FOR_OFFLINE) next.terminal = 'TERMINAL_OFFLINE';
      }
      if (!terminal) next.terminal = 'TERMINAL_NONE';
      if (printer) {
        const state = await printer.status().catch(() => 'offline' as const);
        next.printer = ({ ready: 'PRINTER_READY', paper_low: 'PRINTER_PAPER_LOW', paper_out: 'PRINTER_PAPER_OUT', offline: 'PRINTER_OFFLINE' } as const)[state];
      } else {
        next.printer = 'PRINTER_NONE';
      }
      const key = `${next.terminal}/${next.printer}`;
      const changed = key !== `${this.lastPeripherals.terminal}/${this.lastPeripherals.printer}`;
      this.lastPeripherals = next;
      if (changed) this.log.info('peripherals.changed', { terminal: next.terminal, printer: next.printer });
      if (!this.streamConnected || (!force && key === this.reportedPeripherals)) return;
      try {
        await this.parts.client.reportPeripherals(next);
        this.reportedPeripherals = key;
        this.log.info('peripherals.reported', { terminal: next.terminal, printer: next.printer });
      } catch (error) {
        // tried again at the next poll
        this.reportedPeripherals = undefined;
        this.log.warn('peripherals.report_failed', { code: statusOf(error) === undefined ? String(error) : Status[statusOf(error)!] });
      }
    } finally {
      this.peripheralsChecking = false;
    }
  }

  /** `count` photos `intervalMs` apart, queued as one batch; a Reset or a newer Capture cancels it */
  private async capture(captureId: string, count: number, intervalMs: number): Promise<void> {
    const camera = this.parts.camera;
    if (!camera || !(await this.checkCamera())) {
      this.log.warn('capture.skipped', { captureId, reason: camera ? (this.cameraProblem ?? 'unknown') : 'no camera configured' });
      return;
    }
    this.captureUnderWay?.abort();
    const controller = new AbortController();
    this.captureUnderWay = controller;
    const frames: FrameBatch['frames'] = [];
    try {
      for (let i = 0; i < count && !controller.signal.aborted; i++) {
        if (i > 0 && intervalMs > 0) await new Promise((resolve) => setTimeout(resolve, intervalMs));
        if (controller.signal.aborted) break;
        try {
          const image = await camera.capture(controller.signal);
          frames.push({ image, capturedAtMs: Date.now() });
        } catch (error) {
          if (!controller.signal.aborted) this.log.warn('camera.frame_failed', { captureId, frame: i + 1, error });
        }
      }
    } finally {
      if (this.captureUnderWay === controller) this.captureUnderWay = undefined;
    }
    if (controller.signal.aborted) {
      this.log.info('capture.cancelled', { captureId, framesTaken: frames.length });
      return;
    }
    if (frames.length === 0) {
      this.log.warn('capture.failed', { captureId, reason: 'no frame could be taken' });
      return;
    }
    this.log.info('capture.taken', { captureId, frames: frames.length, bytes: frames.reduce((sum, frame) => sum + frame.image.length, 0) });
    this.captures.push({ captureId, frames });
    this.capturesSender.kick();
  }
}
