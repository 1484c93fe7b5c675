// The seats: the active kiosk large and heard (with "끝내기"), the others as muted thumbnails that
// become active with one click or tap, free seats up to the capacity, and one's own camera.
import { useId } from 'react';
import { VideoView } from '../consultation/VideoView';
import { useI18n } from '../i18n';
import type { CounselorDesk, DeskSnapshot, Seat } from './desk';

interface Props {
  snapshot: DeskSnapshot;
  desk: CounselorDesk | undefined;
}

export function Seats({ snapshot, desk }: Props) {
  const { t } = useI18n();
  const c = t.consultation.console;
  const headingId = useId();
  const active = snapshot.seats.find((seat) => seat.consultation.consultationId === snapshot.activeId);
  const waiting = snapshot.seats.filter((seat) => seat !== active);
  const capacity = snapshot.presence?.capacity ?? 3;
  const free = Math.max(0, capacity - snapshot.seats.length);

  return (
    <section className="console-seats" aria-labelledby={headingId}>
      <h2 id={headingId}>{c.seats}</h2>
      {active ? <ActiveSeat seat={active} desk={desk} builtin={snapshot.provider === 'builtin'} /> : null}
      <ul className="console-thumbs">
        {waiting.map((seat) => (
          <li key={seat.consultation.consultationId}>
            <button
              type="button"
              className="console-thumb"
              aria-label={c.switchTo(seat.consultation.kiosk.name)}
              onClick={() => desk?.activate(seat.consultation.consultationId)}
            >
              <VideoView stream={seat.remote} muted label={c.kioskVideo(seat.consultation.kiosk.name)} className="console-thumb-video" />
              <span className="console-thumb-name">{seat.consultation.kiosk.name}</span>
              <span className="console-thumb-state">{seat.peerGone ? c.peerGone : c.waitingSeat}</span>
            </button>
          </li>
        ))}
        {Array.from({ length: free }, (_, index) => (
          <li key={`free-${index}`} className="console-thumb console-thumb-free">
            {c.seatEmpty}
          </li>
        ))}
        <li className="console-self">
          {snapshot.local ? (
            <VideoView stream={snapshot.local} muted label={c.myCamera} className="console-thumb-video" mirrored />
          ) : snapshot.seats.length > 0 ? (
            <p className="console-empty">{c.noCamera}</p>
          ) : null}
          <span className="console-thumb-name">{c.myCamera}</span>
        </li>
      </ul>
    </section>
  );
}

function ActiveSeat({ seat, desk, builtin }: { seat: Seat; desk: CounselorDesk | undefined; builtin: boolean }) {
  const { t } = useI18n();
  const c = t.consultation.console;
  const { kiosk, consultationId } = seat.consultation;
  const notice = seat.peerGone
    ? c.peerGone
    : builtin && seat.media === 'failed'
      ? c.mediaFailed
      : builtin && seat.media !== 'connected'
        ? c.mediaConnecting
        : undefined;
  return (
    <article className="console-active" aria-label={c.activeSeat(kiosk.name, kiosk.storeName)}>
      <h3 className="console-active-title">{c.activeSeat(kiosk.name, kiosk.storeName)}</h3>
      {builtin ? <VideoView stream={seat.remote} muted={false} label={c.kioskVideo(kiosk.name)} className="console-active-video" /> : null}
      <p className="console-notice" role="status">
        {notice ?? ''}
      </p>
      <button type="button" className="button button-danger" aria-label={c.endLabel(kiosk.name)} onClick={() => desk?.end(consultationId)}>
        {c.end}
      </button>
    </article>
  );
}
