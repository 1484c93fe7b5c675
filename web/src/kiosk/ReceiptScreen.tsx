// After the order: its number, very large, the payment (paid at the kiosk with the printed and the
// digital receipt, or the reminder to pay at the counter: payment/ReceiptPaymentNote), and "처음으로".
// It stays until the customer leaves (the device's departure, handled by the journey), taps
// "처음으로", or leaves it untouched for a generous while (RECEIPT_SECONDS, doubled in large-type
// and voice modes), with the same warning and "계속하기" as the order screens first.
import { useEffect, useRef, useState } from 'react';
import type { Order } from '../api/client';
import { won } from '../format';
import { useI18n } from '../i18n';
import { useAccess } from './access/AccessContext';
import { IDLE_WARNING_SECONDS, patientSeconds, receiptSeconds } from './config';
import { IdleWarning } from './IdleWarning';
import { paidSpeech, ReceiptPaymentNote, type ReceiptPayment } from './payment/ReceiptPaymentNote';
import { useIdleTimer } from './useIdleTimer';

export function ReceiptScreen({ order, payment = { paid: false }, onDone }: { order: Order; payment?: ReceiptPayment; onDone(): void }) {
  const { t, lang } = useI18n();
  const { patient } = useAccess();
  const [base] = useState(() => receiptSeconds());
  const idle = useIdleTimer({ active: true, idleSeconds: patientSeconds(base, patient), warningSeconds: IDLE_WARNING_SECONDS, onTimeout: onDone });
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  return (
    <div
      className="receipt"
      data-speak={
        payment.paid
          ? paidSpeech(t, lang, order, payment)
          : t.speech.receipt(order.number, t.kiosk.checkout.methods[order.paymentMethod], won(order.total, lang))
      }
    >
      <p className="receipt-title" role="status">
        {t.kiosk.receipt.title}
      </p>
      <h1 ref={headingRef} tabIndex={-1} className="receipt-number">
        <span className="receipt-number-label">{t.kiosk.receipt.number}</span> <span className="receipt-number-value">{order.number}</span>
      </h1>
      {order.dining ? (
        <p className="receipt-dining">
          <strong>{t.dining.short[order.dining]}</strong> · {t.dining.chosen[order.dining]}
        </p>
      ) : null}
      <ul className="receipt-lines" aria-label={t.kiosk.cart.title}>
        {order.lines.map((line, index) => (
          <li key={index}>
            {line.itemName} × {line.quantity}
            {line.note ? <span className="receipt-line-note"> · {t.dining.note(line.note)}</span> : null}
          </li>
        ))}
      </ul>
      <ReceiptPaymentNote order={order} payment={payment} />
      <p className="receipt-pickup">{t.kiosk.receipt.pickup}</p>
      <button type="button" className="kiosk-primary receipt-done" onClick={onDone}>
        {t.kiosk.receipt.startOver}
      </button>
      {idle.warning ? (
        <IdleWarning secondsLeft={idle.secondsLeft} onContinue={idle.extend} title={t.access.receiptIdleTitle} text={t.access.receiptIdleText} />
      ) : null}
    </div>
  );
}
