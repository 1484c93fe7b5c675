// The POS's live staff-call alert, above every tab: a kiosk's call arrives on the store's live
// stream (the orders stream carries staff-call.created / staff-call.acknowledged) with the kiosk's
// name; it sounds (again every 30 s while nobody has answered) and stays until the owner presses
// the big acknowledge button here or on another POS screen. On every (re)connection the day's open
// calls are read again, so a POS opened after a call still shows it.
import { useCallback, useEffect, useState } from 'react';
import { api, type StaffCall } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { useLiveEvents } from '../api/useLiveEvents';
import { timeOfDay } from '../format';
import { errorText, useI18n } from '../i18n';
import { installAudioUnlock, staffCallAlert } from '../sound';
import '../kiosk/staff-call/staff-call.css';

/** the POS's staff-call list listens for this to read the day again */
export const STAFF_CALLS_CHANGED = 'pinokio:staff-calls-changed';
/** an open call older than this is no longer alerted (it is still in the day's list) */
const ALERT_FOR_MS = 60 * 60_000;
const REPEAT_SOUND_MS = 30_000;

function parseCall(data: string): StaffCall | undefined {
  try {
    const call = JSON.parse(data) as StaffCall;
    return typeof call.id === 'string' ? call : undefined;
  } catch {
    return undefined;
  }
}

export function StaffCallAlerts({ storeId, timeZone }: { storeId: string; timeZone: string }) {
  const { t, lang } = useI18n();
  const p = t.staffCall.pos;
  const [open, setOpen] = useState<StaffCall[]>([]);
  const [stallSeconds, setStallSeconds] = useState<number>();
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();

  useEffect(() => installAudioUnlock(), []);

  const changed = () => window.dispatchEvent(new Event(STAFF_CALLS_CHANGED));
  const add = (call: StaffCall) => setOpen((now) => (now.some((each) => each.id === call.id) ? now : [...now, call]));
  const drop = (id: string) => setOpen((now) => now.filter((each) => each.id !== id));

  const refetch = useCallback(async () => {
    try {
      const [day, settings] = await Promise.all([api.staffCalls(storeId), api.staffCallSettings(storeId, 'owner')]);
      const since = Date.now() - ALERT_FOR_MS;
      setOpen(day.calls.filter((call) => call.acknowledgedAt === null && Date.parse(String(call.createdAt)) > since).reverse());
      setStallSeconds(settings.stallAlertSeconds);
    } catch {
      // the stream's events still come; the next (re)connection reads again
    }
  }, [storeId]);

  useLiveEvents(api.liveOrdersPath(storeId), {
    role: 'owner',
    replays: true,
    onReady: () => void refetch(),
    on: {
      'staff-call.created': (data) => {
        const call = parseCall(data);
        if (!call) return;
        add(call);
        staffCallAlert();
        changed();
      },
      'staff-call.acknowledged': (data) => {
        const call = parseCall(data);
        if (!call) return;
        drop(call.id);
        changed();
      },
    },
  });

  // a call nobody has answered keeps sounding
  const waiting = open.length > 0;
  useEffect(() => {
    if (!waiting) return;
    const timer = window.setInterval(() => staffCallAlert(), REPEAT_SOUND_MS);
    return () => window.clearInterval(timer);
  }, [waiting]);

  const acknowledge = async (call: StaffCall) => {
    setBusy(call.id);
    setError(undefined);
    try {
      await api.acknowledgeStaffCall(storeId, call.id);
      drop(call.id);
      changed();
    } catch (caught) {
      setError(errorText(t, caught));
    } finally {
      setBusy(undefined);
    }
  };

  if (open.length === 0 && !error) return null;
  return (
    <div className="staff-alerts">
      {error ? <ErrorAlert>{error}</ErrorAlert> : null}
      {open.map((call) => {
        const mode = p.modes[call.mode];
        return (
          <section key={call.id} className="staff-alert" role="alert" aria-labelledby={`staff-alert-${call.id}`}>
            <div>
              <h2 id={`staff-alert-${call.id}`}>
                <span aria-hidden="true">🔔 </span>
                {p.alertTitle(call.kioskName)}
              </h2>
              <p>{call.reason === 'stalled' ? p.stalled(mode, stallSeconds) : p.requested(mode)}</p>
              <p>{p.calledAt(timeOfDay(String(call.createdAt), lang, timeZone))}</p>
            </div>
            <button type="button" className="button button-primary staff-alert-ack" disabled={busy === call.id} onClick={() => void acknowledge(call)}>
              {busy === call.id ? p.acknowledging : p.acknowledge}
            </button>
          </section>
        );
      })}
    </div>
  );
}
