// How an order stands with its money, on one line of the POS's order card: a badge (미결제 stands
// out, with the minutes left before the unpaid order expires), then how it was paid with the
// approval number; a refund's amount is in the badge.
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
      <span
        className={`status-badge payment-badge payment-${payment.status}`}
        title={left !== undefined && payment.payBy ? p.expiresAt(timeOfDay(String(payment.payBy), lang, timeZone)) : undefined}
      >
        {p.status[payment.status]}
        {left !== undefined ? ` · ${p.minutesLeft(left)}` : ''}
        {payment.refundedAmount > 0 ? ` · ${p.refundedAmount(won(payment.refundedAmount, lang))}` : ''}
      </span>
      <span className="order-payment">
        {payment.method ? p.methods[payment.method] : t.kiosk.checkout.methods[order.paymentMethod]}
        {payment.approvalNumber ? ` · ${p.approval(payment.approvalNumber)}` : ''}
      </span>
    </>
  );
}
