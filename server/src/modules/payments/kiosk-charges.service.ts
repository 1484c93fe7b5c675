// Card payment at the kiosk (docs/payments.md, "Card at the kiosk"): the order is placed pending,
// a Charge goes to the kiosk's device agent, and the agent's ReportPayment decides. Every report is
// answered the same way however often it comes: the attempt's state moves by conditional updates,
// and confirmPayment itself counts an order's money once. No HTTP and no gRPC here.
import type { PaidMethod } from '../../platform/db/schema.js';
import type { Database } from '../../platform/db/database.js';
import { DomainError } from '../../platform/http/errors.js';
import type { DeviceIdentity } from '../devices/device-auth.js';
import type { DeviceCommand } from '../devices/device-connections.js';
import type { PaymentDecision, PaymentReport, PaymentReportHandler } from '../devices/devices.service.js';
import type { PaymentEventData, PeripheralsView } from '../kiosk-live/kiosk-live.events.js';
import type { PendingEnded } from '../orders/orders.service.js';
import type { KioskPaymentStarter, PaymentStart, PendingOrder } from '../orders/payment.js';
import { KioskChargesRepository } from './kiosk-charges.repository.js';
import { type PaymentAttempt, PaymentAttemptsRepository } from './payment-attempts.repository.js';

/** what the charges need of the devices module */
export interface CardDevices {
  sendCommand(kioskId: string, command: DeviceCommand): Promise<void>;
  isOnline(kioskId: string): Promise<boolean>;
  peripheralsOf(kioskId: string): Promise<PeripheralsView>;
}

/** what the charges need of the orders module (OrdersService) */
export interface OrdersForCharges {
  confirmPayment(
    storeId: string,
    orderId: string,
    payment: { method: PaidMethod; amount: number; approvalNumber: string | null; paidAt?: Date },
  ): Promise<unknown>;
  cancel(storeId: string, orderId: string, reason: string): Promise<unknown>;
  reverseConfirmedPayment(storeId: string, orderId: string, reason: string): Promise<unknown>;
}

/** the receipts module, when there is one: a receipt for the order, printed on the kiosk */
export interface ReceiptIssuer {
  issue(storeId: string, orderId: string, options: { printOn?: string }): Promise<{ url: string; print: 'printing' | 'none' }>;
}

export interface KioskChargesOptions {
  db: Database;
  devices: CardDevices;
  orders: OrdersForCharges;
  /** the kiosk's screen (KioskLiveService.publish) */
  live: { publish(kioskId: string, event: { event: 'payment'; data: PaymentEventData }): Promise<unknown> };
  receipts?: ReceiptIssuer;
  /** the longest a customer gets to present a card */
  cardTimeoutMs: number;
  log: { info(object: object, message: string): void; warn(object: object, message: string): void; error(object: object, message: string): void };
}

/** voids and refunds older than this are left to reconciliation rather than sent again */
const RESEND_WITHIN_MS = 24 * 3_600_000;
const DECLINE_STATES = { DECLINED: 'declined', TIMED_OUT: 'timed_out', CARD_REMOVED: 'card_removed' } as const;

function decision(action: PaymentDecision['action'], orderNumber = 0, reason = ''): PaymentDecision {
  return { action, orderNumber, reason };
}

export class KioskChargesService implements KioskPaymentStarter, PaymentReportHandler {
  private readonly repository: KioskChargesRepository;
  private readonly attempts: PaymentAttemptsRepository;

  constructor(private readonly options: KioskChargesOptions) {
    this.repository = new KioskChargesRepository(options.db);
    this.attempts = new PaymentAttemptsRepository(options.db);
  }

  // ---- placing a card order (orders.service calls these)

  async check(_storeId: string, kioskId: string | null): Promise<void> {
    const ready = kioskId !== null && (await this.options.devices.peripheralsOf(kioskId)).cardTerminal === 'ready';
    if (!ready) {
      throw new DomainError('conflict', 'card_terminal_unavailable', "This kiosk's card terminal is not available right now: pay by phone or at the counter.");
    }
  }

