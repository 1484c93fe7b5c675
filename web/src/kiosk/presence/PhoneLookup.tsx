// "전화번호로 찾기": a member who would rather not use the camera (or was not recognised) types
// their mobile number on the big keypad; found, they order as that member. It has the kiosk's idle
// timer and warning, so a number half typed never stays on screen for the next person.
import { useState } from 'react';
import { ApiError } from '../../api/client';
import { ErrorAlert } from '../../components/Alert';
import { errorText, useI18n } from '../../i18n';
import { IDLE_WARNING_SECONDS, idleSeconds } from '../config';
import { IdleWarning } from '../IdleWarning';
import { useIdleTimer } from '../useIdleTimer';
import { customersApi, isKoreanMobile } from './customersApi';
import type { LiveMember } from './live';
import { PhoneKeypad } from './PhoneKeypad';

interface Props {
  storeId: string;
  onFound(member: LiveMember, phone: string): void;
  onClose(): void;
}

export function PhoneLookup({ storeId, onFound, onClose }: Props) {
  const { t } = useI18n();
  const [digits, setDigits] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [idle] = useState(() => idleSeconds());
  const idleState = useIdleTimer({ active: !busy, idleSeconds: idle, warningSeconds: IDLE_WARNING_SECONDS, onTimeout: onClose });

  const find = async () => {
    if (!isKoreanMobile(digits)) {
      setInvalid(true);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      onFound(await customersApi.lookupByPhone(storeId, digits), digits);
    } catch (caught) {
      setError(caught instanceof ApiError && caught.status === 404 ? t.kioskPresence.phone.notFound : errorText(t, caught));
      setBusy(false);
    }
  };

  return (
    <section className="presence-panel phone-lookup" aria-labelledby="phone-lookup-title">
      <h1 id="phone-lookup-title" className="presence-title">
        {t.kioskPresence.phone.title}
      </h1>
      <p className="presence-text">{t.kioskPresence.phone.text}</p>
      <PhoneKeypad
        digits={digits}
        onChange={(next) => {
          setDigits(next);
          setInvalid(false);
          setError(undefined);
        }}
        error={invalid ? t.kioskPresence.keypad.invalid : undefined}
      />
      <ErrorAlert>{error}</ErrorAlert>
      <div className="presence-actions">
        <button type="button" className="kiosk-primary" onClick={() => void find()} disabled={busy}>
          {busy ? t.kioskPresence.phone.finding : t.kioskPresence.phone.find}
        </button>
        <button type="button" className="kiosk-secondary" onClick={onClose}>
          <span aria-hidden="true">← </span>
          {t.kioskPresence.phone.back}
        </button>
      </div>
      {idleState.warning ? <IdleWarning secondsLeft={idleState.secondsLeft} onContinue={idleState.extend} /> : null}
    </section>
  );
}
