// A mobile number typed on the big keypad and then sent somewhere (phone lookup, registration):
// the digits, the check that it is a whole Korean mobile number before anything is sent, the
// busy state while it is, and the error under it (typing again clears both), on a panel with the
// button that sends it.
import { useState, type ReactNode, type RefObject } from 'react';
import { ErrorAlert } from '../../components/Alert';
import { errorText, useI18n } from '../../i18n';
import { isKoreanMobile } from './customersApi';
import { PhoneKeypad } from './PhoneKeypad';

export interface PhoneEntry {
  digits: string;
  busy: boolean;
  invalid: boolean;
  error?: string;
  change(digits: string): void;
  /**
   * Sends a whole number with `action`; a number cut short is refused on the screen. On success
   * the entry stays busy (the screen moves on); a failure is shown, in words from `describe`.
   */
  submit(action: (digits: string) => Promise<void>, describe?: (caught: unknown) => string): Promise<void>;
}

export function usePhoneEntry(): PhoneEntry {
  const { t } = useI18n();
  const [digits, setDigits] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  return {
    digits,
    busy,
    invalid,
    error,
    change(next) {
      setDigits(next);
      setInvalid(false);
      setError(undefined);
    },
    async submit(action, describe = (caught) => errorText(t, caught)) {
      if (!isKoreanMobile(digits)) {
        setInvalid(true);
        return;
      }
      setBusy(true);
      setError(undefined);
      try {
        await action(digits);
      } catch (caught) {
        setError(describe(caught));
        setBusy(false);
      }
    },
  };
}

/** a panel for an entry: its title and words, the keypad with the entry's errors, and the button that sends it first among the actions */
export function PhoneEntryPanel({
  entry,
  className,
  titleId,
  title,
  text,
  headingRef,
  submit,
  actions,
  children,
}: {
  entry: PhoneEntry;
  className: string;
  titleId: string;
  title: string;
  text: string;
  /** the heading, for a screen that moves focus to it */
  headingRef?: RefObject<HTMLHeadingElement | null>;
  submit: { label: string; busyLabel: string; onClick(): void };
  /** the other buttons, after the one that sends */
  actions: ReactNode;
  /** after the panel's content (an idle warning) */
  children?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <section className={`presence-panel ${className}`} aria-labelledby={titleId}>
      <h1 id={titleId} ref={headingRef} tabIndex={headingRef ? -1 : undefined} className="presence-title">
        {title}
      </h1>
      <p className="presence-text">{text}</p>
      <PhoneKeypad digits={entry.digits} onChange={entry.change} error={entry.invalid ? t.kioskPresence.keypad.invalid : undefined} />
      <ErrorAlert>{entry.error}</ErrorAlert>
      <div className="presence-actions">
        <button type="button" className="kiosk-primary" onClick={submit.onClick} disabled={entry.busy}>
          {entry.busy ? submit.busyLabel : submit.label}
        </button>
        {actions}
      </div>
      {children}
    </section>
  );
}
