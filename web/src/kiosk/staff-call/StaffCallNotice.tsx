// What the customer is told about their staff call, in a live region that is always on the page
// (so assistive technology hears each change). The kiosk speaks these itself (useStaffCall: "someone
// is coming" even outside voice mode), so the voice-mode narrator skips this region rather than say
// it twice.
import { useI18n } from '../../i18n';
import type { StaffCallHandle } from './useStaffCall';
import './staff-call.css';

export function StaffCallNotice({ staffCall }: { staffCall: StaffCallHandle }) {
  const { t } = useI18n();
  const k = t.staffCall.kiosk;
  const text =
    staffCall.phase === 'called'
      ? staffCall.reason === 'stalled'
        ? k.calledForYou
        : k.called
      : staffCall.phase === 'coming'
        ? k.coming
        : staffCall.phase === 'failed'
          ? k.failed
          : '';
  return (
    <div role="status" className={`staff-call-notice${text ? ` staff-call-${staffCall.phase}` : ''}`} data-speak-skip>
      {text ? <p>{text}</p> : null}
    </div>
  );
}
