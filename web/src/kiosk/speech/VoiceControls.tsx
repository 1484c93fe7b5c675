// In voice mode: large buttons for the volume (− / +), the speed (느리게 / 빠르게), "다시 듣기" and the
// way out of voice mode, and a quiet notice when the kiosk cannot speak (it keeps working on screen).
import { useI18n } from '../../i18n';
import { useSpeech } from './SpeechContext';
import { MAX_RATE, MIN_RATE, useNarration } from './SpeechProvider';
import './speech.css';

export function VoiceControls() {
  const { t } = useI18n();
  const speech = useSpeech();
  const narration = useNarration();
  if (!speech.voiceMode) return null;
  return (
    <div className="voice-controls" role="group" aria-label={t.speech.controls}>
      <button type="button" className="kiosk-secondary voice-control" onClick={narration.quieter} disabled={speech.volume <= 0.2}>
        <span aria-hidden="true">🔉 </span>
        {t.speech.quieter}
      </button>
      <button type="button" className="kiosk-secondary voice-control" onClick={narration.louder} disabled={speech.volume >= 1}>
        <span aria-hidden="true">🔊 </span>
        {t.speech.louder}
      </button>
      <button type="button" className="kiosk-secondary voice-control" onClick={narration.slower} disabled={speech.rate <= MIN_RATE}>
        <span aria-hidden="true">🐢 </span>
        {t.speech.slower}
      </button>
      <button type="button" className="kiosk-secondary voice-control" onClick={narration.faster} disabled={speech.rate >= MAX_RATE}>
        <span aria-hidden="true">🐇 </span>
        {t.speech.faster}
      </button>
      <button type="button" className="kiosk-primary voice-control voice-repeat" onClick={speech.repeat}>
        <span aria-hidden="true">↻ </span>
        {t.speech.repeat}
      </button>
      <button type="button" className="kiosk-secondary voice-control" onClick={() => speech.setVoiceMode(false)}>
        {t.speech.stop}
      </button>
      {speech.unavailable ? <p className="voice-unavailable">{t.speech.unavailable}</p> : null}
    </div>
  );
}
