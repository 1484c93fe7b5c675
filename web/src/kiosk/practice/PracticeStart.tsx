// The large "연습해 보기" button on the attract screen: a whole order walked through with speech,
// where nothing reaches the orders API.
import { useI18n } from '../../i18n';
import './practice.css';

export function PracticeStart({ onStart }: { onStart(): void }) {
  const { t } = useI18n();
  return (
    <button type="button" className="kiosk-secondary practice-start" onClick={onStart}>
      <span className="practice-start-label">{t.practice.start}</span>
      <span className="practice-start-hint">{t.practice.startHint}</span>
    </button>
  );
}
