// How an order placed at a kiosk gets paid (docs/payments.md). `counter` orders are placed unpaid
// and settled at the POS; `card` and `mobile` orders are placed pending, with their stock held, and
// a KioskPaymentStarter takes it from there: the kiosk's card terminal through the device agent
// (payments/kiosk-charges) or a payment gateway's checkout (payments/mobile-payments). `app.ts`
// picks the starters.
import type { PaymentMethod } from '../../platform/db/schema.js';

/** what the kiosk is told about the payment of the order it just placed */
export interface PaymentStart {
  status: 'pending' | 'unpaid' | 'paid';
  /** the charge's id (payment_attempts.id, `payment_id` on the wire) while pending */
  paymentId?: string;
  /** mobile: the gateway's checkout page, shown as a QR code */
  checkoutUrl?: string;
  /** when a pending or unpaid order expires if not paid */
  payBy?: Date;
}

export interface PendingOrder {
  id: string;
  storeId: string;
  kioskId: string | null;
  number: number;
  total: number;
  payBy: Date;
}

export interface KioskPaymentStarter {
  /**
   * Called before anything is written: throws a DomainError when this kiosk cannot take this
   * method now (`card_terminal_unavailable`, `mobile_payment_unavailable`), so the order is refused whole.
   */
  check(storeId: string, kioskId: string | null): Promise<void>;
  /**
   * Called once the pending order is stored (never twice for one order: a replayed request answers
   * from the stored attempt). Starts the charge and answers what the kiosk shows.
   */
  start(order: PendingOrder): Promise<PaymentStart>;
  /** a replayed order request (same Idempotency-Key): the attempt as it stands now */
  current(orderId: string): Promise<PaymentStart | undefined>;
}

export type KioskPaymentStarters = Partial<Record<Exclude<PaymentMethod, 'counter'>, KioskPaymentStarter>>;
