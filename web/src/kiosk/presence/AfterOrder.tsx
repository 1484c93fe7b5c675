// The receipt, and what may follow it: a guest whose face was analysed may register (the privacy
// notice in plain words, a consent box that starts unticked, then a mobile number on the big
// keypad); a member may delete their face data, after a confirmation. Either takes the receipt's
// place (so its 20-second return does not cut the customer off) and runs under the kiosk's idle
// timer with its warning instead, so nothing typed stays on screen for the next person.
import { useEffect, useId, useRef, useState } from 'react';
import type { Order } from '../../api/client';
import { ErrorAlert } from '../../components/Alert';
import { useSecondsUntil } from '../../hooks';
import { errorText, useI18n } from '../../i18n';
import { IDLE_WARNING_SECONDS, RECEIPT_SECONDS, idleSeconds } from '../config';
import { IdleWarning } from '../IdleWarning';
import { ReceiptScreen } from '../ReceiptScreen';
import { useIdleTimer } from '../useIdleTimer';
import { CONSENT_TEXT_VERSION, customersApi, isKoreanMobile, type MemberProof } from './customersApi';
import type { Journey, JourneyAction } from './journey';
import { PhoneKeypad } from './PhoneKeypad';

type View = 'receipt' | 'notice' | 'phone' | 'forget' | 'done';

interface Props {
  storeId: string;
  order: Order;
  journey: Journey;
  dispatch(action: JourneyAction): void;
  onDone(): void;
}

export function AfterOrder({ storeId, order, journey, dispatch, onDone }: Props) {
  const { t } = useI18n();
  const [view, setView] = useState<View>('receipt');
  const [doneText, setDoneText] = useState<{ title: string; text?: string }>({ title: '' });
  const [idle] = useState(() => idleSeconds());
  const working = view === 'notice' || view === 'phone' || view === 'forget';
  const idleState = useIdleTimer({ active: working, idleSeconds: idle, warningSeconds: IDLE_WARNING_SECONDS, onTimeout: onDone });

  const open = (next: View) => {
    setView(next);
    dispatch({ type: 'afterOrder', open: next !== 'receipt' });
  };
  const finish = (title: string, text?: string) => {
    setDoneText({ title, text });
    open('done');
  };

  const { member, analysis } = journey;
  const mayRegister = !member && analysis?.faceFound === true && !analysis.member;

  let body;
  if (view === 'receipt') {
    body = (
      <>
        <ReceiptScreen order={order} onDone={onDone} />
        {mayRegister ? (
          <section className="after-order" aria-labelledby="register-offer-title">
            <h2 id="register-offer-title" className="after-order-title">
              {t.kioskPresence.register.offerTitle}
            </h2>
            <p>{t.kioskPresence.register.offerText}</p>
            <button type="button" className="kiosk-secondary" onClick={() => open('notice')}>
              {t.kioskPresence.register.offer}
            </button>
          </section>
        ) : member && journey.memberProof ? (
          <section className="after-order">
            <button type="button" className="kiosk-secondary" onClick={() => open('forget')}>
              {t.kioskPresence.forget.button}
            </button>
          </section>
        ) : null}
      </>
    );
  } else if (view === 'notice' || view === 'phone') {
    body = (
      <Registration
        storeId={storeId}
        analysisId={analysis?.analysisId ?? ''}
        step={view}
        onStep={open}
        onCancel={onDone}
        onRegistered={(customerId) => {
          dispatch({ type: 'registered', customerId });
          finish(t.kioskPresence.register.done, t.kioskPresence.register.doneText);
        }}
      />
    );
  } else if (view === 'forget') {
    body = (
      <ForgetFace
        storeId={storeId}
        customerId={member?.customerId ?? ''}
        proof={journey.memberProof}
        onCancel={() => open('receipt')}
        onForgotten={() => {
          dispatch({ type: 'faceForgotten' });
          finish(t.kioskPresence.forget.done);
        }}
      />
    );
  } else {
    body = <Done {...doneText} onDone={onDone} />;
  }

  return (
    <div className="after-order-flow">
      {body}
      {idleState.warning ? <IdleWarning secondsLeft={idleState.secondsLeft} onContinue={idleState.extend} /> : null}
    </div>
  );
}

