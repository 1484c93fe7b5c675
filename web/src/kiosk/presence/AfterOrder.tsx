// The receipt, and what may follow it: a guest whose face was analysed may register (the privacy
// notice in plain words, with the retention and version the server gives, a consent box that
// starts unticked, then a mobile number on the big keypad); a member may delete their face data,
// after a confirmation. Either takes the receipt's place (so the receipt's own return does not cut
// the customer off) and runs under the kiosk's idle timer with its warning instead (doubled in
// large-type and voice modes), so nothing typed stays on screen for the next person; the closing
// "done" screen waits like the receipt, with the same warning before it returns to the start.
import { useEffect, useId, useRef, useState } from 'react';
import type { Order } from '../../api/client';
import { ErrorAlert } from '../../components/Alert';
import { errorText, useI18n } from '../../i18n';
import { useAccess } from '../access/AccessContext';
import { IDLE_WARNING_SECONDS, idleSeconds, patientSeconds, receiptSeconds } from '../config';
import { IdleWarning } from '../IdleWarning';
import type { ReceiptPayment } from '../payment/ReceiptPaymentNote';
import { ReceiptScreen } from '../ReceiptScreen';
import { useIdleTimer } from '../useIdleTimer';
import { customersApi, type MemberProof, type PrivacyNotice } from './customersApi';
import type { Journey, JourneyAction } from './journey';
import { PhoneEntryPanel, usePhoneEntry } from './PhoneEntry';

type View = 'receipt' | 'notice' | 'phone' | 'forget' | 'done';

interface Props {
  storeId: string;
  order: Order;
  /** paid at the kiosk (with its receipt), or to pay at the counter */
  payment?: ReceiptPayment;
  journey: Journey;
  dispatch(action: JourneyAction): void;
  onDone(): void;
}

