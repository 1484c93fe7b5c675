// The wait for a card or mobile payment, and what came of it. Waiting: the amount, what to do (the
// card into the terminal, or the QR code of the gateway's checkout for the phone) and a big 취소;
// no idle reset meanwhile (the terminal and the server's expiry end a wait nobody finishes). A
// decline, a removed card, a timeout or a cancellation: in plain words that no money was taken,
// with "다시 시도" and "다른 방법으로 결제", under the kiosk's usual idle timer and warning.
import { useEffect, useRef, useState } from 'react';
import { ApiError, type Order } from '../../api/client';
import { ErrorAlert } from '../../components/Alert';
import { won } from '../../format';
import { errorText, useI18n } from '../../i18n';
import { useAccess } from '../access/AccessContext';
import { IDLE_WARNING_SECONDS, idleSeconds, patientSeconds } from '../config';
import { IdleWarning } from '../IdleWarning';
import { ReceiptQr } from '../receipt/ReceiptQr';
import { useIdleTimer } from '../useIdleTimer';
import './payment.css';
import { paymentApi } from './paymentApi';
import type { PaymentFailure, PaymentProgress } from './usePaymentFollow';

interface Props {
  storeId: string;
  order: Order;
  method: 'card' | 'mobile';
  checkoutUrl?: string;
  progress: PaymentProgress;
  /** the same method once more (a new order: the failed one is cancelled) */
  onRetry(): void;
  /** back to the checkout with the cart as it was */
  onOtherMethod(): void;
  onStartOver(): void;
}

export function PaymentScreen(props: Props) {
  return props.progress.phase === 'failed' ? (
    <PaymentFailed
      method={props.method}
      failure={props.progress.failure}
      onRetry={props.onRetry}
      onOtherMethod={props.onOtherMethod}
      onStartOver={props.onStartOver}
    />
  ) : (
    <PaymentWait {...props} />
  );
}

function PaymentWait({ storeId, order, method, checkoutUrl }: Props) {
  const { t, lang } = useI18n();
  const texts = t.kioskPayment;
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<string>();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const amount = won(order.total, lang);

  // the outcome (voided / cancelled) arrives on the live stream like any other
  const cancel = async () => {
    setCancelling(true);
    setError(undefined);
    try {
      await paymentApi.cancel(storeId, order.id);
    } catch (caught) {
      setCancelling(false);
      // paid a moment before: the confirmation is on its way, and the receipt follows
      if (caught instanceof ApiError && (caught.code === 'already_paid' || caught.code === 'payment_completing')) return;
      setError(errorText(t, caught));
    }
  };

  return (
    <section
      className={`payment-wait payment-${method}`}
      aria-labelledby="payment-title"
      data-speak={method === 'card' ? texts.cardSpeech(amount) : texts.mobileSpeech(amount)}
    >
      <h1 id="payment-title" ref={headingRef} tabIndex={-1} className="payment-title">
        {method === 'card' ? texts.cardTitle : texts.mobileTitle}
      </h1>
      <p className="payment-amount">
        <span className="payment-amount-label">{texts.amount}</span> <strong className="payment-amount-value">{amount}</strong>
      </p>
      {method === 'card' ? (
        <div className="payment-card-picture" aria-hidden="true">
          <span className="payment-card-slot">💳</span>
        </div>
      ) : checkoutUrl ? (
        <div className="payment-qr">
          <ReceiptQr url={checkoutUrl} label={texts.mobileQrLabel} />
        </div>
      ) : null}
      <p className="payment-text">{method === 'card' ? texts.cardText : texts.mobileText}</p>
      <p className="payment-waiting" role="status">
        {cancelling ? texts.cancelling : texts.waiting}
      </p>
      <ErrorAlert>{error}</ErrorAlert>
      <button type="button" className="kiosk-danger payment-cancel" onClick={() => void cancel()} disabled={cancelling} data-keypad-back>
        {texts.cancel}
      </button>
    </section>
  );
}

function failureWords(t: ReturnType<typeof useI18n>['t'], method: 'card' | 'mobile', failure: PaymentFailure): { title: string; text: string } {
  const texts = t.kioskPayment;
  switch (failure) {
    case 'declined':
      return { title: method === 'card' ? texts.declined : texts.declinedMobile, text: texts.declinedText };
    case 'card_removed':
      return { title: texts.cardRemoved, text: texts.cardRemovedText };
    case 'timed_out':
      return { title: texts.timedOut, text: texts.timedOutText };
    case 'voided':
    case 'cancelled':
      return { title: texts.voided, text: texts.voidedText };
    default:
      return { title: texts.failed, text: texts.failedText };
  }
}

function PaymentFailed({
  method,
  failure,
  onRetry,
  onOtherMethod,
  onStartOver,
}: {
  method: 'card' | 'mobile';
  failure: PaymentFailure;
  onRetry(): void;
  onOtherMethod(): void;
  onStartOver(): void;
}) {
  const { t } = useI18n();
  const texts = t.kioskPayment;
  const { patient } = useAccess();
  const [base] = useState(() => idleSeconds());
  const idle = useIdleTimer({ active: true, idleSeconds: patientSeconds(base, patient), warningSeconds: IDLE_WARNING_SECONDS, onTimeout: onStartOver });
  const { title, text } = failureWords(t, method, failure);
  // after the customer's own cancellation the order is gone: "다시 시도" would surprise them
  const cancelled = failure === 'voided' || failure === 'cancelled';
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);

  return (
    <section
      className="payment-failed"
      aria-labelledby="payment-failed-title"
      data-speak={texts.outcomeSpeech(title, text, [...(cancelled ? [] : [texts.retry]), texts.otherMethod, texts.startOver])}
    >
      <div role="alert">
        <h1 id="payment-failed-title" className="payment-title">
          {title}
        </h1>
        <p className="payment-text">{text}</p>
      </div>
      <div className="payment-actions" data-keypad-choices>
        {cancelled ? null : (
          <button ref={first} type="button" className="kiosk-primary payment-action" onClick={onRetry}>
            {texts.retry}
          </button>
        )}
        <button
          ref={cancelled ? first : undefined}
          type="button"
          className={`${cancelled ? 'kiosk-primary' : 'kiosk-secondary'} payment-action`}
          onClick={onOtherMethod}
        >
          {texts.otherMethod}
        </button>
        <button type="button" className="kiosk-secondary payment-action" onClick={onStartOver}>
          {texts.startOver}
        </button>
      </div>
      {idle.warning ? <IdleWarning secondsLeft={idle.secondsLeft} onContinue={idle.extend} /> : null}
    </section>
  );
}
