// A face matched a member: before anything of them shows, the customer keys in the last 4 digits of
// their phone on the big keypad (docs/customers.md#confirmation-by-digits). Digits that agree bring
// the member; wrong ones may be corrected up to the tries the server allows, then the customer goes
// on as a guest. The screen never says who was matched, and the digits typed are never spoken
// (data-speak-skip on the keypad's number; the narrator reads the title and the messages).
import { useId, useState } from 'react';
import { ErrorAlert } from '../../components/Alert';
import { errorText, useI18n } from '../../i18n';
import { customersApi } from './customersApi';
import type { LiveMember } from './live';
import { PhoneKeypad } from './PhoneKeypad';

/** the tries a confirmation allows (the server's CONFIRMATION_ATTEMPTS default) */
export const CONFIRMATION_TRIES = 3;
const DIGITS = 4;

interface Props {
  storeId: string;
  confirmationId: string;
  /** the member when the digits agreed; null: not confirmed, or "회원이 아니에요" */
  onDone(member: LiveMember | null): void;
  /** inside a dialog (which has its own title): no heading of its own */
  inDialog?: boolean;
}

export function DigitsConfirmation({ storeId, confirmationId, onDone, inDialog = false }: Props) {
  const { t } = useI18n();
  const words = t.memberDigits.confirm;
  const titleId = useId();
  const [digits, setDigits] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [triesLeft, setTriesLeft] = useState(CONFIRMATION_TRIES);
  const failed = triesLeft <= 0;
  // what voice mode says when this shows (useNarrator): the question, never the digits
  const spoken = failed ? words.failed : `${inDialog ? words.lateTitle : words.title}. ${words.text}`;

  const change = (next: string) => {
    setDigits(next);
    setError(undefined);
  };

  const submit = async () => {
    if (busy || failed) return;
    if (digits.length !== DIGITS) {
      setError(words.incomplete);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const member = await customersApi.confirmByDigits(storeId, confirmationId, digits);
      if (member) {
        onDone(member);
        return;
      }
      const left = triesLeft - 1;
      setTriesLeft(left);
      setDigits('');
      setError(left > 0 ? words.wrong(left) : undefined);
    } catch (caught) {
      setError(errorText(t, caught));
    } finally {
      setBusy(false);
    }
  };

  const body = (
    <>
      {inDialog ? null : (
        <h1 id={titleId} className="presence-title">
          {words.title}
        </h1>
      )}
      {failed ? (
        <p role="status" className="presence-text digits-failed">
          {words.failed}
        </p>
      ) : (
        <>
          <p className="presence-text">{words.text}</p>
          <PhoneKeypad
            digits={digits}
            onChange={change}
            maxDigits={DIGITS}
            format={(typed) => typed.split('').join(' ')}
            label={words.label}
            emptyText={words.empty}
            disabled={busy}
          />
          <ErrorAlert>{error}</ErrorAlert>
        </>
      )}
      <div className="presence-actions">
        {failed ? (
          <button type="button" className="kiosk-primary presence-answer" onClick={() => onDone(null)}>
            {words.asGuest}
          </button>
        ) : (
          <>
            <button type="button" className="kiosk-primary presence-answer digits-submit" onClick={() => void submit()} disabled={busy}>
              {busy ? words.submitting : words.submit}
            </button>
            <button type="button" className="kiosk-secondary presence-answer" onClick={() => onDone(null)} disabled={busy}>
              {words.notMember}
            </button>
          </>
        )}
      </div>
    </>
  );

  return inDialog ? (
    <div className="digits-confirmation" data-speak={spoken}>
      {body}
    </div>
  ) : (
    <section className="presence-panel presence-question digits-confirmation" aria-labelledby={titleId} data-speak={spoken}>
      {body}
    </section>
  );
}
