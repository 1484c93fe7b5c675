// The big "큰 글씨 모드" button, on the start and menu screens: on, it becomes an equally big and
// plain "보통 화면으로", so the way back is always in the same place.
import { useI18n } from '../../i18n';
import './senior.css';

export function SeniorToggle({ senior, onChange }: { senior: boolean; onChange(senior: boolean): void }) {
  const { t } = useI18n();
  return (
    <button type="button" className="kiosk-secondary senior-toggle" onClick={() => onChange(!senior)}>
      <span aria-hidden="true" className="senior-toggle-mark">
        {senior ? '가' : '가+'}
      </span>{' '}
      {senior ? t.kioskPresence.senior.turnOff : t.kioskPresence.senior.turnOn}
    </button>
  );
}
