// The warning before an idle reset: large, on top of everything (a modal <dialog> opened last is
// above any other), with the seconds counting down, a beep, the warning read aloud in every mode (a
// terminal's warning must be heard as well as seen: in voice mode the narrator reads its
// `data-speak`, otherwise it is said here), and a big "계속하기" that extends the time as often as
// the customer likes (Enter or Escape do the same).
import { useEffect, useId, useRef } from 'react';
import { useI18n } from '../i18n';
import { beep } from '../sound';
import { useSpeech } from './speech/SpeechContext';

interface Props {
  secondsLeft: number;
  onContinue(): void;
  /** instead of the order screens' "계속 주문하시겠어요?" (e.g. the receipt's) */
  title?: string;
  text?: string;
}

export function IdleWarning({ secondsLeft, onContinue, title, text }: Props) {
  const { t } = useI18n();
  const { say, voiceMode } = useSpeech();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const textId = useId();
  const heading = title ?? t.kiosk.idle.title;
  const body = text ?? t.kiosk.idle.text;

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    beep();
    return () => {
      if (dialog?.open) dialog.close();
    };
  }, []);
  // said once when it opens (outside voice mode; in it, the narrator reads data-speak)
  // biome-ignore lint/correctness/useExhaustiveDependencies: spoken when it appears, not again on a language or text change
  useEffect(() => {
    if (!voiceMode) say(t.speech.idle(heading, body), { interrupt: true, always: true });
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
      data-seconds-left={secondsLeft}
      data-speak={t.speech.idle(heading, body)}
      onCancel={(event) => {
        event.preventDefault();
        onContinue();
      }}
    >
      <h2 id={titleId} className="dialog-title idle-title">
        {heading}
      </h2>
      <p className="idle-count" aria-hidden="true">
        {t.kiosk.idle.seconds(secondsLeft)}
      </p>
      <p id={textId} className="idle-text">
        {body}
        <span className="sr-only"> {t.kiosk.idle.secondsLeft(secondsLeft)}</span>
      </p>
      <button type="button" className="kiosk-primary idle-continue" onClick={onContinue} autoFocus>
        {t.kiosk.idle.continue}
      </button>
    </dialog>
  );
}
