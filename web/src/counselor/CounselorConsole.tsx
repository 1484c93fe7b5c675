// The counselor's console: availability and seats taken, the requests offered (accept or
// decline), the seats (the active kiosk large and heard, the others muted thumbnails, one click
// to switch), the active kiosk's screen and cart with "add to cart" for the customer, and today's
// consultations.
import { useEffect, useId, useState } from 'react';
import { ErrorAlert } from '../components/Alert';
import { consultationsApi } from '../consultation/protocol';
import { errorText, useI18n } from '../i18n';
import { KioskScreen } from './KioskScreen';
import { Requests } from './Requests';
import { Seats } from './Seats';
import { SuggestForm } from './SuggestForm';
import { TodayConsultations } from './TodayConsultations';
import { useDesk } from './useDesk';
import './console.css';

export function CounselorConsole() {
  const { t } = useI18n();
  const c = t.consultation.console;
  const { desk, snapshot } = useDesk();
  const [capacityError, setCapacityError] = useState<unknown>();
  const capacityId = useId();
  const presence = snapshot.presence;
  // the choice shows at once; the server's answer (presence) then decides
  const [chosenStatus, setChosenStatus] = useState<'online' | 'away'>();
  useEffect(() => setChosenStatus(undefined), [presence]);
  const online = presence?.status === 'online';
  const active = snapshot.seats.find((seat) => seat.consultation.consultationId === snapshot.activeId);
  const open = snapshot.connection === 'open';

  const changeCapacity = async (capacity: number) => {
    setCapacityError(undefined);
    try {
      await consultationsApi.setCapacity(capacity);
    } catch (error) {
      setCapacityError(error);
    }
  };

  return (
    <div className="console">
      <section className="console-bar" aria-label={c.title}>
        <fieldset className="status-choice" disabled={!open || !presence}>
          <legend>{t.counselor.statusLegend}</legend>
          <div className="status-options">
            {(['online', 'away'] as const).map((status) => (
              <label key={status} className="status-option">
                <input
                  type="radio"
                  name="presence"
                  value={status}
                  checked={(chosenStatus ?? presence?.status) === status}
                  onChange={() => {
                    setChosenStatus(status);
                    desk?.setPresence(status);
                  }}
                />
                <span>{status === 'online' ? t.counselor.online : t.counselor.away}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="console-capacity">
          {presence ? (
            <>
              <p className="console-count" role="status">
                {c.capacity(presence.active, presence.capacity)}
              </p>
              <label htmlFor={capacityId}>{c.capacityLabel}</label>
              <select id={capacityId} value={presence.capacity} onChange={(event) => void changeCapacity(Number(event.target.value))}>
                {[1, 2, 3].map((each) => (
                  <option key={each} value={each}>
                    {each}
                  </option>
                ))}
              </select>
            </>
          ) : null}
        </div>
        <p className={`console-connection console-connection-${snapshot.connection}`} role="status">
          {c.connection[snapshot.connection]}
        </p>
      </section>
      {capacityError ? <ErrorAlert>{errorText(t, capacityError)}</ErrorAlert> : null}
      {presence && !online ? <p className="console-hint">{c.awayHint}</p> : null}
      {presence && online && presence.active >= presence.capacity ? <p className="console-hint">{c.full}</p> : null}
      {snapshot.provider === 'livekit' ? <p className="alert alert-info">{c.livekit}</p> : null}
      {snapshot.problem ? (
        <p className="alert alert-error console-problem" role="alert">
          {t.consultation.errors[snapshot.problem] ?? t.errors.unknown_error}
        </p>
      ) : null}
      {snapshot.ended ? (
        <p className="alert alert-info" role="status">
          {c.ended(snapshot.ended.kioskName, t.consultation.endedBy[snapshot.ended.by])}
        </p>
      ) : null}

      <div className="console-grid">
        <Seats snapshot={snapshot} desk={desk} />
        <div className="console-side">
          <Requests offers={snapshot.offers} accepting={snapshot.accepting} online={online} desk={desk} />
          {active ? (
            <>
              <KioskScreen seat={active} />
              <SuggestForm key={active.consultation.consultationId} seat={active} desk={desk} />
            </>
          ) : null}
        </div>
      </div>
      <TodayConsultations reloadKey={`${snapshot.endedCount}:${snapshot.seats.length}`} />
    </div>
  );
}
