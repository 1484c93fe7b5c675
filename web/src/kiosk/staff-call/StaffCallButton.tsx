// "직원 호출": a large button always in reach (in the kiosk's control bar). Pressing it again while a
// call is open is harmless: the server merges it into the open call.
import { useI18n } from '../../i18n';
import type { StaffCallHandle } from './useStaffCall';
import './staff-call.css';

export function StaffCallButton({ staffCall }: { staffCall: StaffCallHandle }) {
  const { t } = useI18n();
  const open = staffCall.phase === 'calling' || staffCall.phase === 'called' || staffCall.phase === 'coming';
  return (
    <button type="button" className="kiosk-secondary staff-call-button" aria-pressed={open} onClick={() => staffCall.call('requested')}>
      <span aria-hidden="true" className="staff-call-mark">
        🔔
      </span>{' '}
      {t.staffCall.kiosk.button}
    </button>
  );
}
