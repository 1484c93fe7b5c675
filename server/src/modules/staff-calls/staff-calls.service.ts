// Staff calls: a customer at a kiosk asks for a person (or a customer in large-type or voice mode
// makes no progress for the store's stall time, and the kiosk asks for them). The call reaches the
// store's POS on its live stream, and the owner's acknowledgement reaches that kiosk on its own
// stream; both streams go through the bus with ids and replay (platform/bus/replayable-events.ts),
// so the kiosk, the POS and the request may each be on a different instance.
import type { ReplayableEvents } from '../../platform/bus/replayable-events.js';
import type { Database } from '../../platform/db/database.js';
import { DomainError } from '../../platform/http/errors.js';
import { localDate } from '../../platform/time/local-date.js';
import type { KioskLiveService } from '../kiosk-live/kiosk-live.service.js';
import type { StoreLiveEvent } from '../orders/orders.service.js';
import { type KioskMode, type StaffCall, type StaffCallReason, StaffCallsRepository } from './staff-calls.repository.js';

/** a second press (or a stall alert) from one kiosk this soon after an open call is the same call */
export const MERGE_SECONDS = 10;
/** a day's list is at most this long (a store with more calls has other problems) */
const MAX_LISTED = 500;

export class StaffCallsService {
  constructor(
    private readonly db: Database,
    private readonly storeLive: ReplayableEvents<StoreLiveEvent>,
    private readonly kioskLive: KioskLiveService,
  ) {}

  /**
   * A kiosk calls for a person. A call from the same kiosk while one made in the last MERGE_SECONDS
   * is still open is that call (`merged`), and the POS is not alerted twice.
   */
  async call(storeId: string, kioskId: string, request: { reason: StaffCallReason; mode: KioskMode }): Promise<{ call: StaffCall; merged: boolean }> {
    const result = await this.db.transaction().execute(async (trx) => {
      const repository = new StaffCallsRepository(trx);
      // presses from one kiosk are taken one at a time (its row is locked), whichever instance serves them
      const kiosk = await repository.lockKiosk(kioskId);
      if (!kiosk || kiosk.storeId !== storeId.toLowerCase()) throw new DomainError('forbidden', 'forbidden_kiosk', 'This kiosk is not one of this store.');
      const open = await repository.openCallSince(kioskId, MERGE_SECONDS);
      if (open) return { call: open, merged: true };
      const id = await repository.insert({ storeId, kioskId, ...request, localDate: localDate(kiosk.timeZone) });
      return { call: (await repository.get(storeId, id))!, merged: false };
    });
    if (!result.merged) await this.publish('staff-call.created', result.call);
    return result;
  }

  /** the owner is on their way: every POS screen drops the alert, and the kiosk says someone is coming */
  async acknowledge(storeId: string, callId: string, accountId: string): Promise<StaffCall> {
    const repository = new StaffCallsRepository(this.db);
    if (!(await repository.get(storeId, callId))) throw new DomainError('not_found', 'staff_call_not_found', 'There is no such staff call in this store.');
    // acknowledging twice (two POS screens) tells the kiosk once
    const first = await repository.acknowledge(storeId, callId, accountId);
    const call = (await repository.get(storeId, callId))!;
    if (first) {
      await Promise.all([
        this.publish('staff-call.acknowledged', call),
        this.kioskLive
          .publish(call.kioskId, {
            event: 'staff-call.acknowledged',
            data: { callId: call.id, acknowledgedAt: (call.acknowledgedAt ?? new Date()).toISOString() },
          })
          .catch(() => undefined), // stored: the kiosk's screen is told late or not at all, the POS still sees it acknowledged
      ]);
    }
    return call;
  }

  /** the calls of a local day (today in the store's time zone when none is given), newest first */
  async listDay(storeId: string, date?: string): Promise<{ date: string; calls: StaffCall[] }> {
    const repository = new StaffCallsRepository(this.db);
    const day = date ?? localDate((await repository.storeTimeZone(storeId)) ?? 'Asia/Seoul');
    return { date: day, calls: await repository.listDay(storeId, day, MAX_LISTED) };
  }

  async settings(storeId: string): Promise<{ stallAlertSeconds: number }> {
    return { stallAlertSeconds: await new StaffCallsRepository(this.db).stallAlertSeconds(storeId) };
  }

  async saveSettings(storeId: string, settings: { stallAlertSeconds: number }): Promise<{ stallAlertSeconds: number }> {
    await new StaffCallsRepository(this.db).saveStallAlertSeconds(storeId, settings.stallAlertSeconds);
    return this.settings(storeId);
  }

  private async publish(type: 'staff-call.created' | 'staff-call.acknowledged', call: StaffCall): Promise<void> {
    // the call is stored: a POS that misses the event (bus down) finds it when it refetches the day's calls
    await this.storeLive.publish(call.storeId.toLowerCase(), { type, call }).catch(() => undefined);
  }
}
