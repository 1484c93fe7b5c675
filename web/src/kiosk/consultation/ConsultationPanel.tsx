// The consultation on the kiosk, over whatever screen is showing: the request's states (asking,
// waiting, nobody free), the call (the counselor large, the kiosk's own camera small, "끝내기"),
// the end, and the counselor's suggestion as a dialog to confirm or decline.
import { useEffect, useId } from 'react';
import type { Menu, MenuItem } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { VideoView } from '../../consultation/VideoView';
import { priceDelta, won } from '../../format';
import { useSecondsUntil } from '../../hooks';
import { useI18n } from '../../i18n';
import { chosenOptions, unitPrice } from '../cart';
import type { PendingSuggestion } from './KioskConsultation';
import type { KioskConsultationHandle } from './useKioskConsultation';
import { StaffCallOffer } from '../staff-call/StaffCallOffer';
import './consultation.css';

interface Props {
  consultation: KioskConsultationHandle;
  menu: Menu | undefined;
  /** loads the menu (a suggestion may come while the kiosk shows its start screen) */
  loadMenu(): Promise<Menu | undefined>;
  /** puts the suggested item into the cart */
  onAdd(item: MenuItem, optionIds: string[], quantity: number): void;
}

export function ConsultationPanel({ consultation, menu, loadMenu, onAdd }: Props) {
  const { t } = useI18n();
  const c = t.consultation.kiosk;
  const titleId = useId();
  const controller = consultation.controller;
  const { phase } = consultation;
  const secondsLeft = useSecondsUntil(consultation.expiresAt ? Date.parse(consultation.expiresAt) : undefined);

  // the counselor needs the menu to suggest from, and the kiosk to show a suggestion
  useEffect(() => {
    if (phase === 'connected' && !menu) void loadMenu();
  }, [phase, menu, loadMenu]);

  if (!controller || phase === 'idle') return null;

  let body;
  if (phase === 'requesting' || phase === 'waiting') {
    body = (
      <>
        <h2 id={titleId} className="consult-title">
          {c.waitingTitle}
        </h2>
        <p role="status" className="consult-text">
          {phase === 'requesting' ? c.requesting : c.waitingText}
          {phase === 'waiting' && secondsLeft > 0 ? <span className="consult-seconds"> {c.secondsLeft(secondsLeft)}</span> : null}
        </p>
        <button type="button" className="kiosk-secondary consult-wide" onClick={() => controller.orderAlone()}>
          {c.cancel}
        </button>
      </>
    );
  } else if (phase === 'unavailable') {
    body = consultation.keepTrying ? (
      <>
        <h2 id={titleId} className="consult-title">
          {c.waitingTitle}
        </h2>
        <p role="status" className="consult-text">
          {c.keepTrying}
        </p>
        <button type="button" className="kiosk-secondary consult-wide" onClick={() => controller.orderAlone()}>
          {c.stopWaiting}
        </button>
      </>
    ) : (
      <>
        <h2 id={titleId} className="consult-title">
          {c.unavailableTitle}
        </h2>
        <p role="status" className="consult-text">
          {c.unavailable}
        </p>
        <div className="consult-buttons">
          <button type="button" className="kiosk-primary" onClick={() => controller.orderAlone()}>
            {c.orderAlone}
          </button>
          <button type="button" className="kiosk-secondary" onClick={() => controller.keepWaiting()}>
            {c.wait}
          </button>
        </div>
        {/* no counselor free: a person from the store instead (shown and spoken) */}
        <StaffCallOffer onCalled={() => controller.orderAlone()} />
      </>
    );
  } else if (phase === 'ended') {
    body = (
      <>
        <h2 id={titleId} className="consult-title">
          {c.endedTitle}
        </h2>
        <p role="status" className="consult-text">
          {consultation.ended?.reason === 'disconnected' ? c.endedDisconnected : c.ended}
        </p>
        <button type="button" className="kiosk-primary consult-wide" onClick={() => controller.dismissEnded()}>
          {c.ok}
        </button>
      </>
    );
  } else {
    const live = consultation.consultation!;
    const counselorName = live.counselor.name;
    const notice = consultation.peerGone ? c.peerGone : consultation.hold ? c.hold : consultation.media !== 'connected' ? c.videoConnecting : undefined;
    body = (
      <>
        <h2 id={titleId} className="consult-title">
          {c.connectedTitle(counselorName)}
        </h2>
        <div className="consult-videos">
          {live.video.provider === 'builtin' ? (
            <>
              <VideoView stream={consultation.remote} muted={false} label={c.counselorVideo(counselorName)} className="consult-remote" />
              <VideoView stream={consultation.local} muted label={c.myCamera} className="consult-self" mirrored />
            </>
          ) : (
            <p className="consult-text">{c.livekit}</p>
          )}
        </div>
        <p role="status" className="consult-text consult-notice">
          {notice ?? ''}
        </p>
        <button type="button" className="kiosk-danger consult-wide" onClick={() => controller.end()}>
          {c.end}
        </button>
      </>
    );
  }

  return (
    <>
      <section className={`consult-panel consult-${phase}`} aria-labelledby={titleId}>
        {body}
        {consultation.problem && phase !== 'connected' ? <p className="consult-problem">{c.problem}</p> : null}
      </section>
      {consultation.suggestion ? <SuggestionDialog suggestion={consultation.suggestion} consultation={consultation} menu={menu} onAdd={onAdd} /> : null}
    </>
  );
}