function Registration({
  storeId,
  analysisId,
  step,
  onStep,
  onCancel,
  onRegistered,
}: {
  storeId: string;
  analysisId: string;
  step: 'notice' | 'phone';
  onStep(view: View): void;
  onCancel(): void;
  onRegistered(customerId: string): void;
}) {
  const { t } = useI18n();
  const [agreed, setAgreed] = useState(false);
  const [agreeMissing, setAgreeMissing] = useState(false);
  const [digits, setDigits] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const consentId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), [step]);

  const submit = async () => {
    if (!isKoreanMobile(digits)) {
      setInvalid(true);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const registered = await customersApi.register(storeId, { analysisId, phone: digits, consentVersion: CONSENT_TEXT_VERSION });
      onRegistered(registered.customerId);
    } catch (caught) {
      setError(errorText(t, caught));
      setBusy(false);
    }
  };

  if (step === 'notice') {
    const notice = t.kioskPresence.register;
    return (
      <section className="presence-panel register" aria-labelledby="register-title">
        <h1 id="register-title" ref={headingRef} tabIndex={-1} className="presence-title">
          {notice.title}
        </h1>
        <h2 className="register-notice-title">{notice.noticeTitle}</h2>
        <dl className="privacy-notice">
          {notice.notice.map((entry) => (
            <div key={entry.question} className="privacy-entry">
              <dt>{entry.question}</dt>
              <dd>{entry.answer}</dd>
            </div>
          ))}
        </dl>
        <p className="privacy-optional">{notice.optional}</p>
        <label className={`consent-box${agreed ? ' consent-box-checked' : ''}`} htmlFor={consentId}>
          <input
            id={consentId}
            type="checkbox"
            checked={agreed}
            aria-invalid={agreeMissing ? true : undefined}
            onChange={(event) => {
              setAgreed(event.target.checked);
              setAgreeMissing(false);
            }}
          />
          <span>{notice.consent}</span>
        </label>
        <p className="privacy-version">{notice.version(CONSENT_TEXT_VERSION)}</p>
        <ErrorAlert>{agreeMissing ? notice.consentMissing : undefined}</ErrorAlert>
        <div className="presence-actions">
          <button type="button" className="kiosk-primary" onClick={() => (agreed ? onStep('phone') : setAgreeMissing(true))}>
            {notice.next}
          </button>
          <button type="button" className="kiosk-secondary" onClick={onCancel}>
            {notice.cancel}
          </button>
        </div>
      </section>
    );
  }

  return (
    <section className="presence-panel register" aria-labelledby="register-phone-title">
      <h1 id="register-phone-title" ref={headingRef} tabIndex={-1} className="presence-title">
        {t.kioskPresence.register.phoneTitle}
      </h1>
      <p className="presence-text">{t.kioskPresence.register.phoneText}</p>
      <PhoneKeypad
        digits={digits}
        onChange={(next) => {
          setDigits(next);
          setInvalid(false);
          setError(undefined);
        }}
        error={invalid ? t.kioskPresence.keypad.invalid : undefined}
      />
      <ErrorAlert>{error}</ErrorAlert>
      <div className="presence-actions">
        <button type="button" className="kiosk-primary" onClick={() => void submit()} disabled={busy}>
          {busy ? t.kioskPresence.register.submitting : t.kioskPresence.register.submit}
        </button>
        <button type="button" className="kiosk-secondary" onClick={() => onStep('notice')} disabled={busy}>
          <span aria-hidden="true">← </span>
          {t.kioskPresence.register.back}
        </button>
        <button type="button" className="kiosk-secondary" onClick={onCancel} disabled={busy}>
          {t.kioskPresence.register.cancel}
        </button>
      </div>
    </section>
  );
}

function ForgetFace({
  storeId,
  customerId,
  proof,
  onCancel,
  onForgotten,
}: {
  storeId: string;
  customerId: string;
  proof?: MemberProof;
  onCancel(): void;
  onForgotten(): void;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const forget = async () => {
    setBusy(true);
    setError(undefined);
    try {
      if (!proof) throw new Error('no proof that this is the member');
      await customersApi.forgetFace(storeId, customerId, proof);
      onForgotten();
    } catch (caught) {
      setError(errorText(t, caught));
      setBusy(false);
    }
  };
  return (
    <section className="presence-panel presence-question" aria-labelledby="forget-title">
      <h1 id="forget-title" className="presence-title">
        {t.kioskPresence.forget.title}
      </h1>
      <p className="presence-text">{t.kioskPresence.forget.text}</p>
      <ErrorAlert>{error}</ErrorAlert>
      <div className="presence-actions">
        <button type="button" className="kiosk-danger presence-answer" onClick={() => void forget()} disabled={busy}>
          {t.kioskPresence.forget.confirm}
        </button>
        <button type="button" className="kiosk-secondary presence-answer" onClick={onCancel} disabled={busy} autoFocus>
          {t.kioskPresence.forget.cancel}
        </button>
      </div>
    </section>
  );
}

/** the end of either: what happened, and back to the start by itself after a while */
function Done({ title, text, onDone }: { title: string; text?: string; onDone(): void }) {
  const { t } = useI18n();
  const [until] = useState(() => Date.now() + RECEIPT_SECONDS * 1000);
  const seconds = useSecondsUntil(until);
  const doneRef = useRef(onDone);
  doneRef.current = onDone;
  useEffect(() => {
    if (seconds === 0) doneRef.current();
  }, [seconds]);
  return (
    <section className="presence-panel" aria-labelledby="after-order-done">
      <div role="status">
        <h1 id="after-order-done" className="presence-title">
          {title}
        </h1>
        {text ? <p className="presence-text">{text}</p> : null}
      </div>
      <button type="button" className="kiosk-primary" onClick={onDone}>
        {t.kioskPresence.startOver}
      </button>
      <p className="receipt-returning">{t.kiosk.receipt.returning(seconds)}</p>
    </section>
  );
}
