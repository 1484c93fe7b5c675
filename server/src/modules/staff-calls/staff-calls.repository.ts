// SQL for staff calls and the store's stall-alert setting.
import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.js';

export type StaffCallReason = 'requested' | 'stalled';
export type KioskMode = 'large' | 'voice' | 'standard';

export interface StaffCall {
  id: string;
  storeId: string;
  kioskId: string;
  kioskName: string;
  reason: StaffCallReason;
  mode: KioskMode;
  localDate: string;
  createdAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
}

export const DEFAULT_STALL_ALERT_SECONDS = 90;

export class StaffCallsRepository {
  constructor(private readonly db: Database) {}

  /**
   * Locks the kiosk's row until the transaction ends, so that two presses from one kiosk (on any
   * instance) are taken one after the other; its name and store, or undefined when it is gone.
   */
  async lockKiosk(kioskId: string): Promise<{ name: string; storeId: string; timeZone: string } | undefined> {
    const row = await this.db
      .selectFrom('kiosks')
      .innerJoin('stores', 'stores.id', 'kiosks.store_id')
      .select(['kiosks.name', 'kiosks.store_id', 'stores.time_zone'])
      .where('kiosks.id', '=', kioskId)
      .where('kiosks.deleted_at', 'is', null)
      .forUpdate('kiosks')
      .executeTakeFirst();
    return row && { name: row.name, storeId: row.store_id, timeZone: row.time_zone };
  }

  /** the kiosk's newest unacknowledged call made within the last `seconds` */
  async openCallSince(kioskId: string, seconds: number): Promise<StaffCall | undefined> {
    const row = await this.calls()
      .where('staff_calls.kiosk_id', '=', kioskId)
      .where('staff_calls.acknowledged_at', 'is', null)
      .where('staff_calls.created_at', '>', sql<Date>`now() - make_interval(secs => ${seconds})`)
      .orderBy('staff_calls.created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && toCall(row);
  }

  async insert(call: { storeId: string; kioskId: string; reason: StaffCallReason; mode: KioskMode; localDate: string }): Promise<string> {
    const row = await this.db
      .insertInto('staff_calls')
      .values({ store_id: call.storeId, kiosk_id: call.kioskId, reason: call.reason, mode: call.mode, local_date: call.localDate })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async get(storeId: string, callId: string): Promise<StaffCall | undefined> {
    const row = await this.calls().where('staff_calls.store_id', '=', storeId).where('staff_calls.id', '=', callId).executeTakeFirst();
    return row && toCall(row);
  }

  /** marks the call acknowledged unless it already is; true when this was the one that did */
  async acknowledge(storeId: string, callId: string, accountId: string): Promise<boolean> {
    const result = await this.db
      .updateTable('staff_calls')
      .set({ acknowledged_at: new Date(), acknowledged_by: accountId })
      .where('store_id', '=', storeId)
      .where('id', '=', callId)
      .where('acknowledged_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** the calls of one local day, newest first */
  async listDay(storeId: string, localDate: string, limit: number): Promise<StaffCall[]> {
    const rows = await this.calls()
      .where('staff_calls.store_id', '=', storeId)
      .where('staff_calls.local_date', '=', localDate)
      .orderBy('staff_calls.created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toCall);
  }

  async storeTimeZone(storeId: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('stores').select('time_zone').where('id', '=', storeId).executeTakeFirst();
    return row?.time_zone;
  }

  async stallAlertSeconds(storeId: string): Promise<number> {
    const row = await this.db.selectFrom('staff_call_settings').select('stall_alert_seconds').where('store_id', '=', storeId).executeTakeFirst();
    return row?.stall_alert_seconds ?? DEFAULT_STALL_ALERT_SECONDS;
  }

  async saveStallAlertSeconds(storeId: string, seconds: number): Promise<void> {
    const values = { stall_alert_seconds: seconds, updated_at: new Date() };
    await this.db
      .insertInto('staff_call_settings')
      .values({ store_id: storeId, ...values })
      .onConflict((oc) => oc.column('store_id').doUpdateSet(values))
      .execute();
  }

  private calls() {
    return this.db
      .selectFrom('staff_calls')
      .innerJoin('kiosks', 'kiosks.id', 'staff_calls.kiosk_id')
      .select([
        'staff_calls.id',
        'staff_calls.store_id',
        'staff_calls.kiosk_id',
        'kiosks.name as kiosk_name',
        'staff_calls.reason',
        'staff_calls.mode',
        'staff_calls.local_date',
        'staff_calls.created_at',
        'staff_calls.acknowledged_at',
        'staff_calls.acknowledged_by',
      ]);
  }
}

function toCall(row: {
  id: string;
  store_id: string;
  kiosk_id: string;
  kiosk_name: string;
  reason: StaffCallReason;
  mode: KioskMode;
  local_date: string;
  created_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
}): StaffCall {
  return {
    id: row.id,
    storeId: row.store_id,
    kioskId: row.kiosk_id,
    kioskName: row.kiosk_name,
    reason: row.reason,
    mode: row.mode,
    localDate: row.local_date,
    createdAt: row.created_at,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
  };
}