function SuggestionDialog({
  suggestion,
  consultation,
  menu,
  onAdd,
}: {
  suggestion: PendingSuggestion;
  consultation: KioskConsultationHandle;
  menu: Menu | undefined;
  onAdd: Props['onAdd'];
}) {
  const { t, lang } = useI18n();
  const c = t.consultation.kiosk;
  const item = menu?.categories.flatMap((category) => category.items).find((each) => each.id === suggestion.itemId);
  const answer = (accepted: boolean) => consultation.controller?.answerSuggestion(accepted);

  if (!menu) {
    return (
      <Dialog title={c.suggestionTitle} onClose={() => answer(false)} className="dialog-kiosk" dismissible={false}>
        <p role="status">{t.common.loading}</p>
      </Dialog>
    );
  }
  if (!item || item.soldOut) {
    return (
      <Dialog title={c.suggestionTitle} onClose={() => answer(false)} className="dialog-kiosk">
        <p>{c.suggestionUnavailable}</p>
        <button type="button" className="kiosk-primary consult-wide" onClick={() => answer(false)} data-autofocus>
          {c.ok}
        </button>
      </Dialog>
    );
  }
  const options = chosenOptions(item.optionGroups, suggestion.optionIds);
  const total = unitPrice({ basePrice: item.price, options }) * suggestion.quantity;
  return (
    <Dialog title={c.suggestionTitle} onClose={() => answer(false)} className="dialog-kiosk consult-suggestion">
      <div className="consult-suggestion-item">
        <img src={item.thumbUrl} alt="" width={160} height={160} />
        <div>
          <p className="consult-suggestion-name">{c.suggestionLine(item.name, suggestion.quantity)}</p>
          {options.length > 0 ? (
            <ul className="consult-suggestion-options">
              {options.map((option) => (
                <li key={option.id}>
                  {option.group}: {option.name}
                  {option.priceDelta ? ` (${priceDelta(option.priceDelta, lang)})` : ''}
                </li>
              ))}
            </ul>
          ) : null}
          <p className="consult-suggestion-price">{won(total, lang)}</p>
        </div>
      </div>
      {suggestion.note ? <p className="consult-suggestion-note">{c.suggestionNote(suggestion.note)}</p> : null}
      <div className="button-row">
        <button
          type="button"
          className="kiosk-primary"
          onClick={() => {
            onAdd(
              item,
              options.map((option) => option.id),
              suggestion.quantity,
            );
            answer(true);
          }}
        >
          {c.suggestionAdd}
        </button>
        <button type="button" className="kiosk-secondary" onClick={() => answer(false)}>
          {c.suggestionDecline}
        </button>
      </div>
    </Dialog>
  );
}
