// "전화번호로 찾기": a member who would rather not use the camera (or was not recognised) types
// their mobile number on the big keypad; found, they order as that member. It has the kiosk's idle
// timer and warning, so a number half typed never stays on screen for the next person.
import { useState } from 'react';
import { ApiError } from '../../api/client';
import { errorText, useI18n } from '../../i18n';
import { IDLE_WARNING_SECONDS, idleSeconds } from '../config';
import { IdleWarning } from '../IdleWarning';
import { useIdleTimer } from '../useIdleTimer';
import { customersApi } from './customersApi';
import type { LiveMember } from './live';
import { PhoneEntryPanel, usePhoneEntry } from './PhoneEntry';

interface Props {
  storeId: string;
  onFound(member: LiveMember, phone: string): void;
  onClose(): void;
}

export function PhoneLookup({ storeId, onFound, onClose }: Props) {
  const { t } = useI18n();
  const entry = usePhoneEntry();
  const [idle] = useState(() => idleSeconds());
  const idleState = useIdleTimer({ active: !entry.busy, idleSeconds: idle, warningSeconds: IDLE_WARNING_SECONDS, onTimeout: onClose });

  const find = () =>
    entry.submit(
      async (digits) => onFound(await customersApi.lookupByPhone(storeId, digits), digits),
      (caught) => (caught instanceof ApiError && caught.status === 404 ? t.kioskPresence.phone.notFound : errorText(t, caught)),
    );

  return (
    <PhoneEntryPanel
      entry={entry}
      className="phone-lookup"
      titleId="phone-lookup-title"
      title={t.kioskPresence.phone.title}
      text={t.kioskPresence.phone.text}
      submit={{ label: t.kioskPresence.phone.find, busyLabel: t.kioskPresence.phone.finding, onClick: () => void find() }}
      actions={
        <button type="button" className="kiosk-secondary" onClick={onClose}>
          <span aria-hidden="true">← </span>
          {t.kioskPresence.phone.back}
        </button>
      }
    >
      {idleState.warning ? <IdleWarning secondsLeft={idleState.secondsLeft} onContinue={idleState.extend} /> : null}
    </PhoneEntryPanel>
  );
}