  async start(order: PendingOrder): Promise<PaymentStart> {
    const kioskId = order.kioskId!;
    // an approval the server has not confirmed by the time the order expires is voided by the agent
    const attempt = await this.attempts.insert({
      storeId: order.storeId,
      orderId: order.id,
      kioskId,
      method: 'card',
      amount: order.total,
      confirmBy: order.payBy,
    });
    await this.options.devices.sendCommand(kioskId, {
      charge: {
        paymentId: attempt.id,
        orderId: order.id,
        orderNumber: order.number,
        amount: order.total,
        cardTimeoutMs: this.options.cardTimeoutMs,
        confirmByMs: order.payBy.getTime(),
      },
    });
    this.options.log.info({ kioskId, orderId: order.id, paymentId: attempt.id, amount: order.total }, 'card charge sent');
    await this.tell(attempt, { state: 'waiting_for_card' });
    return { status: 'pending', paymentId: attempt.id, payBy: order.payBy };
  }

  async current(orderId: string): Promise<PaymentStart | undefined> {
    const row = await this.options.db.selectFrom('orders').select(['store_id', 'payment_status', 'pay_by']).where('id', '=', orderId).executeTakeFirst();
    if (!row) return undefined;
    const attempt = await this.attempts.latestOfOrder(orderId, { storeId: row.store_id, method: 'card' });
    const status = row.payment_status === 'pending' || row.payment_status === 'unpaid' ? row.payment_status : 'paid';
    return { status, paymentId: attempt?.id, payBy: row.pay_by ?? undefined };
  }

  // ---- the agent's reports (ReportPayment)

  async report(device: DeviceIdentity, report: PaymentReport): Promise<PaymentDecision> {
    if (report.outcome === 'REFUNDED' || report.outcome === 'REFUND_FAILED') return this.refundSettled(device, report);
    const attempt = await this.attempts.find(report.paymentId);
    if (!attempt || attempt.kioskId !== device.kioskId || attempt.method !== 'card') {
      throw new DomainError('not_found', 'payment_not_found', 'This kiosk has no such charge.');
    }
    this.options.log.info({ kioskId: device.kioskId, paymentId: attempt.id, outcome: report.outcome, state: attempt.state }, 'payment report');
    switch (report.outcome) {
      case 'APPROVED':
        return this.approved(attempt, report);
      case 'DECLINED':
      case 'TIMED_OUT':
      case 'CARD_REMOVED': {
        const state = DECLINE_STATES[report.outcome];
        if (await this.attempts.transition(attempt.id, ['requested'], 'declined', { outcomeMessage: report.message || state })) {
          await this.cancelPendingOrder(attempt, `card ${state}`);
          await this.tell(attempt, { state, ...(report.message ? { reason: report.message } : {}) });
        }
        return decision('ACKNOWLEDGED');
      }
      case 'VOIDED':
        await this.voided(attempt, report);
        return decision('ACKNOWLEDGED');
      case 'VOID_FAILED':
        // the charge may stand: reconciliation lists the attempt; the order is not made from it
        if (
          await this.attempts.transition(attempt.id, ['requested', 'approved', 'void_requested'], 'void_failed', {
            outcomeMessage: report.message || 'void_failed',
          })
        ) {
          this.options.log.error({ kioskId: device.kioskId, paymentId: attempt.id, message: report.message }, 'card void failed: the charge may stand');
          if (await this.cancelPendingOrder(attempt, 'card void failed')) await this.tell(attempt, { state: 'cancelled', reason: 'void_failed' });
        }
        return decision('ACKNOWLEDGED');
      default:
        throw new DomainError('invalid', 'invalid_outcome', `"${report.outcome}" is not an outcome of a charge.`);
    }
  }

