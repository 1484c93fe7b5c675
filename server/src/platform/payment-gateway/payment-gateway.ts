// A payment gateway for mobile / QR payment (docs/payments.md "Mobile / QR payment"): the customer's
// phone authorises a payment in the gateway's window, our server confirms it, and may cancel it
// (whole or in part). The embedded default is a fake (fake-gateway.ts); PAYMENT_GATEWAY=toss talks
// to Toss Payments' REST API (toss-payments-gateway.ts). Amounts are integer won.

/** a payment as the gateway holds it */
export interface GatewayPayment {
  /** the gateway's key for the payment (Toss: paymentKey) */
  reference: string;
  /** our id for it: payment_attempts.id (Toss: orderId) */
  orderId: string;
  status: 'approved' | 'cancelled' | 'partially_cancelled' | 'other';
  /** what was approved */
  totalAmount: number;
  /** what is left after cancellations (Toss: balanceAmount) */
  balanceAmount: number;
  approvedAt: Date | null;
  /** how the customer paid, as the gateway names it ('카드', '간편결제', ...) */
  method: string | null;
  /** the card issuer's approval number when there is one, else the gateway's transaction key */
  approvalNumber: string | null;
}

/** one transaction of a payment in the gateway's records, for reconciliation (modules/reconciliation) */
export interface GatewayTransaction {
  /** the gateway's key for the payment (Toss: paymentKey) */
  reference: string;
  /** our payment id (payment_attempts.id) */
  orderId: string;
  /** what was approved */
  amount: number;
  /** the payment's state as of the end of the range */
  status: 'approved' | 'cancelled' | 'partially_cancelled';
  /** what has been given back of it */
  cancelledAmount: number;
  approvedAt: Date;
}

export type GatewayErrorKind =
  /** the gateway refused this payment (card rejected, window closed, already cancelled...): final */
  | 'declined'
  /** our key was refused: a configuration fault, never the customer's */
  | 'unauthorized'
  /** no answer in time, a network fault or a 5xx: the outcome is unknown, ask again later */
  | 'unavailable'
  /** anything else the gateway refused (its code says what) */
  | 'rejected';

/** the gateway's refusal, with its own code ({code, message} in Toss' error body) */
export class PaymentGatewayError extends Error {
  constructor(
    readonly kind: GatewayErrorKind,
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'PaymentGatewayError';
  }
}

/** what the customer's checkout page needs to open the gateway's window */
export type GatewayCheckout = { provider: 'fake' } | { provider: 'toss'; clientKey: string };

export interface PaymentGateway {
  readonly name: 'fake' | 'toss';
  checkout(): GatewayCheckout;
  /**
   * Confirms (captures) a payment the customer authorised in the gateway's window. The gateway
   * checks the amount against what was authorised. The same idempotency key gives the same answer.
   * Rejects with PaymentGatewayError ('declined' when the payment is refused for good).
   */
  confirm(request: { reference: string; orderId: string; amount: number; idempotencyKey: string }): Promise<GatewayPayment>;
  get(reference: string): Promise<GatewayPayment>;
  /** gives back `amount` (all that is left when absent); the same idempotency key cancels once */
  cancel(request: { reference: string; reason: string; amount?: number; idempotencyKey: string }): Promise<GatewayPayment>;
  /** every payment approved, or cancelled in part or whole, in [from, to) */
  listTransactions(from: Date, to: Date): Promise<GatewayTransaction[]>;
}
