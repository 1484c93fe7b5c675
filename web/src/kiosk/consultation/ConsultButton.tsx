// The big "상담원 연결" button. Exported for any kiosk screen that offers it (the menu's header;
// the senior mode shows it prominently with `size="large"`). It asks once; the panel shows the rest.
import { useI18n } from '../../i18n';
import { useKioskConsultationContext } from './context';
import type { KioskConsultationHandle } from './useKioskConsultation';
import './consultation.css';

interface Props {
  /** by default the one KioskApp provides (KioskConsultationContext) */
  consultation?: KioskConsultationHandle;
  size?: 'header' | 'large';
  className?: string;
}

export function ConsultButton({ consultation: given, size = 'header', className }: Props) {
  const { t } = useI18n();
  const c = t.consultation.kiosk;
  const provided = useKioskConsultationContext();
  const consultation = given ?? provided;
  // while a request or a call is on, the panel is where things happen
  if (!consultation?.controller || consultation.busy) return null;
  const controller = consultation.controller;
  return (
    <button type="button" className={`consult-button consult-button-${size}${className ? ` ${className}` : ''}`} onClick={() => controller.request()}>
      <span aria-hidden="true" className="consult-button-icon">
        ☎
      </span>
      <span className="consult-button-text">
        <span className="consult-button-label">{c.button}</span>
        {size === 'large' ? <span className="consult-button-hint">{c.buttonHint}</span> : null}
      </span>
    </button>
  );
}