  private async approved(attempt: PaymentAttempt, report: PaymentReport): Promise<PaymentDecision> {
    const order = await this.repository.findOrder(attempt.storeId, attempt.orderId);
    const number = order?.number ?? 0;
    if (attempt.state === 'confirmed') return decision('CONFIRMED', number);
    if (attempt.state !== 'requested' && attempt.state !== 'approved') return decision('VOID', number, attempt.outcomeMessage ?? 'order_cancelled');
    const terminal = { approvalNumber: report.approvalNumber || null, providerReference: report.terminalReference || null };
    if (report.amount !== attempt.amount) return this.refuse(attempt, 'amount_mismatch', terminal);
    if (attempt.confirmBy && Date.now() > attempt.confirmBy.getTime()) return this.refuse(attempt, 'order_expired', terminal);
    await this.attempts.transition(attempt.id, ['requested'], 'approved', terminal);
    try {
      await this.options.orders.confirmPayment(attempt.storeId, attempt.orderId, {
        method: 'kiosk_card',
        amount: attempt.amount,
        approvalNumber: terminal.approvalNumber,
        paidAt: report.occurredAtMs > 0 ? new Date(Math.min(report.occurredAtMs, Date.now())) : undefined,
      });
    } catch (error) {
      // the order expired or was cancelled meanwhile: the money goes back
      if (error instanceof DomainError && error.kind === 'conflict') return this.refuse(attempt, error.code, terminal);
      throw error;
    }
    if (await this.attempts.transition(attempt.id, ['approved'], 'confirmed')) {
      this.options.log.info({ kioskId: attempt.kioskId, orderId: attempt.orderId, paymentId: attempt.id }, 'card payment confirmed');
      await this.announceConfirmed(attempt, number);
    }
    return decision('CONFIRMED', number);
  }

  /** the order cannot be made from this approval: the agent voids the charge */
  private async refuse(
    attempt: PaymentAttempt,
    reason: string,
    terminal: { approvalNumber: string | null; providerReference: string | null },
  ): Promise<PaymentDecision> {
    const order = await this.repository.findOrder(attempt.storeId, attempt.orderId);
    if (await this.attempts.transition(attempt.id, ['requested', 'approved'], 'void_requested', { ...terminal, outcomeMessage: reason })) {
      this.options.log.warn({ kioskId: attempt.kioskId, orderId: attempt.orderId, paymentId: attempt.id, reason }, 'card approval refused: voiding');
      if (await this.cancelPendingOrder(attempt, `card payment refused: ${reason}`)) await this.tell(attempt, { state: 'cancelled', reason });
      return decision('VOID', order?.number ?? 0, reason);
    }
    const now = await this.attempts.find(attempt.id);
    if (now?.state === 'confirmed') return decision('CONFIRMED', order?.number ?? 0);
    return decision('VOID', order?.number ?? 0, now?.outcomeMessage ?? reason);
  }

  private async voided(attempt: PaymentAttempt, report: PaymentReport): Promise<void> {
    const moved = await this.attempts.transition(attempt.id, ['requested', 'approved', 'confirmed', 'void_requested', 'void_failed'], 'voided', {
      outcomeMessage: attempt.outcomeMessage ?? (report.message || 'voided'),
    });
    if (!moved) return;
    const order = await this.repository.findOrder(attempt.storeId, attempt.orderId);
    // confirmed (even if the attempt's own state did not say so yet): the order is undone and leaves the sales figures
    const paidByThis =
      order !== undefined &&
      (order.paymentStatus === 'paid' || order.paymentStatus === 'partially_refunded') &&
      order.paidMethod === 'kiosk_card' &&
      (attempt.state === 'confirmed' || (attempt.approvalNumber !== null && order.approvalNumber === attempt.approvalNumber));
    if (paidByThis) {
      this.options.log.warn(
        { kioskId: attempt.kioskId, orderId: attempt.orderId, paymentId: attempt.id },
        'a confirmed card charge was voided: order reversed',
      );
      await this.options.orders.reverseConfirmedPayment(attempt.storeId, attempt.orderId, 'card charge voided');
    } else {
      await this.cancelPendingOrder(attempt, 'card charge voided');
    }
    await this.tell(attempt, { state: 'voided', ...(attempt.outcomeMessage ? { reason: attempt.outcomeMessage } : {}) });
  }

