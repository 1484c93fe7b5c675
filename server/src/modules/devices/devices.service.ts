// The rules for kiosk devices: each store's device settings, presence from distance readings,
// commands to the devices (wherever they are connected), and the frames of a capture through face
// analysis and recognition to the kiosk's own screen. No gRPC here (devices.grpc.ts) and no HTTP.
import { randomUUID } from 'node:crypto';
import type { AnalysisResult, FaceAnalyzer } from '@pinokio/face';
import type { Bus } from '../../platform/bus/bus.js';
import type { Cache } from '../../platform/cache/cache.js';
import type { Database } from '../../platform/db/database.js';
import { DomainError } from '../../platform/http/errors.js';
import type { PrinterStatus, TerminalStatus } from '../../platform/db/schema.js';
import type { AnalysisView, LiveEvent, PeripheralsView } from '../kiosk-live/kiosk-live.events.js';
import type { KioskLiveService } from '../kiosk-live/kiosk-live.service.js';
import type { DeviceAuthenticator, DeviceIdentity } from './device-auth.js';
import type { DeviceCommand, DeviceConnection } from './device-connections.js';
import { DeviceConnections } from './device-connections.js';
import { KiosksRepository } from '../kiosks/kiosks.repository.js';
import { DEFAULT_DEVICE_SETTINGS, type DeviceSettingOverrides, type DeviceSettings, effectiveSettings } from './device-settings.js';
import { DevicesRepository } from './devices.repository.js';
import { PresenceDetector } from './presence-detector.js';
import { PresenceStore, type StoredPresence } from './presence-store.js';

/** what the customers module offers recognition (customers.service.ts) */
export interface FaceRecognition {
  recognise(
    storeId: string,
    embedding: Float32Array,
  ): Promise<{ customerId: string; maskedName: string | null; phoneLast4: string; similarity: number } | null>;
  /** keeps the embedding on the server for a few minutes, so the kiosk can register the customer by analysisId */
  holdAnalysis(input: { kioskId: string; storeId: string; embedding: Float32Array; age: number | null; gender: 'female' | 'male' | null }): Promise<string>;
}

/**
 * What the customers module offers after a match (member-confirmations.ts): a pending confirmation
 * by the phone's last 4 digits, whose opaque id is all the screen sees of the member.
 */
export interface MemberConfirmationOpener {
  open(input: { kioskId: string; storeId: string; candidateIds: string[]; embedding: Float32Array }): Promise<string>;
}

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

export type PaymentOutcome = 'APPROVED' | 'DECLINED' | 'TIMED_OUT' | 'CARD_REMOVED' | 'VOIDED' | 'VOID_FAILED' | 'REFUNDED' | 'REFUND_FAILED';
export const PAYMENT_OUTCOMES: readonly PaymentOutcome[] = [
  'APPROVED',
  'DECLINED',
  'TIMED_OUT',
  'CARD_REMOVED',
  'VOIDED',
  'VOID_FAILED',
  'REFUNDED',
  'REFUND_FAILED',
];

/** a ReportPayment from a kiosk's agent (proto PaymentReport) */
export interface PaymentReport {
  /** a Charge's payment_id, or a RefundPayment's refund_id for REFUNDED / REFUND_FAILED */
  paymentId: string;
  outcome: PaymentOutcome;
  amount: number;
  approvalNumber: string;
  terminalReference: string;
  message: string;
  occurredAtMs: number;
}

/** proto PaymentDecision */
export interface PaymentDecision {
  action: 'ACKNOWLEDGED' | 'CONFIRMED' | 'VOID';
  orderNumber: number;
  reason: string;
}

/** the payments module answers the agents' payment reports (payments/kiosk-charges.service.ts) */
export interface PaymentReportHandler {
  report(device: DeviceIdentity, report: PaymentReport): Promise<PaymentDecision>;
}

export type PrintOutcome = 'printed' | 'paper_out' | 'offline';

/** the receipts module records what the printer did (receipts.service.ts) */
export interface PrintReportHandler {
  recordPrintOutcome(kioskId: string, receiptId: string, outcome: PrintOutcome): Promise<unknown>;
}

