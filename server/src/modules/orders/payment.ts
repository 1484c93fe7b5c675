// Payment. No payment provider is integrated: the customer pays at the counter, and the method
// they chose on the kiosk (card, mobile pay, counter) is recorded with the order so staff know what
// to expect. A provider plugs in here: `app.ts` picks the implementation.
import type { PaymentMethod } from '../../platform/db/schema.js';

export interface PaymentRequest {
  storeId: string;
  orderId: string;
  orderNumber: number;
  amount: number;
  method: PaymentMethod;
}

export type PaymentOutcome = { status: 'pay_at_counter' } | { status: 'paid'; reference: string } | { status: 'declined'; reason: string };

export interface PaymentProvider {
  /** called after the order is stored; a declined payment cancels the order */
  charge(request: PaymentRequest): Promise<PaymentOutcome>;
}

/** the default: nothing is charged on the kiosk; the counter takes the money */
export class PayAtCounter implements PaymentProvider {
  async charge(): Promise<PaymentOutcome> {
    return { status: 'pay_at_counter' };
  }
}