  private async refundSettled(device: DeviceIdentity, report: PaymentReport): Promise<PaymentDecision> {
    const refund = await this.repository.findRefund(report.paymentId);
    if (!refund || refund.storeId !== device.storeId) throw new DomainError('not_found', 'refund_not_found', 'This store has no such refund.');
    const state = report.outcome === 'REFUNDED' ? 'done' : 'failed';
    if (await this.attempts.settleRefund(refund.id, state, { providerReference: report.terminalReference || null, outcomeMessage: report.message || null })) {
      const log = state === 'done' ? this.options.log.info : this.options.log.error;
      log.call(this.options.log, { kioskId: device.kioskId, refundId: refund.id, orderId: refund.orderId, message: report.message }, `card refund ${state}`);
    }
    return decision('ACKNOWLEDGED');
  }

  // ---- the kiosk gives up, the order expires, the owner refunds

  /**
   * The customer stopped waiting for the card (POST .../kiosk-orders/:orderId/payment/cancel): the
   * agent aborts the terminal's sale or voids it, and the order is cancelled. Asking again answers
   * the same.
   */
  async cancelByKiosk(storeId: string, kioskId: string, orderId: string): Promise<{ orderId: string; paymentId: string; state: PaymentAttempt['state'] }> {
    const attempt = await this.attempts.latestOfOrder(orderId, { storeId });
    if (!attempt || attempt.kioskId !== kioskId) throw new DomainError('not_found', 'payment_not_found', 'This kiosk has no payment under way for this order.');
    if (await this.attempts.transition(attempt.id, ['requested'], 'void_requested', { outcomeMessage: 'customer_cancelled' })) {
      if (attempt.method === 'card') await this.options.devices.sendCommand(kioskId, { voidPayment: { paymentId: attempt.id, reason: 'customer_cancelled' } });
      await this.cancelPendingOrder(attempt, 'customer cancelled the payment');
      await this.tell(attempt, { state: 'cancelled', reason: 'customer_cancelled' });
      this.options.log.info({ kioskId, orderId, paymentId: attempt.id }, 'card payment cancelled at the kiosk');
    }
    const now = (await this.attempts.find(attempt.id))!;
    if (now.state === 'confirmed') throw new DomainError('conflict', 'already_paid', 'The payment went through already: the order stands.');
    if (now.state === 'approved') throw new DomainError('conflict', 'payment_completing', 'The card was just approved; the order is being confirmed.');
    return { orderId, paymentId: now.id, state: now.state };
  }

  /**
   * A pending order expired or was cancelled at the counter (OrdersService.onPendingEnded; its
   * attempts are now void_requested): the card charges under way are voided on the terminal. Never throws.
   */
  async voidCharges(ended: PendingEnded): Promise<void> {
    for (const { id } of ended.attempts.filter((attempt) => attempt.method === 'card')) {
      try {
        const attempt = await this.attempts.find(id);
        if (!attempt?.kioskId || attempt.state !== 'void_requested') continue;
        await this.options.devices.sendCommand(attempt.kioskId, { voidPayment: { paymentId: attempt.id, reason: ended.reason } });
        await this.tell(attempt, { state: 'cancelled', reason: ended.reason });
      } catch (error) {
        // the agent voids an unconfirmed approval past confirm_by on its own
        this.options.log.error({ err: error, paymentId: id }, 'void of a charge under way not sent');
      }
    }
  }