export interface DevicesServiceOptions {
  db: Database;
  /** each kiosk's presence state, shared by the instances (presence-store.ts) */
  cache: Cache;
  bus: Bus;
  live: KioskLiveService;
  authenticator: DeviceAuthenticator;
  analyzer: FaceAnalyzer;
  /** undefined: every face is a guest */
  recognition: FaceRecognition | undefined;
  /** undefined with recognition undefined */
  confirmations: MemberConfirmationOpener | undefined;
  limits: DeviceLimits;
  seniorAgeThreshold: number;
  /** years below the threshold from which senior mode is still offered first (the estimate reads old faces young) */
  seniorAgeMargin: number;
  log: { info(object: object, message: string): void; warn(object: object, message: string): void; error(object: object, message: string): void };
}

/** a kiosk's card terminal and printer as the POS's kiosk list shows them (peripheralsOf) */
export type PeripheralsChange = PeripheralsView & { storeId: string; kioskId: string; reportedAt: Date | null };

const COMMANDS_CHANNEL = 'devices:commands';
// "this kiosk's agent is connected (somewhere)": a cache key each instance holding a stream refreshes
const ONLINE_KEY = (kioskId: string) => `devices:online:${kioskId}`;
const ONLINE_TTL_SECONDS = 60;
const ONLINE_REFRESH_MS = 20_000;
const SETTINGS_CHANNEL = 'devices:settings';
const KIOSK_SETTINGS_CHANNEL = 'devices:kiosk-settings';
/** published by kiosks.service.ts when a kiosk is deleted */
export const KIOSK_REMOVED_CHANNEL = 'kiosks:removed';
// settings are pushed through the bus on change; this bounds how long a missed message matters
const SETTINGS_MEMO_MS = 60_000;

/** a run under way was counted with these arrival rules; a change of them starts it again */
function arrivalRulesKey(settings: DeviceSettings): string {
  return `${settings.arriveBelowCm}/${settings.arriveConsecutive}/${settings.arriveToleranceCm}`;
}

/** a store's settings as one kiosk sees them (the owner's kiosk page) */
export interface KioskDeviceSettingsView {
  store: DeviceSettings;
  overrides: DeviceSettingOverrides;
  effective: DeviceSettings;
}

/** on SETTINGS_CHANNEL: the store's new settings with the overrides of each of its kiosks that has any */
interface StoreSettingsMessage {
  storeId: string;
  settings: DeviceSettings;
  kioskOverrides: Record<string, DeviceSettingOverrides>;
}

/** on KIOSK_SETTINGS_CHANNEL: one kiosk's overrides changed */
interface KioskSettingsMessage {
  kioskId: string;
  overrides: DeviceSettingOverrides;
  effective: DeviceSettings;
}

export class DevicesService {
  readonly connections = new DeviceConnections();
  private readonly presence: PresenceStore;
  /** per kiosk, the timer that asks (on this instance) whether the customer has left */
  private readonly departureTimers = new Map<string, NodeJS.Timeout>();
  private readonly settingsMemo = new Map<string, { settings: DeviceSettings; loadedAt: number }>();
  /** per kiosk, its overrides of the store's settings ({} for none) */
  private readonly overridesMemo = new Map<string, { overrides: DeviceSettingOverrides; loadedAt: number }>();
  private readonly analysing = new Set<string>();
  private readonly unsubscribes: Array<() => Promise<void>> = [];
  private readonly subscribedChannels = new Set<string>();
  private stopped = false;
  private readonly instanceId = randomUUID();
  private onlineTimer: NodeJS.Timeout | undefined;
  private paymentReports: PaymentReportHandler | undefined;
  private printReports: PrintReportHandler | undefined;
  private readonly connectedListeners: Array<(kioskId: string) => Promise<void>> = [];
  private readonly peripheralsListeners: Array<(change: PeripheralsChange) => Promise<void>> = [];

  constructor(private readonly options: DevicesServiceOptions) {
    this.presence = new PresenceStore(options.cache, (error) =>
      options.log.warn({ err: error }, 'presence state unavailable in the cache; deciding on this instance'),
    );
  }

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
      [SETTINGS_CHANNEL]: (message) => this.applySettings(message as StoreSettingsMessage),
      [KIOSK_SETTINGS_CHANNEL]: (message) => this.applyKioskSettings(message as KioskSettingsMessage),
      [KIOSK_REMOVED_CHANNEL]: (message) => {
        const { kioskId } = message as { kioskId: string };
        this.options.authenticator.forgetKiosk(kioskId);
        this.overridesMemo.delete(kioskId);
        void this.clearPresence(kioskId);
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
    if (!this.onlineTimer && !this.stopped) {
      this.onlineTimer = setInterval(() => void this.refreshOnline(), ONLINE_REFRESH_MS);
      this.onlineTimer.unref();
    }
  }

