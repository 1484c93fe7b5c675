// On every screen of practice mode: "연습 중입니다 · 실제로 주문되지 않습니다" and what to try on this
// screen. One live region that stays in the page, so its new text is spoken on every screen.
import { useI18n } from '../../i18n';
import './practice.css';

export type PracticeStep = 'menu' | 'checkout' | 'receipt';

export function PracticeBanner({ step }: { step: PracticeStep | undefined }) {
  const { t } = useI18n();
  return (
    // a live region, and a summary too: the narrator reads summaries of a screen that appears even
    // when voice mode starts with it (it takes live regions already on screen as said)
    <div role="status" className={step ? 'practice-banner' : 'sr-only'} data-speak={step ? `${t.practice.banner}. ${t.practice.steps[step]}` : undefined}>
      {step ? (
        <>
          <p className="practice-banner-title">
            <span aria-hidden="true">✎ </span>
            {t.practice.banner}
          </p>
          <p className="practice-banner-step">{t.practice.steps[step]}</p>
        </>
      ) : null}
    </div>
  );
}
