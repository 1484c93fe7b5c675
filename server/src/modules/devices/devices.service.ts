// The rules for kiosk devices: each store's device settings, presence from distance readings,
// commands to the devices (wherever they are connected), and the frames of a capture through face
// analysis and recognition to the kiosk's own screen. No gRPC here (devices.grpc.ts) and no HTTP.
import { randomUUID } from 'node:crypto';
import type { AnalysisResult, FaceAnalyzer } from '@pinokio/face';
import type { Bus } from '../../platform/bus/bus.js';
import type { Database } from '../../platform/db/database.js';
import { DomainError } from '../../platform/http/errors.js';
import type { AnalysisView, MemberView } from '../kiosk-live/kiosk-live.events.js';
import type { KioskLiveService } from '../kiosk-live/kiosk-live.service.js';
import type { DeviceAuthenticator, DeviceIdentity } from './device-auth.js';
import type { DeviceCommand, DeviceConnection } from './device-connections.js';
import { DeviceConnections } from './device-connections.js';
import { DEFAULT_DEVICE_SETTINGS, type DeviceSettings } from './device-settings.js';
import { DevicesRepository } from './devices.repository.js';
import { PresenceDetector } from './presence-detector.js';

/** what the customers module offers recognition (customers.service.ts) */
export interface FaceRecognition {
  recognise(
    storeId: string,
    embedding: Float32Array,
  ): Promise<{ customerId: string; maskedName: string | null; phoneLast4: string; similarity: number } | null>;
  /** keeps the embedding on the server for a few minutes, so the kiosk can register the customer by analysisId */
  holdAnalysis(input: { kioskId: string; storeId: string; embedding: Float32Array; age: number | null; gender: 'female' | 'male' | null }): Promise<string>;
}

export type Recommendations = MemberView['recommendations'];

export interface DeviceLimits {
  maxReadingsPerReport: number;
  maxDistanceCm: number;
  maxFramesPerBatch: number;
  maxFrameBytes: number;
  maxBatchBytes: number;
}

export interface DistanceReading {
  centimetres: number;
  measuredAtMs: number;
}

export interface FramesAck {
  accepted: number;
  faceFound: boolean;
  analysisId: string;
}

export interface DevicesServiceOptions {
  db: Database;
  bus: Bus;
  live: KioskLiveService;
  authenticator: DeviceAuthenticator;
  analyzer: FaceAnalyzer;
  /** undefined: every face is a guest */
  recognition: FaceRecognition | undefined;
  recommendations: (storeId: string, customerId: string) => Promise<Recommendations>;
  limits: DeviceLimits;
  seniorAgeThreshold: number;
  log: { info(object: object, message: string): void; warn(object: object, message: string): void; error(object: object, message: string): void };
}

const COMMANDS_CHANNEL = 'devices:commands';
const SETTINGS_CHANNEL = 'devices:settings';
/** published by kiosks.service.ts when a kiosk is deleted */
export const KIOSK_REMOVED_CHANNEL = 'kiosks:removed';
// settings are pushed through the bus on change; this bounds how long a missed message matters
const SETTINGS_MEMO_MS = 60_000;

interface Presence {
  storeId: string;
  detector: PresenceDetector;
  timer: NodeJS.Timeout | undefined;
}

export class DevicesService {
  readonly connections = new DeviceConnections();
  private readonly presence = new Map<string, Presence>();
  private readonly settingsMemo = new Map<string, { settings: DeviceSettings; loadedAt: number }>();
  private readonly analysing = new Set<string>();
  /** per kiosk, how many customers have left: an analysis that outlives its customer is not shown */
  private readonly visits = new Map<string, number>();
  private readonly unsubscribes: Array<() => Promise<void>> = [];
  private readonly subscribedChannels = new Set<string>();
  private stopped = false;

  constructor(private readonly options: DevicesServiceOptions) {}

