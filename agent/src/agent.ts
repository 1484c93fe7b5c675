// The agent: keeps the command stream to the server open, feeds the sensor's readings and the
// camera's captures to the server through outboxes, and obeys the server's commands. The server
// decides presence; the agent measures, photographs and reports.
import type grpc from '@grpc/grpc-js';
import { Backoff } from './backoff.js';
import type { Camera } from './camera.js';
import { type DeviceClient, errorCodeOf, Status, statusOf, type Command, type DistanceReading, type FrameBatch, type Settings } from './device-client.js';
import type { Display } from './display.js';
import type { Logger } from './log.js';
import type { AgentOptions } from './options.js';
import { Outbox, OutboxSender, type FailureVerdict } from './outbox.js';
import type { SerialDistanceSensor } from './serial-distance-sensor.js';

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
}

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

  constructor(private readonly parts: AgentParts) {
    const { options, log } = parts;
    this.log = log;
    this.streamBackoff = new Backoff(options.retry);
    this.readings = new Outbox({ capacity: options.readingsCapacity });
    this.captures = new Outbox({ capacity: options.frameBatchesCapacity, maxAgeMs: options.frameBatchMaxAgeMs });
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
    });
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
    this.stream?.cancel();
    this.readingsSender.stop();
    this.capturesSender.stop();
    await this.parts.sensor?.stop();
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
    const stream = this.parts.client.connect({ agentVersion: this.parts.version, hasCamera, hasDistanceSensor: this.parts.sensor !== undefined });
    this.stream = stream;
    let connected = false;
    let closed = false;
    const onClosed = (error: grpc.ServiceError | undefined) => {
      if (closed || this.stream !== stream) return;
      closed = true;
      this.stream = undefined;
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
      default:
        this.log.warn('command.unknown', { sequence, kind: command.kind ?? 'none' });
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
