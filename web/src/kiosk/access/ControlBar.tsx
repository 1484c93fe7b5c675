// The kiosk's controls, at the bottom of every screen and layout, where a seated customer or a
// short one reaches them (docs/accessibility.md#reach): "처음으로", large type, high contrast, the
// low-position layout, voice, a person (staff call, counselor), the language. Each slot is filled
// by KioskApp; a slot left empty takes no room. The order is the same on every screen, so a
// control is always where it was.
import type { ReactNode } from 'react';
import { LanguageToggle } from '../../components/LanguageToggle';
import { useI18n } from '../../i18n';
import { useAccess } from './AccessContext';
import './access.css';

interface Props {
  /** "처음으로", on the order screens */
  home?: ReactNode;
  /** the large-type toggle (senior/SeniorToggle) */
  large?: ReactNode;
  /** the voice controls (speech/VoiceControls): "음성 안내", volume, speed, "다시 듣기" */
  voice?: ReactNode;
  /** "직원 호출" (staff-call/StaffCallButton) */
  staffCall?: ReactNode;
  /** "상담원 연결" (consultation/ConsultButton), on the order screens */
  counselor?: ReactNode;
}

export function ControlBar({ home, large, voice, staffCall, counselor }: Props) {
  const { t } = useI18n();
  const access = useAccess();
  return (
    <section className="control-bar" aria-label={t.access.controls}>
      {home ? <div className="control-slot control-home">{home}</div> : null}
      {large ? <div className="control-slot control-large">{large}</div> : null}
      <div className="control-slot control-display">
        <button
          type="button"
          className="kiosk-secondary control-toggle contrast-toggle"
          aria-pressed={access.contrast}
          onClick={() => access.setContrast(!access.contrast)}
        >
          <span aria-hidden="true" className="control-mark">
            ◐
          </span>{' '}
          {t.access.contrast}
        </button>
        <button type="button" className="kiosk-secondary control-toggle low-toggle" aria-pressed={access.low} onClick={() => access.setLow(!access.low)}>
          <span aria-hidden="true" className="control-mark">
            ⤓
          </span>{' '}
          {t.access.low}
        </button>
      </div>
      {voice ? <div className="control-slot control-voice">{voice}</div> : null}
      {staffCall || counselor ? (
        <div className="control-slot control-help">
          {staffCall}
          {counselor}
        </div>
      ) : null}
      <div className="control-slot control-language">
        <LanguageToggle />
      </div>
    </section>
  );
}