  /** the payments module answers ReportPayment (set once at start) */
  handlePaymentReports(handler: PaymentReportHandler): void {
    this.paymentReports = handler;
  }

  /** told when a kiosk's device opens a command stream here (commands it missed while away can be sent again); must not throw */
  onDeviceConnected(listener: (kioskId: string) => Promise<void>): void {
    this.connectedListeners.push(listener);
  }

  /** told when a kiosk's card terminal or printer changes, or its agent comes or goes (the POS's kiosk list); must not throw */
  onPeripheralsChanged(listener: (change: PeripheralsChange) => Promise<void>): void {
    this.peripheralsListeners.push(listener);
  }

  /** the receipts module records ReportPrint (set once at start) */
  handlePrintReports(handler: PrintReportHandler): void {
    this.printReports = handler;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.onlineTimer);
    for (const timer of this.departureTimers.values()) clearTimeout(timer);
    // its streams end now: the kiosks are no longer reachable through this instance
    await Promise.all([...new Set(this.connections.all().map((connection) => connection.identity.kioskId))].map((kioskId) => this.markOffline(kioskId)));
    this.departureTimers.clear();
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

  /**
   * Saves a store's settings and pushes them to its connected devices, on every instance; a kiosk
   * with overrides keeps its own values for those settings.
   */
  async updateSettings(storeId: string, settings: DeviceSettings): Promise<DeviceSettings> {
    const repository = new DevicesRepository(this.options.db);
    await repository.saveSettings(storeId, settings);
    const kioskOverrides = await repository.findStoreKioskOverrides(storeId);
    await this.options.bus.publish(SETTINGS_CHANNEL, { storeId, settings, kioskOverrides } satisfies StoreSettingsMessage);
    return settings;
  }

  /** what a kiosk's device runs with; may be a few seconds old when a bus message was missed */
  async effectiveSettingsOf(kioskId: string, storeId: string): Promise<DeviceSettings> {
    const [store, overrides] = await Promise.all([this.settingsOf(storeId), this.overridesOf(kioskId)]);
    return effectiveSettings(store, overrides);
  }

  private async overridesOf(kioskId: string): Promise<DeviceSettingOverrides> {
    const memo = this.overridesMemo.get(kioskId);
    if (memo && Date.now() - memo.loadedAt < SETTINGS_MEMO_MS) return memo.overrides;
    const overrides = await new DevicesRepository(this.options.db).findKioskOverrides(kioskId);
    this.overridesMemo.set(kioskId, { overrides, loadedAt: Date.now() });
    return overrides;
  }

  /** the store's settings, the kiosk's overrides and the result (for the store owner) */
  async readKioskSettings(storeId: string, kioskId: string): Promise<KioskDeviceSettingsView> {
    await this.kioskOfStore(storeId, kioskId);
    const repository = new DevicesRepository(this.options.db);
    const [store, overrides] = await Promise.all([this.readSettings(storeId), repository.findKioskOverrides(kioskId)]);
    return { store, overrides, effective: effectiveSettings(store, overrides) };
  }

  /** replaces the kiosk's overrides (a setting left out follows the store) and pushes the result to its device */
  async updateKioskSettings(storeId: string, kioskId: string, overrides: DeviceSettingOverrides): Promise<KioskDeviceSettingsView> {
    await this.kioskOfStore(storeId, kioskId);
    const kept: DeviceSettingOverrides = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
    const repository = new DevicesRepository(this.options.db);
    if (Object.keys(kept).length === 0) await repository.clearKioskOverrides(kioskId);
    else await repository.saveKioskOverrides(kioskId, storeId, kept);
    return this.publishKioskSettings(storeId, kioskId, kept);
  }

