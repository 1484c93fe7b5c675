// When no counselor is free, the consultation panel offers a person from the store instead: shown,
// and spoken even outside voice mode (the customer asked for help and may be looking away).
import { useEffect } from 'react';
import { useI18n } from '../../i18n';
import { requestStaffCall } from '../kiosk-events';
import { useSpeech } from '../speech/SpeechContext';
import './staff-call.css';

export function StaffCallOffer({ onCalled }: { onCalled(): void }) {
  const { t } = useI18n();
  const { say } = useSpeech();
  const k = t.staffCall.kiosk;
  useEffect(() => say(k.offer, { always: true }), [say, k.offer]);
  return (
    <div className="staff-call-offer">
      <p className="consult-text" data-speak-skip>
        {k.offer}
      </p>
      <button
        type="button"
        className="kiosk-primary consult-wide staff-call-offer-button"
        onClick={() => {
          requestStaffCall();
          onCalled();
        }}
      >
        <span aria-hidden="true">🔔 </span>
        {k.offerButton}
      </button>
    </div>
  );
}