  /**
   * Listens to the bus: commands for devices connected here, settings changes, deleted kiosks.
   * Safe to call again after a failure (Redis unreachable at start): channels already subscribed
   * are kept, the others are tried again.
   */
  async start(): Promise<void> {
    const handlers: Record<string, (message: unknown) => void> = {
      [COMMANDS_CHANNEL]: (message) => {
        const { kioskId, command } = message as { kioskId: string; command: DeviceCommand };
        for (const connection of this.connections.ofKiosk(kioskId)) connection.send(command);
      },
      [SETTINGS_CHANNEL]: (message) => {
        const { storeId, settings } = message as { storeId: string; settings: DeviceSettings };
        this.applySettings(storeId, settings);
      },
      [KIOSK_REMOVED_CHANNEL]: (message) => {
        const { kioskId } = message as { kioskId: string };
        this.options.authenticator.forgetKiosk(kioskId);
        this.clearPresence(kioskId);
        for (const connection of this.connections.ofKiosk(kioskId)) {
          connection.end('unauthenticated', 'kiosk_removed: This kiosk was removed by the store owner.');
        }
      },
    };
    for (const [channel, handler] of Object.entries(handlers)) {
      if (this.subscribedChannels.has(channel) || this.stopped) continue;
      this.unsubscribes.push(await this.options.bus.subscribe(channel, handler));
      this.subscribedChannels.add(channel);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const kioskId of [...this.presence.keys()]) this.clearPresence(kioskId);
    for (const connection of this.connections.all()) connection.end('unavailable', 'server_stopping: The server is restarting; reconnect.');
    await Promise.all(this.unsubscribes.splice(0).map((unsubscribe) => unsubscribe().catch(() => undefined)));
  }

  // ---- settings

  /** for presence decisions: may be a few seconds old when a bus message was missed */
  async settingsOf(storeId: string): Promise<DeviceSettings> {
    const memo = this.settingsMemo.get(storeId);
    if (memo && Date.now() - memo.loadedAt < SETTINGS_MEMO_MS) return memo.settings;
    return this.readSettings(storeId);
  }

  /** as saved in the database (for the store owner) */
  async readSettings(storeId: string): Promise<DeviceSettings> {
    const settings = (await new DevicesRepository(this.options.db).findSettings(storeId)) ?? DEFAULT_DEVICE_SETTINGS;
    this.settingsMemo.set(storeId, { settings, loadedAt: Date.now() });
    return settings;
  }

  /** saves a store's settings and pushes them to its connected devices, on every instance */
  async updateSettings(storeId: string, settings: DeviceSettings): Promise<DeviceSettings> {
    await new DevicesRepository(this.options.db).saveSettings(storeId, settings);
    await this.options.bus.publish(SETTINGS_CHANNEL, { storeId, settings });
    return settings;
  }

  private applySettings(storeId: string, settings: DeviceSettings): void {
    this.settingsMemo.set(storeId, { settings, loadedAt: Date.now() });
    for (const state of this.presence.values()) {
      if (state.storeId === storeId) state.detector.updateRules(settings);
    }
    for (const connection of this.connections.ofStore(storeId)) connection.send({ settings: { ...settings } });
  }

  // ---- connections

  /** a device opened its command stream: it hears its store's settings first */
  async connect(connection: DeviceConnection, device: { agentVersion: string; hasCamera: boolean; hasDistanceSensor: boolean }): Promise<void> {
    if (this.stopped) throw new DomainError('unavailable', 'server_stopping', 'The server is restarting; reconnect.');
    const settings = await this.settingsOf(connection.identity.storeId);
    this.connections.add(connection);
    connection.send({ settings: { ...settings } });
    this.options.log.info({ kioskId: connection.identity.kioskId, ...device }, 'device connected');
  }

  disconnect(connection: DeviceConnection): void {
    if (!this.connections.remove(connection)) return;
    this.options.log.info({ kioskId: connection.identity.kioskId }, 'device disconnected');
  }

  /** to the kiosk's device, on whichever instance it is connected */
  private async command(kioskId: string, command: DeviceCommand): Promise<void> {
    const here = this.connections.ofKiosk(kioskId);
    if (here.length > 0) for (const connection of here) connection.send(command);
    else await this.options.bus.publish(COMMANDS_CHANNEL, { kioskId, command });
  }

  // ---- presence

  async reportDistance(device: DeviceIdentity, readings: DistanceReading[]): Promise<{ accepted: number; present: boolean }> {
    const { maxReadingsPerReport, maxDistanceCm } = this.options.limits;
    if (readings.length === 0) throw new DomainError('invalid', 'no_readings', 'The report holds no readings.');
    if (readings.length > maxReadingsPerReport) {
      throw new DomainError('invalid', 'too_many_readings', `At most ${maxReadingsPerReport} readings per report (got ${readings.length}).`);
    }
    readings.forEach((reading, index) => {
      const cm = reading.centimetres;
      if (typeof cm !== 'number' || !Number.isFinite(cm) || cm <= 0 || cm > maxDistanceCm) {
        throw new DomainError(
          'invalid',
          'invalid_reading',
          `Reading ${index + 1} (${String(cm)} cm) is not a distance: it must be a number above 0 and at most ${maxDistanceCm} cm.`,
        );
      }
    });
    const state = await this.presenceOf(device);
    const now = Date.now();
    let arrived = false;
    for (const reading of readings) {
      if (state.detector.add(reading.centimetres, now) === 'arrived') arrived = true;
    }
    if (arrived) await this.arrived(device);
    if (state.detector.present) this.armDeparture(device.kioskId, state);
    return { accepted: readings.length, present: state.detector.present };
  }

