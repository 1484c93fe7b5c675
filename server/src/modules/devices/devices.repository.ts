import type { Database } from '../../platform/db/database.js';
import type { PrinterStatus, TerminalStatus } from '../../platform/db/schema.js';
import type { DeviceSettingOverrides, DeviceSettings } from './device-settings.js';

/** setting -> column, shared by the store's row and a kiosk's row */
const COLUMNS = {
  sampleIntervalMs: 'sample_interval_ms',
  arriveBelowCm: 'arrive_below_cm',
  arriveConsecutive: 'arrive_consecutive',
  arriveToleranceCm: 'arrive_tolerance_cm',
  leaveAfterMs: 'leave_after_ms',
  framesPerCapture: 'frames_per_capture',
  frameIntervalMs: 'frame_interval_ms',
} as const satisfies Record<keyof DeviceSettings, string>;

type SettingColumn = (typeof COLUMNS)[keyof typeof COLUMNS];
const SETTING_NAMES = Object.keys(COLUMNS) as Array<keyof DeviceSettings>;

/** a kiosk row's non-null columns as overrides (double precision columns may arrive as strings) */
function toOverrides(row: Record<SettingColumn, number | string | null>): DeviceSettingOverrides {
  const overrides: DeviceSettingOverrides = {};
  for (const name of SETTING_NAMES) {
    const value = row[COLUMNS[name]];
    if (value !== null && value !== undefined) overrides[name] = Number(value);
  }
  return overrides;
}

export class DevicesRepository {
  constructor(private readonly db: Database) {}

  /** the store's saved settings, or undefined while it uses the defaults */
  async findSettings(storeId: string): Promise<DeviceSettings | undefined> {
    const row = await this.db.selectFrom('device_settings').selectAll().where('store_id', '=', storeId).executeTakeFirst();
    return (
      row && {
        sampleIntervalMs: row.sample_interval_ms,
        arriveBelowCm: Number(row.arrive_below_cm),
        arriveConsecutive: row.arrive_consecutive,
        arriveToleranceCm: Number(row.arrive_tolerance_cm),
        leaveAfterMs: row.leave_after_ms,
        framesPerCapture: row.frames_per_capture,
        frameIntervalMs: row.frame_interval_ms,
      }
    );
  }

  async saveSettings(storeId: string, settings: DeviceSettings): Promise<void> {
    const values = {
      sample_interval_ms: settings.sampleIntervalMs,
      arrive_below_cm: settings.arriveBelowCm,
      arrive_consecutive: settings.arriveConsecutive,
      arrive_tolerance_cm: settings.arriveToleranceCm,
      leave_after_ms: settings.leaveAfterMs,
      frames_per_capture: settings.framesPerCapture,
      frame_interval_ms: settings.frameIntervalMs,
    };
    await this.db
      .insertInto('device_settings')
      .values({ store_id: storeId, ...values })
      .onConflict((conflict) => conflict.column('store_id').doUpdateSet({ ...values, updated_at: new Date() }))
      .execute();
  }

  /** one kiosk's overrides ({} when it follows the store in everything) */
  async findKioskOverrides(kioskId: string): Promise<DeviceSettingOverrides> {
    const row = await this.db.selectFrom('kiosk_device_settings').selectAll().where('kiosk_id', '=', kioskId).executeTakeFirst();
    return row ? toOverrides(row) : {};
  }

  /** the overrides of every kiosk of the store that has any, by kiosk id */
  async findStoreKioskOverrides(storeId: string): Promise<Record<string, DeviceSettingOverrides>> {
    const rows = await this.db.selectFrom('kiosk_device_settings').selectAll().where('store_id', '=', storeId).execute();
    return Object.fromEntries(rows.map((row) => [row.kiosk_id, toOverrides(row)]));
  }

  /** replaces the kiosk's overrides: a setting left out follows the store again */
  async saveKioskOverrides(kioskId: string, storeId: string, overrides: DeviceSettingOverrides): Promise<void> {
    const values = Object.fromEntries(SETTING_NAMES.map((name) => [COLUMNS[name], overrides[name] ?? null])) as Record<SettingColumn, number | null>;
    await this.db
      .insertInto('kiosk_device_settings')
      .values({ kiosk_id: kioskId, store_id: storeId, ...values })
      .onConflict((conflict) => conflict.column('kiosk_id').doUpdateSet({ ...values, updated_at: new Date() }))
      .execute();
  }

  async clearKioskOverrides(kioskId: string): Promise<void> {
    await this.db.deleteFrom('kiosk_device_settings').where('kiosk_id', '=', kioskId).execute();
  }

  /** what the kiosk's agent last said about its card terminal and printer (undefined: no such kiosk) */
  async findPeripherals(kioskId: string): Promise<{ terminal: TerminalStatus; printer: PrinterStatus; reportedAt: Date | null } | undefined> {
    const row = await this.db.selectFrom('kiosks').select(['terminal_status', 'printer_status', 'peripherals_at']).where('id', '=', kioskId).executeTakeFirst();
    return row && { terminal: row.terminal_status, printer: row.printer_status, reportedAt: row.peripherals_at };
  }

  async savePeripherals(kioskId: string, state: { terminal: TerminalStatus; printer: PrinterStatus }): Promise<void> {
    await this.db
      .updateTable('kiosks')
      .set({ terminal_status: state.terminal, printer_status: state.printer, peripherals_at: new Date() })
      .where('id', '=', kioskId)
      .execute();
  }
}
