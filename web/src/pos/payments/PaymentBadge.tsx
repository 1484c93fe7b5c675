// How an order stands with its money on the POS's order card: a badge in the head row (미결제 stands
// out, with the minutes left before the unpaid order expires; in the counter's dense row it gives
// way before the total does), and the rest in words under the opened lines (how, when, how much,
// the approval number, refunds, or until when an unpaid order can be paid).
import type { Order } from '../../api/client';
import { timeOfDay, won } from '../../format';
import { useI18n } from '../../i18n';
import './payments.css';

export type OrderPayment = Order['payment'];

/** the money still to give back: what was paid less what was refunded */
export function refundableOf(payment: OrderPayment): number {
  return Math.max(0, payment.paidAmount - payment.refundedAmount);
}

/** whole minutes until `payBy` (rounded up, so "1분 남음" until the last second) */
export function minutesUntil(payBy: string, now: number): number {
  return Math.ceil((new Date(payBy).getTime() - now) / 60_000);
}

export function PaymentBadge({ order, timeZone, now }: { order: Order; timeZone: string; now: number }) {
  const { t, lang } = useI18n();
  const p = t.posPayments;
  const payment = order.payment;
  const waiting = (payment.status === 'unpaid' || payment.status === 'pending') && order.status !== 'cancelled';
  const left = waiting && payment.payBy ? minutesUntil(String(payment.payBy), now) : undefined;
  return (
    <>
      {/* short on screen (the dense row has room for little), whole for a screen reader */}
      <span
        className={`status-badge payment-badge payment-${payment.status}`}
        title={left !== undefined && payment.payBy ? p.expiresAt(timeOfDay(String(payment.payBy), lang, timeZone)) : undefined}
      >
        {p.status[payment.status]}
        {left !== undefined ? (
          <>
            {` ${p.minutesShort(left)}`}
            <span className="sr-only">{p.leftSuffix}</span>
          </>
        ) : null}
      </span>
    </>
  );
}

/** the payment in words, under an order's opened lines: how and when it was paid, or until when it can be */
export function PaymentDetails({ order, timeZone }: { order: Order; timeZone: string }) {
  const { t, lang } = useI18n();
  const p = t.posPayments;
  const payment = order.payment;
  const time = (iso: string) => timeOfDay(iso, lang, timeZone);
  if (payment.paidAt && payment.method) {
    return (
      <p className="payment-details">
        {p.paidDetails(p.methods[payment.method], won(payment.paidAmount, lang), time(String(payment.paidAt)))}
        {payment.approvalNumber ? ` · ${p.approval(payment.approvalNumber)}` : ''}
        {payment.refundedAmount > 0 ? ` · ${p.refundedAmount(won(payment.refundedAmount, lang))}` : ''}
      </p>
    );
  }
  if (payment.status === 'unpaid' && payment.payBy && order.status !== 'cancelled') {
    return <p className="payment-details payment-details-unpaid">{p.expiresAt(time(String(payment.payBy)))}</p>;
  }
  return null;
}