  private async presenceOf(device: DeviceIdentity): Promise<Presence> {
    let state = this.presence.get(device.kioskId);
    if (!state) {
      const settings = await this.settingsOf(device.storeId);
      state = this.presence.get(device.kioskId) ?? { storeId: device.storeId, detector: new PresenceDetector(settings), timer: undefined };
      this.presence.set(device.kioskId, state);
    }
    return state;
  }

  private async arrived(device: DeviceIdentity): Promise<void> {
    // the screen's event is queued before anything awaits (see departed)
    const screen = this.options.live.publish(device.kioskId, { event: 'state', data: { state: 'present' } });
    try {
      const settings = await this.settingsOf(device.storeId);
      const captureId = randomUUID();
      this.options.log.info({ kioskId: device.kioskId, captureId }, 'customer arrived');
      await this.command(device.kioskId, { wake: { brightness: 100 } });
      await this.command(device.kioskId, { capture: { captureId, frames: settings.framesPerCapture, intervalMs: settings.frameIntervalMs } });
    } finally {
      await screen;
    }
  }

  /** one timer per present kiosk, re-armed until nobody has been near for the store's leave time */
  private armDeparture(kioskId: string, state: Presence): void {
    if (state.timer || this.stopped) return;
    const leavesAt = state.detector.leavesAt();
    if (leavesAt === undefined) return;
    state.timer = setTimeout(() => {
      state.timer = undefined;
      if (state.detector.checkDeparture(Date.now())) {
        this.departed(kioskId).catch((error: unknown) => this.options.log.error({ err: error, kioskId }, 'departure handling failed'));
      } else {
        this.armDeparture(kioskId, state);
      }
    }, Math.max(0, leavesAt - Date.now()));
    state.timer.unref();
  }

  private async departed(kioskId: string): Promise<void> {
    this.options.log.info({ kioskId }, 'customer left');
    this.visits.set(kioskId, (this.visits.get(kioskId) ?? 0) + 1);
    // The screen's events are queued now, before anything awaits: the next customer may arrive
    // while the Reset is still on its way (over Redis, a few round trips), and their `present`
    // must reach the screen after this `waiting`, or the screen would go back to sleep on them.
    const screen = Promise.all([
      this.options.live.publish(kioskId, { event: 'reset', data: { reason: 'customer_left' } }),
      this.options.live.publish(kioskId, { event: 'state', data: { state: 'waiting' } }),
    ]);
    try {
      await this.command(kioskId, { reset: { reason: 'customer_left' } });
    } finally {
      await screen;
    }
  }

  private clearPresence(kioskId: string): void {
    const state = this.presence.get(kioskId);
    if (state?.timer) clearTimeout(state.timer);
    this.presence.delete(kioskId);
  }

  // ---- frames

