// The end of a practice order: a receipt made on the kiosk, marked as practice in words and look
// (no order number: nothing was ordered), and the way back to the attract screen.
import { useEffect, useRef } from 'react';
import type { Order } from '../../api/client';
import { won } from '../../format';
import { useI18n } from '../../i18n';
import './practice.css';

export function PracticeReceipt({ order, onDone }: { order: Order; onDone(): void }) {
  const { t, lang } = useI18n();
  const p = t.practice;
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);

  return (
    <div className="receipt practice-receipt" data-speak={`${p.receiptTitle}. ${p.receiptNotice}`}>
      <h1 ref={headingRef} tabIndex={-1} className="practice-receipt-title">
        {p.receiptTitle}
      </h1>
      <p className="practice-receipt-notice">{p.receiptNotice}</p>
      <p className="receipt-number practice-receipt-number">
        <span className="receipt-number-label">{p.receiptNumber}</span> <span className="receipt-number-value">{p.receiptNumberValue}</span>
      </p>
      {order.dining ? (
        <p className="receipt-dining">
          <strong>{t.dining.short[order.dining]}</strong> · {t.dining.chosen[order.dining]}
        </p>
      ) : null}
      <ul className="receipt-lines" aria-label={t.kiosk.cart.title}>
        {order.lines.map((line, index) => (
          <li key={index}>
            {line.itemName} × {line.quantity}
          </li>
        ))}
      </ul>
      <p className="practice-receipt-total">
        {t.kiosk.checkout.methods[order.paymentMethod]} · {t.kiosk.checkout.total} {won(order.total, lang)}
      </p>
      <button type="button" className="kiosk-primary receipt-done" onClick={onDone}>
        {p.done}
      </button>
    </div>
  );
}
