import type { Database } from '../../platform/db/database.js';
import type { DeviceSettings } from './device-settings.js';

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
}