  async sendFrames(device: DeviceIdentity, captureId: string, images: Uint8Array[]): Promise<FramesAck> {
    const { maxFramesPerBatch, maxFrameBytes, maxBatchBytes } = this.options.limits;
    if (images.length === 0) throw new DomainError('invalid', 'no_frames', 'The batch holds no frames.');
    if (images.length > maxFramesPerBatch) {
      throw new DomainError('invalid', 'too_many_frames', `At most ${maxFramesPerBatch} frames per batch (got ${images.length}).`);
    }
    const total = images.reduce((sum, image) => sum + image.byteLength, 0);
    if (total > maxBatchBytes) {
      throw new DomainError('too_large', 'batch_too_large', `The frames hold ${total} bytes; at most ${maxBatchBytes} per batch.`);
    }
    images.forEach((image, index) => {
      if (image.byteLength === 0) throw new DomainError('invalid', 'image_empty', `Frame ${index + 1} is empty.`);
      if (image.byteLength > maxFrameBytes) {
        throw new DomainError('invalid', 'image_too_large', `Frame ${index + 1} has ${image.byteLength} bytes; at most ${maxFrameBytes}.`);
      }
    });
    // one capture at a time per kiosk: a device cannot queue work for the whole pool
    if (this.analysing.has(device.kioskId)) {
      throw new DomainError('too_large', 'analysis_in_progress', 'The previous frames of this kiosk are still being analysed.');
    }
    this.analysing.add(device.kioskId);
    const visit = this.visits.get(device.kioskId) ?? 0;
    // the screen was reset while these frames were analysed: the next customer must not see them
    const customerLeft = () => (this.visits.get(device.kioskId) ?? 0) !== visit;
    try {
      await this.options.live.publish(device.kioskId, { event: 'state', data: { state: 'analysing' } });
      let result: AnalysisResult;
      try {
        result = await this.options.analyzer.analyze(images);
      } catch (error) {
        this.options.log.warn({ err: error, kioskId: device.kioskId, captureId }, 'frames not analysed');
        // the screen leaves "recognising..." and stays with the customer
        if (!customerLeft()) await this.options.live.publish(device.kioskId, { event: 'state', data: { state: 'present' } });
        throw analysisError(error);
      }
      if (customerLeft()) {
        this.options.log.info({ kioskId: device.kioskId, captureId }, 'frames analysed after the customer left; not shown');
        return { accepted: result.frames, faceFound: false, analysisId: '' };
      }
      const view = await this.recognise(device, result);
      await this.options.live.publish(device.kioskId, { event: 'face', data: { analysisId: view.analysisId, faceFound: view.faceFound } });
      await this.options.live.publish(device.kioskId, { event: 'analysis', data: view });
      this.options.log.info(
        { kioskId: device.kioskId, captureId, frames: result.frames, faceFound: view.faceFound, member: view.member !== null, reason: result.noFaceReason },
        'frames analysed',
      );
      return { accepted: result.frames, faceFound: view.faceFound, analysisId: view.analysisId };
    } finally {
      this.analysing.delete(device.kioskId);
    }
  }

  /** the result as the screen may see it: built field by field, so no embedding can slip through */
  private async recognise(device: DeviceIdentity, result: AnalysisResult): Promise<AnalysisView> {
    const faceFound = result.faceFound && result.embedding !== undefined;
    const age = faceFound && result.age !== undefined ? Math.round(result.age) : null;
    const gender = faceFound ? (result.gender ?? null) : null;
    let analysisId: string = randomUUID();
    let member: MemberView | null = null;
    const recognition = this.options.recognition;
    if (faceFound && recognition) {
      try {
        const embedding = result.embedding!;
        const [match, heldId] = await Promise.all([
          recognition.recognise(device.storeId, embedding),
          recognition.holdAnalysis({ kioskId: device.kioskId, storeId: device.storeId, embedding, age, gender }),
        ]);
        analysisId = heldId;
        if (match) {
          member = {
            customerId: match.customerId,
            maskedName: match.maskedName,
            phoneLast4: match.phoneLast4,
            recommendations: await this.options.recommendations(device.storeId, match.customerId).catch((error: unknown) => {
              this.options.log.warn({ err: error, kioskId: device.kioskId }, 'recommendations unavailable');
              return { topItems: [], lastOrder: null };
            }),
          };
        }
      } catch (error) {
        // recognition is a convenience: without it the customer is served as a guest
        this.options.log.error({ err: error, kioskId: device.kioskId }, 'recognition failed; serving as a guest');
      }
    }
    return { analysisId, faceFound, age, gender, senior: age !== null && age >= this.options.seniorAgeThreshold, member };
  }
}

const IMAGE_ERROR_CODES = new Set(['image_empty', 'image_unsupported', 'image_corrupt', 'image_too_large']);

/** the face library's errors in domain terms (they may arrive rebuilt from a worker thread, so by name and code) */
function analysisError(error: unknown): DomainError {
  const failure = error as { name?: string; code?: string; message?: string; frameIndex?: number };
  if (typeof failure?.code === 'string' && IMAGE_ERROR_CODES.has(failure.code)) {
    const frame = typeof failure.frameIndex === 'number' ? { frame: failure.frameIndex + 1 } : undefined;
    return new DomainError('invalid', failure.code, failure.message ?? 'The image cannot be analysed.', frame);
  }
  if (failure?.name === 'AnalyzerBusyError') {
    return new DomainError('unavailable', 'analysis_busy', 'Face analysis is busy; try again in a moment.');
  }
  if (failure?.name === 'AnalysisTimeoutError') {
    return new DomainError('unavailable', 'analysis_timeout', failure.message ?? 'Face analysis took too long.');
  }
  return new DomainError('unavailable', 'analysis_failed', 'Face analysis failed on the server; try again.');
}