  /** the kiosk follows its store in everything again */
  async clearKioskSettings(storeId: string, kioskId: string): Promise<KioskDeviceSettingsView> {
    await this.kioskOfStore(storeId, kioskId);
    await new DevicesRepository(this.options.db).clearKioskOverrides(kioskId);
    return this.publishKioskSettings(storeId, kioskId, {});
  }

  private async publishKioskSettings(storeId: string, kioskId: string, overrides: DeviceSettingOverrides): Promise<KioskDeviceSettingsView> {
    const store = await this.readSettings(storeId);
    const effective = effectiveSettings(store, overrides);
    await this.options.bus.publish(KIOSK_SETTINGS_CHANNEL, { kioskId, overrides, effective } satisfies KioskSettingsMessage);
    return { store, overrides, effective };
  }

  /** only a kiosk of this store has a device; a kitchen screen or pickup board has none */
  private async kioskOfStore(storeId: string, kioskId: string): Promise<void> {
    const kiosk = await new KiosksRepository(this.options.db).find(storeId, kioskId);
    if (!kiosk) throw new DomainError('not_found', 'kiosk_not_found', 'There is no such kiosk in this store.');
    if (kiosk.kind !== 'kiosk') {
      throw new DomainError('conflict', 'not_a_kiosk', `This is a ${kiosk.kind} screen: only a kiosk has a distance sensor and a camera.`);
    }
  }

  private applySettings({ storeId, settings, kioskOverrides }: StoreSettingsMessage): void {
    // presence takes the new rules with the next reading (a run under way starts again)
    const now = Date.now();
    this.settingsMemo.set(storeId, { settings, loadedAt: now });
    for (const connection of this.connections.ofStore(storeId)) {
      const overrides = kioskOverrides[connection.identity.kioskId] ?? {};
      this.overridesMemo.set(connection.identity.kioskId, { overrides, loadedAt: now });
      connection.send({ settings: { ...effectiveSettings(settings, overrides) } });
    }
  }

  private applyKioskSettings({ kioskId, overrides, effective }: KioskSettingsMessage): void {
    this.overridesMemo.set(kioskId, { overrides, loadedAt: Date.now() });
    for (const connection of this.connections.ofKiosk(kioskId)) connection.send({ settings: { ...effective } });
  }

  // ---- connections

  /** a device opened its command stream: it hears its settings (the store's, with its kiosk's overrides) first */
  async connect(
    connection: DeviceConnection,
    device: { agentVersion: string; hasCamera: boolean; hasDistanceSensor: boolean; hasCardTerminal: boolean; hasReceiptPrinter: boolean },
  ): Promise<void> {
    if (this.stopped) throw new DomainError('unavailable', 'server_stopping', 'The server is restarting; reconnect.');
    const { kioskId } = connection.identity;
    const settings = await this.effectiveSettingsOf(kioskId, connection.identity.storeId);
    // what the device has; whether it is ready comes with its ReportPeripherals right after
    const repository = new DevicesRepository(this.options.db);
    const known = await repository.findPeripherals(kioskId);
    const terminal: TerminalStatus = device.hasCardTerminal ? (known?.terminal === 'none' ? 'offline' : (known?.terminal ?? 'offline')) : 'none';
    const printer: PrinterStatus = device.hasReceiptPrinter ? (known?.printer === 'none' ? 'offline' : (known?.printer ?? 'offline')) : 'none';
    await repository.savePeripherals(kioskId, { terminal, printer });
    this.connections.add(connection);
    await this.markOnline(kioskId);
    connection.send({ settings: { ...settings } });
    this.options.log.info({ kioskId, ...device }, 'device connected');
    for (const listener of this.connectedListeners) {
      listener(kioskId).catch((error: unknown) => this.options.log.error({ err: error, kioskId }, 'device connected listener failed'));
    }
    // shown offline while its agent was away; the screen hears its ReportPeripherals next
    void this.peripheralsOf(kioskId)
      .then((view) => this.tellPeripherals(connection.identity.storeId, kioskId, view))
      .catch((error: unknown) => this.options.log.warn({ err: error, kioskId }, 'peripherals change not told'));
  }

