// The warning before an idle reset: large, on top of everything (a modal <dialog> opened last is
// above any other), with the seconds counting down, a beep, and a big "계속하기".
import { useEffect, useId, useRef } from 'react';
import { useI18n } from '../i18n';
import { beep } from '../sound';

export function IdleWarning({ secondsLeft, onContinue }: { secondsLeft: number; onContinue(): void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const textId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    beep();
    return () => {
      if (dialog?.open) dialog.close();
    };
  }, []);
  // once more near the end, for someone who looked away
  useEffect(() => {
    if (secondsLeft === 5) beep();
  }, [secondsLeft]);

  return (
    <dialog
      ref={ref}
      className="dialog dialog-kiosk idle-warning"
      role="alertdialog"
      aria-labelledby={titleId}
      aria-describedby={textId}
      data-speak={t.speech.idle(t.kiosk.idle.title, t.kiosk.idle.text)}
      onCancel={(event) => {
        event.preventDefault();
        onContinue();
      }}
    >
      <h2 id={titleId} className="dialog-title idle-title">
        {t.kiosk.idle.title}
      </h2>
      <p className="idle-count" aria-hidden="true">
        {t.kiosk.idle.seconds(secondsLeft)}
      </p>
      <p id={textId} className="idle-text">
        {t.kiosk.idle.text}
        <span className="sr-only"> {t.kiosk.idle.secondsLeft(secondsLeft)}</span>
      </p>
      <button type="button" className="kiosk-primary idle-continue" onClick={onContinue} autoFocus>
        {t.kiosk.idle.continue}
      </button>
    </dialog>
  );
}
