// Mobile / QR payment (docs/payments.md "Mobile / QR payment"): the kiosk shows a QR code of our
// checkout page; the customer's phone authorises the payment in the gateway's window and comes back
// with the gateway's payment key; we confirm it at the gateway and only then mark the order paid.
// Never money without an order: whatever stops the order from being paid after the gateway took
// the money (expired meanwhile, cancelled, an amount that differs) cancels the payment at the gateway.
import type { Database } from '../../platform/db/database.js';
import { DomainError } from '../../platform/http/errors.js';
import { type GatewayCheckout, type GatewayPayment, type PaymentGateway, PaymentGatewayError } from '../../platform/payment-gateway/payment-gateway.js';
import type { PaymentEventData, ReceiptPrintView } from '../kiosk-live/kiosk-live.events.js';
import type { KioskLiveService } from '../kiosk-live/kiosk-live.service.js';
import type { PendingEnded, RefundRequest } from '../orders/orders.service.js';
import type { KioskPaymentStarter, PaymentStart, PendingOrder } from '../orders/payment.js';
import type { OrdersForCharges, ReceiptIssuer } from './kiosk-charges.service.js';
import { type CheckoutFacts, MobilePaymentsRepository } from './mobile-payments.repository.js';
import { isAttemptId, type PaymentAttempt, PaymentAttemptsRepository } from './payment-attempts.repository.js';

/** what of OrdersService a mobile payment needs (docs/payments.md): the card charges' less reversing a confirmed payment */
export type MobilePaymentOrders = Pick<OrdersForCharges, 'confirmPayment' | 'cancel'>;

/** the receipts module's issue(), when it is there */
export type MobilePaymentReceipts = ReceiptIssuer;

export type MobilePaymentState = 'awaiting' | 'paid' | 'declined' | 'cancelled' | 'expired';

/** what the customer's phone is shown: nothing personal, nothing of other orders */
export interface MobilePaymentView {
  paymentId: string;
  storeName: string;
  orderNumber: number;
  /** "아메리카노 외 2건": what the gateway's window names the payment */
  orderName: string;
  amount: number;
  state: MobilePaymentState;
  payBy: Date | null;
  /** why it was declined or cancelled (a stable code or the gateway's message) */
  reason: string | null;
  checkout: GatewayCheckout;
}

export interface MobilePaymentsOptions {
  /** PUBLIC_URL: the checkout page is PUBLIC_URL/pay/<paymentId> */
  publicUrl: string;
  log: { info(object: object, message: string): void; warn(object: object, message: string): void; error(object: object, message: string): void };
  now?: () => Date;
}

export class MobilePaymentsService implements KioskPaymentStarter {
  private readonly repository: MobilePaymentsRepository;
  private readonly attempts: PaymentAttemptsRepository;
  private receipts?: MobilePaymentReceipts;
  private readonly now: () => Date;

  constructor(
    db: Database,
    private readonly orders: MobilePaymentOrders,
    private readonly gateway: PaymentGateway,
    private readonly live: KioskLiveService,
    private readonly options: MobilePaymentsOptions,
  ) {
    this.repository = new MobilePaymentsRepository(db);
    this.attempts = new PaymentAttemptsRepository(db);
    this.now = options.now ?? (() => new Date());
  }

  /** a paid order's receipt (its digital link, and the kiosk's printer when it has one) */
  useReceipts(receipts: MobilePaymentReceipts): void {
    this.receipts = receipts;
  }

  // --- KioskPaymentStarter ---

  async check(): Promise<void> {
    // the gateway is reached from the customer's phone and from here only once they pay: nothing to check yet
  }

  async start(order: PendingOrder): Promise<PaymentStart> {
    const attempt = await this.attempts.insert({
      storeId: order.storeId,
      orderId: order.id,
      kioskId: order.kioskId,
      method: 'mobile',
      amount: order.total,
      confirmBy: order.payBy,
    });
    return { status: 'pending', paymentId: attempt.id, checkoutUrl: this.checkoutUrl(attempt.id), payBy: order.payBy };
  }