  disconnect(connection: DeviceConnection): void {
    if (!this.connections.remove(connection)) return;
    const { kioskId } = connection.identity;
    this.options.log.info({ kioskId }, 'device disconnected');
    if (this.connections.ofKiosk(kioskId).length === 0 && !this.stopped) {
      void this.markOffline(kioskId)
        .then(async () => {
          const view = await this.peripheralsOf(kioskId);
          await this.toScreen(kioskId, [{ event: 'peripherals', data: { cardTerminal: view.cardTerminal, printer: view.printer } }]);
          await this.tellPeripherals(connection.identity.storeId, kioskId, view);
        })
        .catch((error: unknown) => this.options.log.warn({ err: error, kioskId }, 'peripherals change not told'));
    }
  }

  /**
   * A command for the kiosk's device, on whichever instance it is connected (through the bus when
   * not here). Lost when the device is not connected: callers that must know check `isOnline` first.
   */
  async sendCommand(kioskId: string, command: DeviceCommand): Promise<void> {
    const here = this.connections.ofKiosk(kioskId);
    if (here.length > 0) for (const connection of here) connection.send(command);
    else await this.options.bus.publish(COMMANDS_CHANNEL, { kioskId, command });
  }

  private command(kioskId: string, command: DeviceCommand): Promise<void> {
    return this.sendCommand(kioskId, command);
  }

  /** whether the kiosk's agent holds a command stream open, on this or another instance */
  async isOnline(kioskId: string): Promise<boolean> {
    if (this.connections.ofKiosk(kioskId).length > 0) return true;
    try {
      return (await this.options.cache.get(ONLINE_KEY(kioskId))) !== undefined;
    } catch {
      // without the cache only this instance's streams are known
      return false;
    }
  }

  private async markOnline(kioskId: string): Promise<void> {
    await this.options.cache.set(ONLINE_KEY(kioskId), this.instanceId, ONLINE_TTL_SECONDS).catch(() => undefined);
  }

  private async markOffline(kioskId: string): Promise<void> {
    try {
      // another instance may hold a newer stream of the same kiosk, marked even between a read and a
      // delete here: leave its mark
      await this.options.cache.deleteIfValue(ONLINE_KEY(kioskId), this.instanceId);
    } catch {
      // the key expires on its own
    }
  }

  private async refreshOnline(): Promise<void> {
    const kiosks = new Set(this.connections.all().map((connection) => connection.identity.kioskId));
    await Promise.all([...kiosks].map((kioskId) => this.markOnline(kioskId)));
  }

  // ---- peripherals and payments

  private async tellPeripherals(storeId: string, kioskId: string, view: PeripheralsView & { reportedAt: Date | null }): Promise<void> {
    for (const listener of this.peripheralsListeners) {
      await listener({ storeId, kioskId, ...view }).catch((error: unknown) => this.options.log.warn({ err: error, kioskId }, 'peripherals change not told'));
    }
  }

  /** the kiosk's card terminal and printer as its screen and the POS should take them: offline when its agent is not connected */
  async peripheralsOf(kioskId: string): Promise<PeripheralsView & { reportedAt: Date | null }> {
    const [known, online] = await Promise.all([new DevicesRepository(this.options.db).findPeripherals(kioskId), this.isOnline(kioskId)]);
    const terminal = known?.terminal ?? 'none';
    const printer = known?.printer ?? 'none';
    return {
      cardTerminal: online || terminal === 'none' ? terminal : 'offline',
      printer: online || printer === 'none' ? printer : 'offline',
      reportedAt: known?.reportedAt ?? null,
    };
  }

  /** ReportPeripherals: stored for the POS and the kiosk's profile; the kiosk's screen hears a change */
  async reportPeripherals(device: DeviceIdentity, state: { terminal: TerminalStatus; printer: PrinterStatus }): Promise<void> {
    const repository = new DevicesRepository(this.options.db);
    const before = await repository.findPeripherals(device.kioskId);
    await repository.savePeripherals(device.kioskId, state);
    if (before?.terminal !== state.terminal || before?.printer !== state.printer) {
      this.options.log.info({ kioskId: device.kioskId, ...state }, 'peripherals changed');
      await this.toScreen(device.kioskId, [{ event: 'peripherals', data: { cardTerminal: state.terminal, printer: state.printer } }]);
      await this.tellPeripherals(device.storeId, device.kioskId, await this.peripheralsOf(device.kioskId));
    }
  }