  /** the owner refunded a kiosk-card order (OrdersService.onRefund): the terminal that took the charge gives the money back; never throws */
  async refundOnTerminal(refund: {
    refundId: string;
    storeId: string;
    orderId: string;
    method: PaidMethod;
    amount: number;
    approvalNumber: string | null;
  }): Promise<void> {
    if (refund.method !== 'kiosk_card') return;
    try {
      const attempt = await this.attempts.latestOfOrder(refund.orderId, { storeId: refund.storeId, method: 'card' });
      if (!attempt?.kioskId || attempt.state !== 'confirmed') {
        this.options.log.warn({ ...refund }, 'card refund: no confirmed charge of this order; left pending');
        return;
      }
      // a refund sent while the agent is away stays pending: the POS shows it and reconciliation lists it
      await this.options.devices.sendCommand(attempt.kioskId, {
        refundPayment: {
          refundId: refund.refundId,
          paymentId: attempt.id,
          approvalNumber: refund.approvalNumber ?? attempt.approvalNumber ?? '',
          amount: refund.amount,
        },
      });
    } catch (error) {
      this.options.log.error({ err: error, refundId: refund.refundId }, 'card refund not sent to the terminal');
    }
  }

  /** the kiosk's agent (re)connected: the voids and refunds it may have missed go again (it settles each once) */
  async resendUnanswered(kioskId: string): Promise<void> {
    const { voids, refunds } = await this.repository.unansweredForKiosk(kioskId, new Date(Date.now() - RESEND_WITHIN_MS));
    for (const attempt of voids) {
      await this.options.devices.sendCommand(kioskId, { voidPayment: { paymentId: attempt.id, reason: attempt.outcomeMessage ?? 'void_requested' } });
    }
    for (const { refundId, amount, attempt } of refunds) {
      await this.options.devices.sendCommand(kioskId, {
        refundPayment: { refundId, paymentId: attempt.id, approvalNumber: attempt.approvalNumber ?? '', amount },
      });
    }
    if (voids.length + refunds.length > 0)
      this.options.log.info({ kioskId, voids: voids.length, refunds: refunds.length }, 'card voids and refunds sent again');
  }

  // ---- helpers

  /** true when the order was still pending and is now cancelled (stock back) */
  private async cancelPendingOrder(attempt: PaymentAttempt, reason: string): Promise<boolean> {
    const order = await this.repository.findOrder(attempt.storeId, attempt.orderId);
    if (!order || order.status === 'cancelled' || order.paymentStatus !== 'pending') return false;
    try {
      await this.options.orders.cancel(attempt.storeId, attempt.orderId, reason);
      return true;
    } catch (error) {
      // cancelled meanwhile by the kiosk, the expiry job or another report
      if (error instanceof DomainError && error.kind === 'conflict') return false;
      throw error;
    }
  }

  private async announceConfirmed(attempt: PaymentAttempt, orderNumber: number): Promise<void> {
    let receipt: PaymentEventData['receipt'];
    if (this.options.receipts) {
      try {
        receipt = await this.options.receipts.issue(attempt.storeId, attempt.orderId, { printOn: attempt.kioskId ?? undefined });
      } catch (error) {
        // the order stands without a receipt: the POS can print one again
        this.options.log.error({ err: error, orderId: attempt.orderId }, 'receipt not issued');
      }
    }
    await this.tell(attempt, { state: 'confirmed', orderNumber, ...(receipt ? { receipt: { url: receipt.url, print: receipt.print } } : {}) });
  }

  /** the kiosk's screen hears it; a screen that misses it reads GET .../kiosk-orders/:orderId */
  private async tell(attempt: PaymentAttempt, data: Omit<PaymentEventData, 'orderId' | 'paymentId'>): Promise<void> {
    if (!attempt.kioskId) return;
    await this.options.live
      .publish(attempt.kioskId, { event: 'payment', data: { orderId: attempt.orderId, paymentId: attempt.id, ...data } })
      .catch((error: unknown) => this.options.log.warn({ err: error, kioskId: attempt.kioskId }, 'payment event not delivered'));
  }
}