  async current(orderId: string): Promise<PaymentStart | undefined> {
    const attempt = await this.attempts.latestOfOrder(orderId, { method: 'mobile' });
    if (!attempt) return undefined;
    if (attempt.state === 'confirmed') return { status: 'paid', paymentId: attempt.id };
    return { status: 'pending', paymentId: attempt.id, checkoutUrl: this.checkoutUrl(attempt.id) };
  }

  // --- the customer's phone ---

  async describe(paymentId: string): Promise<MobilePaymentView> {
    const facts = await this.repository.checkoutFacts(paymentId);
    if (!facts) throw notFound();
    return this.view(facts);
  }

  /**
   * The phone came back from the gateway's window with its payment key: confirm it at the gateway
   * (with our amount, never the page's), then mark the order paid. Asked twice, the same answer;
   * the money is counted once.
   */
  async confirm(paymentId: string, request: { paymentKey: string; amount: number }): Promise<MobilePaymentView> {
    const attempt = await this.find(paymentId);
    if (!attempt) throw notFound();
    if (attempt.state === 'confirmed') {
      if (attempt.providerReference === request.paymentKey) return this.describe(paymentId);
      // another payment for an order already paid: never confirmed, so no money moves (the gateway lets it lapse)
      throw new DomainError('conflict', 'already_paid', 'This order is already paid.');
    }
    if (attempt.state !== 'requested' && attempt.state !== 'approved') {
      // over already: declined answers as it was; an expired or cancelled order is never paid
      const view = await this.describe(paymentId);
      if (view.state === 'expired') throw expiredError();
      if (view.state === 'cancelled') throw new DomainError('gone', 'order_cancelled', 'This order was cancelled. You have not been charged.');
      return view;
    }

    if (request.amount !== attempt.amount) {
      // the page's amount is the customer's (or a tamperer's): nothing is confirmed, the order is not paid this way
      await this.decline(attempt, 'amount_mismatch');
      throw new DomainError('conflict', 'amount_mismatch', `The amount to pay is ${attempt.amount}, not ${request.amount}.`, {
        expected: attempt.amount,
      });
    }
    const facts = await this.repository.checkoutFacts(paymentId);
    if (!facts) throw notFound();
    if (facts.orderStatus === 'cancelled' || facts.paymentStatus !== 'pending' || (facts.payBy && facts.payBy <= this.now())) {
      // too late: the order is gone (or going), so the payment is never confirmed and no money moves
      if (!(await this.attempts.transition(paymentId, ['requested'], 'declined', { outcomeMessage: 'order_expired' }))) {
        // moved meanwhile (the same key confirmed by a request that came first): as it stands now
        return this.describe(paymentId);
      }
      if (facts.orderStatus !== 'cancelled' && facts.paymentStatus === 'pending') await this.cancelOrder(attempt, 'mobile payment too late');
      throw expiredError();
    }
    if (!(await this.repository.claim(paymentId, request.paymentKey))) {
      throw new DomainError('conflict', 'payment_in_progress', 'Another payment for this order is being confirmed.');
    }

    let payment: GatewayPayment;
    try {
      payment = await this.gateway.confirm({
        reference: request.paymentKey,
        orderId: paymentId,
        amount: attempt.amount,
        idempotencyKey: `confirm:${paymentId}:${request.paymentKey}`,
      });
    } catch (error) {
      if (error instanceof PaymentGatewayError && error.kind === 'declined') {
        await this.decline(attempt, `${error.code}: ${error.message}`.slice(0, 300), error.code);
        return this.describe(paymentId);
      }
      throw this.gatewayFault(error, paymentId);
    }

    if (payment.status !== 'approved' || payment.orderId !== paymentId || payment.totalAmount !== attempt.amount) {
      // the gateway took something other than this order's amount: give it all back
      await this.refundAtGateway(attempt, request.paymentKey, 'amount_mismatch');
      throw new DomainError('conflict', 'amount_mismatch', 'The gateway approved a different amount; the payment was cancelled.');
    }
    await this.attempts.transition(paymentId, ['requested'], 'approved', { approvalNumber: payment.approvalNumber });
    try {
      await this.orders.confirmPayment(attempt.storeId, attempt.orderId, {
        method: 'mobile',
        amount: payment.totalAmount,
        approvalNumber: payment.approvalNumber,
        paidAt: payment.approvedAt ?? undefined,
      });
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'conflict') throw error;
      // the order expired, was cancelled or paid otherwise while the customer paid: money without an order, so it goes back
      await this.refundAtGateway(attempt, request.paymentKey, error.code);
      throw new DomainError('gone', 'order_expired', 'The order could no longer be paid; the payment was cancelled and you have not been charged.');
    }
    if (await this.attempts.transition(paymentId, ['approved'], 'confirmed')) {
      this.options.log.info({ paymentId, orderId: attempt.orderId, amount: attempt.amount }, 'mobile payment confirmed');
      await this.tellKiosk(attempt, { state: 'confirmed', orderNumber: facts.orderNumber, receipt: await this.issueReceipt(attempt) });
    }
    return this.describe(paymentId);
  }

  /**
   * The gateway's window sent the customer back without a payment (closed, refused by the card
   * company...) or the fake page's 취소: the order is cancelled, its stock back, and the kiosk
   * offers another way to pay.
   */
  async fail(paymentId: string, failure: { code: string; message?: string }): Promise<MobilePaymentView> {
    const attempt = await this.find(paymentId);
    if (!attempt) throw notFound();
    // a payment key being confirmed is past the window: its outcome is the confirmation's
    if (attempt.state === 'requested' && attempt.providerReference === null) {
      await this.decline(attempt, [failure.code, failure.message].filter(Boolean).join(': ').slice(0, 300), failure.code);
    }
    return this.describe(paymentId);
  }

  /**
   * A pending order expired or was cancelled (OrdersService.onPendingEnded; its attempts are now void_requested): a
   * payment key whose confirmation we never heard the end of (a timeout, a restart) may have taken
   * the money, so the gateway is asked, and what it took goes back. Never throws.
   */
  async pendingEnded(ended: PendingEnded): Promise<void> {
    for (const { id } of ended.attempts.filter((attempt) => attempt.method === 'mobile')) {
      try {
        const attempt = await this.find(id);
        if (!attempt || attempt.state !== 'void_requested') continue;
        let taken = false;
        if (attempt.providerReference) {
          try {
            const payment = await this.gateway.get(attempt.providerReference);
            taken = payment.status === 'approved' || payment.status === 'partially_cancelled';
          } catch (error) {
            if (!(error instanceof PaymentGatewayError && error.kind === 'rejected')) throw error;
          }
        }
        if (taken) await this.refundAtGateway(attempt, attempt.providerReference!, ended.reason, false);
        else if (await this.attempts.transition(id, ['void_requested'], 'voided', { outcomeMessage: ended.reason })) {
          await this.tellKiosk(attempt, { state: 'cancelled', reason: ended.reason });
        }
      } catch (error) {
        // reconciliation lists an approved payment left without its order
        this.options.log.error({ err: error, paymentId: id }, 'a mobile payment of an expired or cancelled order could not be checked at the gateway');
      }
    }
  }

  /**
   * The owner refunded (part of) a mobile-paid order (OrdersService.onRefund; the refund is
   * pending): the gateway gives it back, and the refund is settled done or failed. Never throws.
   */
  async refund(refund: RefundRequest): Promise<void> {
    if (refund.method !== 'mobile') return;
    try {
      const attempt = await this.attempts.latestOfOrder(refund.orderId, { method: 'mobile' });
      if (attempt?.state !== 'confirmed' || !attempt.providerReference) {
        await this.attempts.settleRefund(refund.refundId, 'failed', {
          providerReference: null,
          outcomeMessage: 'no confirmed mobile payment for this order',
        });
        this.options.log.error({ refundId: refund.refundId, orderId: refund.orderId }, 'mobile refund: no confirmed payment of this order');
        return;
      }
      try {
        const payment = await this.gateway.cancel({
          reference: attempt.providerReference,
          reason: refund.reason,
          amount: refund.amount,
          idempotencyKey: `refund:${refund.refundId}`,
        });
        await this.attempts.settleRefund(refund.refundId, 'done', { providerReference: attempt.providerReference, outcomeMessage: null });
        this.options.log.info({ refundId: refund.refundId, amount: refund.amount, balance: payment.balanceAmount }, 'mobile payment refunded at the gateway');
      } catch (error) {
        // the POS shows the refund failed and reconciliation lists it: the money goes back by hand
        await this.attempts.settleRefund(refund.refundId, 'failed', {
          providerReference: attempt.providerReference,
          outcomeMessage: clip(error instanceof Error ? error.message : 'refund failed'),
        });
        this.options.log.error({ err: error, refundId: refund.refundId, orderId: refund.orderId }, 'the gateway did not refund a mobile payment');
      }
    } catch (error) {
      this.options.log.error({ err: error, refundId: refund.refundId }, 'mobile refund not settled');
    }
  }

  // --- inside ---

  /** a mobile attempt by its id, which comes from a URL (anything else than an attempt's id is none) */
  private async find(paymentId: string): Promise<PaymentAttempt | undefined> {
    return isAttemptId(paymentId) ? this.attempts.find(paymentId, 'mobile') : undefined;
  }

  private checkoutUrl(paymentId: string): string {
    return `${this.options.publicUrl.replace(/\/+$/, '')}/pay/${paymentId}`;
  }

  private view(facts: CheckoutFacts): MobilePaymentView {
    const { attempt } = facts;
    let state: MobilePaymentState;
    if (attempt.state === 'confirmed') state = 'paid';
    else if (attempt.state === 'declined') state = attempt.outcomeMessage === 'order_expired' ? 'expired' : 'declined';
    else if (attempt.state !== 'requested' && attempt.state !== 'approved') {
      state = attempt.outcomeMessage === 'order_expired' || (facts.payBy && facts.payBy <= this.now()) ? 'expired' : 'cancelled';
    } else if (facts.orderStatus === 'cancelled') state = 'cancelled';
    else if (facts.payBy && facts.payBy <= this.now()) state = 'expired';
    else state = 'awaiting';
    const more = facts.lineCount - 1;
    const orderName = facts.firstItemName ? (more > 0 ? `${facts.firstItemName} 외 ${more}건` : facts.firstItemName) : `주문 ${facts.orderNumber}`;
    return {
      paymentId: attempt.id,
      storeName: facts.storeName,
      orderNumber: facts.orderNumber,
      orderName: orderName.slice(0, 100),
      amount: attempt.amount,
      state,
      payBy: facts.payBy,
      reason: state === 'declined' || state === 'cancelled' ? attempt.outcomeMessage : null,
      checkout: this.gateway.checkout(),
    };
  }

  /** the payment failed before any money moved: attempt declined, order cancelled (stock back), the kiosk told */
  private async decline(attempt: PaymentAttempt, message: string, reason = message, kioskState: PaymentEventData['state'] = 'declined'): Promise<void> {
    if (!(await this.attempts.transition(attempt.id, ['requested'], 'declined', { outcomeMessage: clip(message) }))) return;
    await this.cancelOrder(attempt, `mobile payment ${reason}`.slice(0, 200));
    await this.tellKiosk(attempt, { state: kioskState, reason: reason.slice(0, 120) });
  }

  /** money was taken for an order that cannot have it: cancel the whole payment at the gateway */
  private async refundAtGateway(attempt: PaymentAttempt, reference: string, reason: string, cancelOrder = true): Promise<void> {
    await this.attempts.transition(attempt.id, ['requested', 'approved', 'declined'], 'void_requested', { outcomeMessage: clip(reason) });
    try {
      await this.gateway.cancel({ reference, reason: `order not paid: ${reason}`, idempotencyKey: `void:${attempt.id}` });
      await this.attempts.transition(attempt.id, ['void_requested'], 'voided');
      this.options.log.warn({ paymentId: attempt.id, orderId: attempt.orderId, reason }, 'mobile payment cancelled at the gateway: no order for it');
    } catch (error) {
      // reconciliation lists it; the money must be given back by hand
      await this.attempts.transition(attempt.id, ['void_requested', 'voided'], 'void_failed', {
        outcomeMessage: clip(`${reason}; cancel failed: ${error instanceof Error ? error.message : 'unknown'}`),
      });
      this.options.log.error(
        { err: error, paymentId: attempt.id, orderId: attempt.orderId },
        'a mobile payment without an order could not be cancelled at the gateway',
      );
    }
    if (cancelOrder) await this.cancelOrder(attempt, `mobile payment ${reason}`);
    await this.tellKiosk(attempt, { state: 'voided', reason });
  }

  private async cancelOrder(attempt: PaymentAttempt, reason: string): Promise<void> {
    try {
      await this.orders.cancel(attempt.storeId, attempt.orderId, reason);
    } catch (error) {
      // already cancelled (expired, or by the kiosk): nothing more to give back
      if (!(error instanceof DomainError) || (error.kind !== 'conflict' && error.kind !== 'not_found')) throw error;
    }
  }

  private gatewayFault(error: unknown, paymentId: string): DomainError {
    if (error instanceof PaymentGatewayError && error.kind === 'unauthorized') {
      this.options.log.error(
        { paymentId, code: error.code, status: error.status },
        'the payment gateway refused our key: check TOSS_SECRET_KEY (docs/configuration.md); mobile payments cannot be confirmed',
      );
    } else {
      this.options.log.warn({ err: error, paymentId }, 'the payment gateway did not answer a confirmation');
    }
    // the order stays pending: the same payment key may be confirmed again (idempotent) until it expires
    return new DomainError(
      'unavailable',
      'payment_gateway_unavailable',
      'The payment could not be confirmed right now. You have not been charged; please try again or pay another way.',
    );
  }

  private async issueReceipt(attempt: PaymentAttempt): Promise<{ url: string; print: ReceiptPrintView } | undefined> {
    if (!this.receipts) return undefined;
    try {
      return await this.receipts.issue(attempt.storeId, attempt.orderId, attempt.kioskId ? { printOn: attempt.kioskId } : {});
    } catch (error) {
      this.options.log.warn({ err: error, orderId: attempt.orderId }, 'no receipt for a mobile payment');
      return undefined;
    }
  }

  private async tellKiosk(attempt: PaymentAttempt, data: Omit<PaymentEventData, 'orderId' | 'paymentId'>): Promise<void> {
    if (!attempt.kioskId) return;
    try {
      await this.live.publish(attempt.kioskId, { event: 'payment', data: { orderId: attempt.orderId, paymentId: attempt.id, ...data } });
    } catch (error) {
      // the kiosk also reads its order's state when it reconnects (GET kiosk-orders/:orderId)
      this.options.log.warn({ err: error, paymentId: attempt.id }, 'kiosk not told of its mobile payment');
    }
  }
}

function expiredError(): DomainError {
  return new DomainError('gone', 'order_expired', 'The time to pay this order has passed. You have not been charged.');
}

/** what of a message the attempt or refund keeps */
function clip(message: string): string {
  return message.slice(0, 300);
}

function notFound(): DomainError {
  return new DomainError('not_found', 'payment_not_found', 'No such payment.');
}