  reportPayment(device: DeviceIdentity, report: PaymentReport): Promise<PaymentDecision> {
    if (!this.paymentReports) throw new DomainError('unavailable', 'payments_unavailable', 'This server takes no card payments.');
    return this.paymentReports.report(device, report);
  }

  async reportPrint(device: DeviceIdentity, receiptId: string, outcome: PrintOutcome): Promise<void> {
    if (!this.printReports) {
      this.options.log.warn({ kioskId: device.kioskId, receiptId, outcome }, 'print outcome with no receipts module; ignored');
      return;
    }
    await this.printReports.recordPrintOutcome(device.kioskId, receiptId, outcome);
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
    const settings = await this.effectiveSettingsOf(device.kioskId, device.storeId);
    const kioskId = device.kioskId;
    // decided on the state shared by all instances, one report at a time per kiosk, whichever
    // instance a balancer handed this call to
    const outcome = await this.presence.update(kioskId, async (current) => {
      const now = Date.now();
      const detector = this.detectorFor(current, settings);
      let departures = current?.departures ?? 0;
      // a departure no timer has handled yet (its instance stopped, or it is just due): first
      const left = detector.checkDeparture(now);
      if (left) {
        departures += 1;
        await this.toScreen(kioskId, [
          { event: 'reset', data: { reason: 'customer_left' } },
          { event: 'state', data: { state: 'waiting' } },
        ]);
      }
      let arrived = false;
      for (const reading of readings) {
        if (detector.add(reading.centimetres, now) === 'arrived') arrived = true;
      }
      // the screen's events go out before the next report is decided, so they keep their order
      if (arrived) await this.toScreen(kioskId, [{ event: 'state', data: { state: 'present' } }]);
      const next: StoredPresence = { detector: detector.state, rulesKey: arrivalRulesKey(settings), departures };
      return { next, result: { left, arrived, present: detector.present, leavesAt: detector.leavesAt() } };
    });
    if (outcome.left) await this.departed(kioskId);
    if (outcome.arrived) await this.arrived(device, settings);
    if (outcome.leavesAt !== undefined) this.armDeparture(kioskId, device.storeId, outcome.leavesAt);
    return { accepted: readings.length, present: outcome.present };
  }

  private detectorFor(current: StoredPresence | undefined, settings: DeviceSettings): PresenceDetector {
    const detector = new PresenceDetector(settings, current?.detector);
    if (current && current.rulesKey !== arrivalRulesKey(settings)) detector.updateRules(settings);
    return detector;
  }

  /** the screen's events, in order; a screen that misses them is caught up by the next state */
  private async toScreen(kioskId: string, events: LiveEvent[]): Promise<void> {
    await Promise.all(events.map((event) => this.options.live.publish(kioskId, event))).catch((error: unknown) =>
      this.options.log.warn({ err: error, kioskId }, 'kiosk screen event not delivered'),
    );
  }

  private async arrived(device: DeviceIdentity, settings: DeviceSettings): Promise<void> {
    const captureId = randomUUID();
    this.options.log.info({ kioskId: device.kioskId, captureId }, 'customer arrived');
    await this.command(device.kioskId, { wake: { brightness: 100 } });
    await this.command(device.kioskId, { capture: { captureId, frames: settings.framesPerCapture, intervalMs: settings.frameIntervalMs } });
  }

  /**
   * A timer on each instance that received a reading while someone was present, re-armed until
   * nobody has been near for the store's leave time; whichever instance finds that first (under
   * the presence lock) handles the departure, once.
   */
  private armDeparture(kioskId: string, storeId: string, leavesAt: number): void {
    if (this.departureTimers.has(kioskId) || this.stopped) return;
    const timer = setTimeout(
      () => {
        this.departureTimers.delete(kioskId);
        this.checkDeparture(kioskId, storeId).catch((error: unknown) => this.options.log.error({ err: error, kioskId }, 'departure handling failed'));
      },
      Math.max(0, leavesAt - Date.now()),
    );
    timer.unref();
    this.departureTimers.set(kioskId, timer);
  }