export function AfterOrder({ storeId, order, payment, journey, dispatch, onDone }: Props) {
  const { t } = useI18n();
  const [view, setView] = useState<View>('receipt');
  const [doneText, setDoneText] = useState<{ title: string; text?: string }>({ title: '' });
  const { patient } = useAccess();
  const [idle] = useState(() => idleSeconds());
  const working = view === 'notice' || view === 'phone' || view === 'forget';
  const idleState = useIdleTimer({ active: working, idleSeconds: patientSeconds(idle, patient), warningSeconds: IDLE_WARNING_SECONDS, onTimeout: onDone });

  const open = (next: View) => {
    setView(next);
    dispatch({ type: 'afterOrder', open: next !== 'receipt' });
  };
  const finish = (title: string, text?: string) => {
    setDoneText({ title, text });
    open('done');
  };

  const { member, analysis } = journey;
  // a face that matched a member (confirmed or not) is not offered registration again
  const mayRegister = !member && analysis?.faceFound === true && !analysis.confirmationId;

  let body;
  if (view === 'receipt') {
    body = (
      <>
        <ReceiptScreen order={order} payment={payment} onDone={onDone} />
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
            <ReadyNoticeToggle storeId={storeId} customerId={member.customerId} proof={journey.memberProof} />
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
        orderId={order.id}
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
  orderId,
  step,
  onStep,
  onCancel,
  onRegistered,
}: {
  storeId: string;
  analysisId: string;
  /** the order on the receipt: it becomes the new member's */
  orderId: string;
  step: 'notice' | 'phone';
  onStep(view: View): void;
  onCancel(): void;
  onRegistered(customerId: string): void;
}) {
  const { t, lang } = useI18n();
  const [agreed, setAgreed] = useState(false);
  const [agreeMissing, setAgreeMissing] = useState(false);
  // the "your order is ready" message: a consent of its own, optional, its box unticked until ticked
  const [readyNotice, setReadyNotice] = useState(false);
  const readyNoticeId = useId();
  const entry = usePhoneEntry();
  const privacy = usePrivacyNotice(storeId);
  const consentId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), [step]);

  if (step === 'notice') {
    const notice = t.kioskPresence.register;
    const { what, why, howLong, erase } = notice.notice;
    return (
      <section className="presence-panel register" aria-labelledby="register-title">
        <h1 id="register-title" ref={headingRef} tabIndex={-1} className="presence-title">
          {notice.title}
        </h1>
        {privacy.notice ? (
          <>
            <h2 className="register-notice-title">{notice.noticeTitle}</h2>
            <dl className="privacy-notice">
              {[what, why, { question: howLong.question, answer: howLong.answer(privacy.notice.faceRetentionDays) }, erase].map((fact) => (
                <div key={fact.question} className="privacy-entry">
                  <dt>{fact.question}</dt>
                  <dd>{fact.answer}</dd>
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
            <p className="privacy-version">{notice.version(privacy.notice.consentTextVersion)}</p>
            <h2 className="register-notice-title">{notice.readyNotice.title}</h2>
            <p className="privacy-optional">{notice.readyNotice.text}</p>
            <label className={`consent-box${readyNotice ? ' consent-box-checked' : ''}`} htmlFor={readyNoticeId}>
              <input id={readyNoticeId} type="checkbox" checked={readyNotice} onChange={(event) => setReadyNotice(event.target.checked)} />
              <span>{notice.readyNotice.consent}</span>
            </label>
            <ErrorAlert>{agreeMissing ? notice.consentMissing : undefined}</ErrorAlert>
          </>
        ) : privacy.error ? (
          <ErrorAlert>{errorText(t, privacy.error)}</ErrorAlert>
        ) : (
          <p role="status" className="kiosk-loading">
            {t.common.loading}
          </p>
        )}
        <div className="presence-actions">
          {privacy.notice ? (
            <button type="button" className="kiosk-primary" onClick={() => (agreed ? onStep('phone') : setAgreeMissing(true))}>
              {notice.next}
            </button>
          ) : privacy.error ? (
            <button type="button" className="kiosk-primary" onClick={privacy.reload}>
              {t.common.retry}
            </button>
          ) : null}
          <button type="button" className="kiosk-secondary" onClick={onCancel}>
            {notice.cancel}
          </button>
        </div>
      </section>
    );
  }

  // the phone step follows an agreement to the notice the server gave, so its version is known
  const consentVersion = privacy.notice?.consentTextVersion ?? '';
  const submit = () =>
    entry.submit(async (phone) => {
      const registered = await customersApi.register(storeId, {
        analysisId,
        phone,
        consentVersion,
        orderId,
        readyNoticeVersion: readyNotice ? t.kioskPresence.register.readyNotice.version : undefined,
        language: lang,
      });
      onRegistered(registered.customerId);
    });

  return (
    <PhoneEntryPanel
      entry={entry}
      className="register"
      titleId="register-phone-title"
      title={t.kioskPresence.register.phoneTitle}
      text={t.kioskPresence.register.phoneText}
      headingRef={headingRef}
      submit={{ label: t.kioskPresence.register.submit, busyLabel: t.kioskPresence.register.submitting, onClick: () => void submit() }}
      actions={
        <>
          <button type="button" className="kiosk-secondary" onClick={() => onStep('notice')} disabled={entry.busy}>
            <span aria-hidden="true">← </span>
            {t.kioskPresence.register.back}
          </button>
          <button type="button" className="kiosk-secondary" onClick={onCancel} disabled={entry.busy}>
            {t.kioskPresence.register.cancel}
          </button>
        </>
      }
    />
  );
}

/** the privacy notice's facts from the server (retention, version), loaded when the notice opens */
function usePrivacyNotice(storeId: string) {
  const [notice, setNotice] = useState<PrivacyNotice>();
  const [error, setError] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let current = true;
    setError(undefined);
    customersApi.privacyNotice(storeId).then(
      (loaded) => current && setNotice(loaded),
      (caught: unknown) => current && setError(caught),
    );
    return () => {
      current = false;
    };
  }, [storeId, attempt]);
  return { notice, error, reload: () => setAttempt((n) => n + 1) };
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

/**
 * On a member's receipt: "메뉴가 준비되면 문자로 알려 드려요" with a button to stop it, when they get
 * those messages; nothing otherwise (or when the state cannot be read).
 */
function ReadyNoticeToggle({ storeId, customerId, proof }: { storeId: string; customerId: string; proof: MemberProof }) {
  const { t } = useI18n();
  const texts = t.kioskPresence.readyNotice;
  const [state, setState] = useState<'unknown' | 'on' | 'off' | 'turnedOff'>('unknown');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    let current = true;
    customersApi.readyNotice(storeId, customerId).then(
      (answer) => current && setState(answer.readyNotice ? 'on' : 'off'),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [storeId, customerId]);
  const turnOff = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await customersApi.revokeReadyNotice(storeId, customerId, proof);
      setState('turnedOff');
    } catch (caught) {
      setError(errorText(t, caught));
    } finally {
      setBusy(false);
    }
  };
  if (state === 'unknown' || state === 'off') return null;
  return (
    <div className="ready-notice">
      <p role="status" className="presence-text">
        {state === 'on' ? texts.on : texts.turnedOff}
      </p>
      {state === 'on' ? (
        <button type="button" className="kiosk-secondary" onClick={() => void turnOff()} disabled={busy}>
          {texts.turnOff}
        </button>
      ) : null}
      <ErrorAlert>{error}</ErrorAlert>
    </div>
  );
}

/** the end of either: what happened, and back to the start by itself after a generous while, warned first like the receipt */
function Done({ title, text, onDone }: { title: string; text?: string; onDone(): void }) {
  const { t } = useI18n();
  const { patient } = useAccess();
  const [base] = useState(() => receiptSeconds());
  const idle = useIdleTimer({ active: true, idleSeconds: patientSeconds(base, patient), warningSeconds: IDLE_WARNING_SECONDS, onTimeout: onDone });
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
      {idle.warning ? (
        <IdleWarning secondsLeft={idle.secondsLeft} onContinue={idle.extend} title={t.access.receiptIdleTitle} text={t.access.receiptIdleText} />
      ) : null}
    </section>
  );
}
