// The first screen's "큰 글씨 / 음성 안내": offered to everyone, large, beside "주문하기". Each
// starts the order in that mode; nothing turns a mode on without this tap (or a key of the keypad,
// which starts voice mode: speech/VoiceKiosk). An age estimate only decides whether large type is
// also asked about first (presence/PresenceStart's offer), never switches it on.
import { useI18n } from '../../i18n';
import { useSpeech } from '../speech/SpeechContext';
import './access.css';

export function StartChoice({ onLarge, onOrder }: { onLarge(): void; onOrder(): void }) {
  const { t } = useI18n();
  const speech = useSpeech();
  return (
    <section className="start-choice" aria-labelledby="start-choice-title">
      <h2 id="start-choice-title" className="start-choice-title">
        {t.access.choiceTitle}
      </h2>
      <div className="start-choice-buttons">
        <button type="button" className="kiosk-secondary start-choice-button start-choice-large" onClick={onLarge}>
          <span aria-hidden="true" className="start-choice-mark">
            가+
          </span>
          <span className="start-choice-label">{t.access.large}</span>
          <span className="start-choice-hint">{t.access.largeHint}</span>
        </button>
        <button
          type="button"
          className="kiosk-secondary start-choice-button start-choice-voice"
          onClick={() => {
            speech.setVoiceMode(true);
            onOrder();
          }}
        >
          <span aria-hidden="true" className="start-choice-mark">
            🔊
          </span>
          <span className="start-choice-label">{t.access.voice}</span>
          <span className="start-choice-hint">{t.access.voiceHint}</span>
        </button>
      </div>
    </section>
  );
}