  private async checkDeparture(kioskId: string, storeId: string): Promise<void> {
    const settings = await this.effectiveSettingsOf(kioskId, storeId);
    const outcome = await this.presence.update(kioskId, async (current) => {
      if (!current) return { next: undefined, result: { left: false, leavesAt: undefined } };
      const detector = this.detectorFor(current, settings);
      if (!detector.checkDeparture(Date.now())) return { next: undefined, result: { left: false, leavesAt: detector.leavesAt() } };
      // queued for the screen before the next customer's arrival can be decided
      await this.toScreen(kioskId, [
        { event: 'reset', data: { reason: 'customer_left' } },
        { event: 'state', data: { state: 'waiting' } },
      ]);
      const next: StoredPresence = { detector: detector.state, rulesKey: arrivalRulesKey(settings), departures: current.departures + 1 };
      return { next, result: { left: true, leavesAt: undefined } };
    });
    if (outcome.left) await this.departed(kioskId);
    else if (outcome.leavesAt !== undefined) this.armDeparture(kioskId, storeId, outcome.leavesAt);
  }

  private async departed(kioskId: string): Promise<void> {
    this.options.log.info({ kioskId }, 'customer left');
    await this.command(kioskId, { reset: { reason: 'customer_left' } });
  }

  private async clearPresence(kioskId: string): Promise<void> {
    const timer = this.departureTimers.get(kioskId);
    if (timer) clearTimeout(timer);
    this.departureTimers.delete(kioskId);
    await this.presence.forget(kioskId);
  }

  /** how many customers have left this kiosk so far */
  private async departuresOf(kioskId: string): Promise<number> {
    return (await this.presence.read(kioskId))?.departures ?? 0;
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
    try {
      const visit = await this.departuresOf(device.kioskId);
      // the screen was reset while these frames were analysed: the next customer must not see them
      const customerLeft = async () => (await this.departuresOf(device.kioskId)) !== visit;
      await this.options.live.publish(device.kioskId, { event: 'state', data: { state: 'analysing' } });
      let result: AnalysisResult;
      try {
        result = await this.options.analyzer.analyze(images);
      } catch (error) {
        this.options.log.warn({ err: error, kioskId: device.kioskId, captureId }, 'frames not analysed');
        // the screen leaves "recognising..." and stays with the customer
        if (!(await customerLeft())) await this.options.live.publish(device.kioskId, { event: 'state', data: { state: 'present' } });
        throw analysisError(error);
      }
      if (await customerLeft()) {
        this.options.log.info({ kioskId: device.kioskId, captureId }, 'frames analysed after the customer left; not shown');
        return { accepted: result.frames, faceFound: false, analysisId: '' };
      }
      const view = await this.recognise(device, result);
      await this.options.live.publish(device.kioskId, { event: 'face', data: { analysisId: view.analysisId, faceFound: view.faceFound } });
      await this.options.live.publish(device.kioskId, { event: 'analysis', data: view });
      this.options.log.info(
        {
          kioskId: device.kioskId,
          captureId,
          frames: result.frames,
          faceFound: view.faceFound,
          pendingConfirmation: view.confirmationId !== null,
          reason: result.noFaceReason,
        },
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
    // age and gender (median and mean over the capture's frames) also from a face too small for identity
    const age = result.faceFound && result.age !== undefined ? Math.round(result.age) : null;
    const gender = result.faceFound ? (result.gender ?? null) : null;
    let analysisId: string = randomUUID();
    // a match shows nothing of the member: only the id the customer's digits are checked against
    let confirmationId: string | null = null;
    const { recognition, confirmations } = this.options;
    if (faceFound && recognition && confirmations) {
      try {
        const embedding = result.embedding!;
        const [match, heldId] = await Promise.all([
          recognition.recognise(device.storeId, embedding),
          recognition.holdAnalysis({ kioskId: device.kioskId, storeId: device.storeId, embedding, age, gender }),
        ]);
        analysisId = heldId;
        if (match) {
          confirmationId = await confirmations.open({ kioskId: device.kioskId, storeId: device.storeId, candidateIds: [match.customerId], embedding });
        }
      } catch (error) {
        // recognition is a convenience: without it the customer is served as a guest
        this.options.log.error({ err: error, kioskId: device.kioskId }, 'recognition failed; serving as a guest');
      }
    }
    const senior = age !== null && age >= this.options.seniorAgeThreshold - this.options.seniorAgeMargin;
    return { analysisId, faceFound, age, gender, senior, confirmationId };
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
