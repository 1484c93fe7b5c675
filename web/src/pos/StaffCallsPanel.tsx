// The 직원 호출 tab: a day's staff calls (today in the store's time zone by default), newest first,
// with who acknowledged them when; and the stall-alert time the store's kiosks wait for. The list
// reads itself again whenever the live alert above the tabs hears a call or an acknowledgement.
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { api, type StaffCall } from '../api/client';
import { ErrorAlert, Notice } from '../components/Alert';
import { NumberField, TextField } from '../components/Field';
import { LoadError, Loading } from '../components/Page';
import { localDay, timeOfDay } from '../format';
import { errorText, useI18n } from '../i18n';
import { STAFF_CALLS_CHANGED } from './StaffCallAlerts';
import '../kiosk/staff-call/staff-call.css';

export function StaffCallsPanel({ storeId, timeZone }: { storeId: string; timeZone: string }) {
  const { t, lang } = useI18n();
  const p = t.staffCall.pos;
  const headingId = useId();
  const settingsId = useId();
  const [day, setDay] = useState(() => localDay(timeZone));
  const [calls, setCalls] = useState<StaffCall[]>();
  const [loadError, setLoadError] = useState<unknown>();

  const load = useCallback(async () => {
    try {
      const answer = await api.staffCalls(storeId, day);
      setCalls(answer.calls);
      setLoadError(undefined);
    } catch (caught) {
      setLoadError(caught);
    }
  }, [storeId, day]);

  useEffect(() => {
    setCalls(undefined);
    void load();
  }, [load]);
  useEffect(() => {
    const again = () => void load();
    window.addEventListener(STAFF_CALLS_CHANGED, again);
    return () => window.removeEventListener(STAFF_CALLS_CHANGED, again);
  }, [load]);

  const time = (at: string | Date) => timeOfDay(String(at), lang, timeZone);

  return (
    <>
      <section aria-labelledby={headingId} className="panel">
        <div className="section-head">
          <h2 id={headingId}>{p.title}</h2>
        </div>
        <p className="hint">{p.intro}</p>
        <div className="filters">
          <TextField
            className="staff-calls-day"
            label={p.day}
            type="date"
            value={day}
            max={localDay(timeZone)}
            onChange={(event) => {
              if (/^\d{4}-\d{2}-\d{2}$/.test(event.target.value)) setDay(event.target.value);
            }}
          />
        </div>
        {loadError ? (
          <LoadError error={loadError} onRetry={() => void load()} />
        ) : !calls ? (
          <Loading />
        ) : calls.length === 0 ? (
          <p>{p.none}</p>
        ) : (
          <div className="table-scroll">
            <table className="data-table" aria-label={p.table}>
              <thead>
                <tr>
                  <th scope="col">{p.columns.time}</th>
                  <th scope="col">{p.columns.kiosk}</th>
                  <th scope="col">{p.columns.reason}</th>
                  <th scope="col">{p.columns.mode}</th>
                  <th scope="col">{p.columns.status}</th>
                </tr>
              </thead>
              <tbody>
                {calls.map((call) => (
                  <tr key={call.id}>
                    <td>{time(call.createdAt)}</td>
                    <td>{call.kioskName}</td>
                    <td>{p.reasons[call.reason]}</td>
                    <td>{p.modeNames[call.mode]}</td>
                    <td>{call.acknowledgedAt ? p.acknowledgedAt(time(call.acknowledgedAt)) : <span className="staff-call-open">{p.open}</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <StallSetting storeId={storeId} headingId={settingsId} />
    </>
  );
}

function StallSetting({ storeId, headingId }: { storeId: string; headingId: string }) {
  const { t } = useI18n();
  const p = t.staffCall.pos;
  const [seconds, setSeconds] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    api
      .staffCallSettings(storeId, 'owner')
      .then((settings) => setSeconds(String(settings.stallAlertSeconds)))
      .catch((caught) => setError(errorText(t, caught)));
  }, [storeId, t]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setSaved(false);
    setError(undefined);
    try {
      const answer = await api.saveStaffCallSettings(storeId, { stallAlertSeconds: Number(seconds) });
      setSeconds(String(answer.stallAlertSeconds));
      setSaved(true);
    } catch (caught) {
      setError(errorText(t, caught));
    } finally {
      setSaving(false);
    }
  };

  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>{p.settingsTitle}</h2>
      {seconds === undefined && !error ? (
        <Loading />
      ) : (
        <form onSubmit={(event) => void submit(event)} noValidate>
          <NumberField
            label={p.stallLabel}
            hint={p.stallHint}
            min={30}
            max={900}
            step={1}
            required
            value={seconds ?? ''}
            onChange={(event) => {
              setSeconds(event.target.value);
              setSaved(false);
            }}
          />
          {error ? <ErrorAlert>{error}</ErrorAlert> : null}
          <Notice>{saved ? p.saved : undefined}</Notice>
          <button type="submit" className="button button-primary" disabled={saving}>
            {t.common.save}
          </button>
        </form>
      )}
    </section>
  );
}
