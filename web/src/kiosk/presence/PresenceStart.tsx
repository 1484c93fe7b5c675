// The start screen with the device's eyes: nobody there, the promotion carousel above the usual
// welcome and "주문하기"; someone arrives, "카메라를 봐 주세요" in its place; then "알아보는 중…";
// then, for a face that matched a member, the last 4 digits of their phone; or the senior offer.
// "주문하기" stays on the first three, so a customer never has to wait for the camera, and a kiosk
// without a device is the start screen as before plus the carousel. The "큰 글씨 / 음성 안내"
// choice (access/StartChoice) and "전화번호로 찾기" are always there before ordering; the senior
// offer adds voice guidance beside large type.
import { useEffect, useState } from 'react';
import type { KioskProfile } from '../../api/client';
import { useI18n } from '../../i18n';
import { useSpeech } from '../speech/SpeechContext';
import { StartScreen } from '../StartScreen';
import './presence.css';
import { DigitsConfirmation } from './DigitsConfirmation';
import type { Journey, JourneyAction } from './journey';
import { PracticeStart } from '../practice/PracticeStart';
import { PhoneLookup } from './PhoneLookup';
import { PromotionCarousel } from './PromotionCarousel';

interface Props {
  me: KioskProfile;
  journey: Journey;
  dispatch(action: JourneyAction): void;
  onOrder(): void;
  /** changes when the customer walks away: an open phone keypad closes */
  departures: number;
  /** "연습해 보기" (kiosk/practice) */
  onPractice?(): void;
}

export function PresenceStart({ me, journey, dispatch, onOrder, departures, onPractice }: Props) {
  const { t } = useI18n();
  const speech = useSpeech();
  const [lookup, setLookup] = useState(false);
  useEffect(() => setLookup(false), [departures]);

  if (lookup) {
    return (
      <PhoneLookup
        storeId={me.store.id}
        onClose={() => setLookup(false)}
        onFound={(member, phone) => {
          setLookup(false);
          dispatch({ type: 'memberFound', member, phone });
        }}
      />
    );
  }

  if (journey.phase === 'confirmMember' && journey.analysis?.confirmationId) {
    // nothing of the matched member is on this screen until the digits agree
    return (
      <DigitsConfirmation
        key={journey.analysis.confirmationId}
        storeId={me.store.id}
        confirmationId={journey.analysis.confirmationId}
        onDone={(member) => dispatch({ type: 'confirmMember', member })}
      />
    );
  }

  if (journey.phase === 'offerSenior') {
    return (
      <section className="presence-panel presence-question kiosk-senior-preview">
        <h1 className="presence-title">{t.kioskPresence.senior.question}</h1>
        <p className="presence-text">{t.kioskPresence.senior.text}</p>
        <div className="presence-actions presence-actions-stacked">
          <button type="button" className="kiosk-primary presence-answer" onClick={() => dispatch({ type: 'chooseSenior', senior: true })}>
            {t.kioskPresence.senior.accept}
          </button>
          <button
            type="button"
            className="kiosk-secondary presence-answer"
            onClick={() => {
              speech.setVoiceMode(true);
              dispatch({ type: 'chooseSenior', senior: false });
            }}
          >
            {t.access.offerVoice}
          </button>
          <button type="button" className="kiosk-secondary presence-answer" onClick={() => dispatch({ type: 'chooseSenior', senior: false })}>
            {t.kioskPresence.senior.decline}
          </button>
        </div>
      </section>
    );
  }

  const prompt =
    journey.phase === 'camera'
      ? { title: t.kioskPresence.camera.title, text: journey.noFace ? t.kioskPresence.camera.noFace : t.kioskPresence.camera.text }
      : journey.phase === 'recognising'
        ? { title: t.kioskPresence.recognising.title, text: t.kioskPresence.recognising.text }
        : undefined;

  return (
    <>
      {/* always in the page, so that a new prompt is read out */}
      <div role="status" className={prompt ? `presence-prompt presence-prompt-${journey.phase}` : 'sr-only'}>
        {prompt ? (
          <>
            <span className="presence-camera-mark" aria-hidden="true">
              {journey.phase === 'camera' ? '▲' : ''}
            </span>
            <p className="presence-prompt-title">{prompt.title}</p>
            <p className="presence-prompt-text">{prompt.text}</p>
          </>
        ) : null}
      </div>
      {prompt ? null : <PromotionCarousel storeId={me.store.id} />}
      <StartScreen
        me={me}
        onOrder={onOrder}
        onLarge={() => {
          dispatch({ type: 'setSenior', senior: true });
          onOrder();
        }}
      />
      <div className="presence-start-extras">
        <button type="button" className="kiosk-secondary phone-lookup-open" onClick={() => setLookup(true)}>
          {t.kioskPresence.phone.open}
        </button>
        {onPractice ? <PracticeStart onStart={onPractice} /> : null}
      </div>
    </>
  );
}
