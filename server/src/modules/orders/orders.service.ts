// Orders from kiosks: prices and totals computed here from the menu as read when ordering (what
// the client says a price is, is ignored), stock taken atomically and never below zero, one order
// per Idempotency-Key, statuses that only move forward. Its money (docs/payments.md): placed
// unpaid (counter) or pending (a charge at the kiosk), counted in the day's sales aggregates when
// it becomes paid and taken out by refunds, each in one transaction with the change.
import { createHash } from 'node:crypto';
import type { Logged, ReplayableEvents } from '../../platform/bus/replayable-events.js';
import type { Database } from '../../platform/db/database.js';
import type { Dining, OrderLineOption, OrderStatus, PaidMethod, PaymentMethod, PaymentStatus } from '../../platform/db/schema.js';
import { DomainError } from '../../platform/http/errors.js';
import { daysBetween, localDate } from '../../platform/time/local-date.js';
import { hasSqlState, isUniqueViolation } from '../../platform/db/errors.js';
import {
  OrdersRepository,
  PLACE_ORDER_NOT_A_MEMBER,
  PLACE_ORDER_TOO_FEW_LEFT,
  toOrder,
  type ItemForOrdering,
  type Order,
  type OrderLine,
  type Refund,
} from './orders.repository.js';
import type { KioskPaymentStarter, KioskPaymentStarters, PaymentStart } from './payment.js';
import type { StaffCallEvent } from '../staff-calls/staff-calls.events.js';
import type { KioskPeripherals } from '../kiosks/kiosks.service.js';

export interface OrderRequest {
  lines: Array<{ itemId: string; quantity: number; optionIds?: string[]; note?: string | null }>;
  paymentMethod: PaymentMethod;
  /** eat-in or take-out: the kiosk always asks; an API client that says neither gets an order of unknown dining */
  dining?: Dining;
  customerId?: string | null;
  /** the total the customer was shown; when the menu changed meanwhile the order is refused */
  expectedTotal?: number;
}

export const MAX_ORDER_TOTAL = 10_000_000;
/** a line's note ("덜 달게"), in characters (code points) */
export const MAX_NOTE_LENGTH = 40;
export const MAX_RANGE_DAYS = 366;
const STATUS_ORDER: OrderStatus[] = ['placed', 'preparing', 'ready', 'completed'];

export type OrderEvent = { type: 'order.placed' | 'order.updated'; order: Order };

/** money to give back through the kiosk's terminal or the gateway (the refund is `pending` until they answer) */
export interface RefundRequest {
  refundId: string;
  storeId: string;
  orderId: string;
  kioskId: string | null;
  /** kiosk_card or mobile: each listener takes its own */
  method: PaidMethod;
  amount: number;
  reason: string;
  /** the charge's approval number (the terminal refunds by it) */
  approvalNumber: string | null;
}

/** a pending order (a charge at the kiosk under way) that expired or was cancelled at the counter: its charges under way are now `void_requested` */
export interface PendingEnded {
  reason: 'order_expired' | 'order_cancelled';
  storeId: string;
  orderId: string;
  kioskId: string | null;
  attempts: Array<{ id: string; kioskId: string | null; method: 'card' | 'mobile' }>;
}

export interface OrdersOptions {
  /** how long a card or mobile charge at the kiosk may take before the order expires */
  pendingPaymentMinutes: number;
}
/** a kiosk's card terminal or printer changed, or its agent came or went (modules/devices) */
export type KioskPeripheralsEvent = { type: 'kiosk.peripherals'; peripherals: KioskPeripherals & { kioskId: string } };
/** everything on a store's live stream to its POS: its orders, its staff calls (modules/staff-calls) and its kiosks' peripherals */
export type StoreLiveEvent = OrderEvent | StaffCallEvent | KioskPeripheralsEvent;

/** what a store live event carries as its data */
export function payloadOf(event: StoreLiveEvent): object {
  if ('order' in event) return event.order;
  if ('call' in event) return event.call;
  return event.peripherals;
}

export class OrdersService {
  /** what follows an order becoming ready (the member's text message, docs/messaging.md); never throws */
  private readyListener?: (storeId: string, orderId: string) => Promise<void>;
  private readonly refundListeners: Array<(refund: RefundRequest) => Promise<void>> = [];
  private readonly pendingEndedListeners: Array<(ended: PendingEnded) => Promise<void>> = [];

  constructor(
    private readonly db: Database,
    /** the POS's live orders, per store: ids and a replay log, like the kiosk's screen */
    private readonly liveOrders: ReplayableEvents<StoreLiveEvent>,
    /**
     * who takes card and mobile payments at the kiosk; read at every order, so app.ts may add a
     * starter after constructing this service (starters need it to confirm their payments)
     */
    private readonly starters: KioskPaymentStarters,
    private readonly options: OrdersOptions = { pendingPaymentMinutes: 3 },
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Places an order. With an idempotency key, a retried request (same key, same content) answers
   * the order placed the first time, however many times it is sent and even concurrently.
   * `counter`: placed unpaid (pay-by = now + the store's unpaid expiry), on the POS at once.
   * `card` / `mobile`: refused before anything is written when no starter can take it here; else
   * placed pending (stock held, pay-by = now + PENDING_PAYMENT_MINUTES) and the starter starts the
   * charge. A pending order reaches the POS and the kitchen once paid (confirmPayment).
   */
  async place(
    storeId: string,
    kioskId: string | null,
    request: OrderRequest,
    idempotencyKey: string | null,
  ): Promise<{ order: Order; replayed: boolean; payment: PaymentStart }> {
    const requestHash = hashRequest(request);
    if (idempotencyKey) {
      const earlier = await this.replay(storeId, idempotencyKey, requestHash);
      if (earlier) {
        await this.announceAgain(earlier.order);
        return earlier;
      }
    }
    const starter = await this.starterFor(storeId, kioskId, request.paymentMethod);
    let order: Order;
    try {
      // no surrounding transaction: the reads need no lock and the writes are one statement
      order = await this.placeIn(new OrdersRepository(this.db), storeId, kioskId, request, idempotencyKey, requestHash);
    } catch (error) {
      // the same key was committed by a concurrent request a moment ago: answer that order
      if (idempotencyKey && isUniqueViolation(error)) {
        const earlier = await this.replay(storeId, idempotencyKey, requestHash);
        if (earlier) return earlier;
      }
      throw error;
    }
    if (!starter) {
      await this.publish('order.placed', order);
      return { order, replayed: false, payment: { status: 'unpaid', payBy: order.payment.payBy ?? undefined } };
    }
    try {
      const payment = await starter.start({
        id: order.id,
        storeId,
        kioskId,
        number: order.number,
        total: order.total,
        payBy: order.payment.payBy!,
      });
      return { order, replayed: false, payment };
    } catch (error) {
      // the charge could not start: the order goes (its stock back) rather than wait to expire
      await this.cancel(storeId, order.id, 'payment could not start').catch(() => undefined);
      throw error;
    }
  }

  /** the starter for a card or mobile order, after it said this kiosk can take it now; none for counter */
  private async starterFor(storeId: string, kioskId: string | null, method: PaymentMethod): Promise<KioskPaymentStarter | undefined> {
    if (method === 'counter') return undefined;
    const starter = this.starters[method];
    if (!starter) {
      throw method === 'card'
        ? new DomainError('conflict', 'card_terminal_unavailable', 'Card payment is not available at this kiosk now. Please choose another way to pay.')
        : new DomainError('conflict', 'mobile_payment_unavailable', 'Mobile payment is not available now. Please choose another way to pay.');
    }
    await starter.check(storeId, kioskId);
    return starter;
  }

  /** the kiosk's order with its payment as it stands (a page reloaded mid-payment picks up from it) */
  async kioskOrder(storeId: string, orderId: string): Promise<{ order: Order; payment: PaymentStart }> {
    const order = await this.get(storeId, orderId);
    return { order, payment: await this.paymentStartOf(order) };
  }

  private async paymentStartOf(order: Order): Promise<PaymentStart> {
    if (order.payment.status === 'pending') {
      const current = await this.starters[order.paymentMethod as 'card' | 'mobile']?.current(order.id);
      if (current) return current;
      return { status: 'pending', payBy: order.payment.payBy ?? undefined };
    }
    if (order.payment.status === 'unpaid') return { status: 'unpaid', payBy: order.payment.payBy ?? undefined };
    return { status: 'paid' };
  }

  async get(storeId: string, orderId: string): Promise<Order> {
    const order = await new OrdersRepository(this.db).find(storeId, orderId);
    if (!order) throw orderNotFound();
    return order;
  }

  async list(
    storeId: string,
    query: { from: string; to: string; statuses?: OrderStatus[]; paymentStatuses?: PaymentStatus[]; page: number; pageSize: number },
  ): Promise<{ orders: Order[]; total: number; page: number; pageSize: number }> {
    checkRange(query.from, query.to);
    const { orders, total } = await new OrdersRepository(this.db).list(storeId, {
      from: query.from,
      to: query.to,
      statuses: query.statuses,
      paymentStatuses: query.paymentStatuses,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return { orders, total, page: query.page, pageSize: query.pageSize };
  }

  /** moves an order forward: placed -> preparing -> ready -> completed (never back) */
  async advance(storeId: string, orderId: string, to: Exclude<OrderStatus, 'cancelled' | 'placed'>): Promise<Order> {
    const target = STATUS_ORDER.indexOf(to);
    const from = STATUS_ORDER.slice(0, target);
    const repository = new OrdersRepository(this.db);
    if (!(await repository.changeStatus(storeId, orderId, from, to))) {
      const current = await repository.find(storeId, orderId);
      if (!current) throw orderNotFound();
      throw new DomainError('conflict', 'invalid_status_transition', `An order that is ${current.status} cannot become ${to}.`, {
        from: current.status,
        to,
      });
    }
    const order = await this.get(storeId, orderId);
    await this.publish('order.updated', order);
    // stores the notification only (the provider is called after, in the background)
    if (to === 'ready') await this.readyListener?.(storeId, orderId).catch(() => undefined);
    return order;
  }

  /** called once each time an order becomes ready, after that change is committed */
  onReady(listener: (storeId: string, orderId: string) => Promise<void>): void {
    this.readyListener = listener;
  }

  /**
   * Cancels an order with a reason: its stock comes back. A pending or unpaid order was never
   * counted in the sales figures; a paid (or partly refunded) one is refunded the rest (a refunds
   * row, `pending` for a kiosk card or mobile payment until the refund listeners' terminal or
   * gateway answers) and taken out of the figures, in the same transaction.
   */
  async cancel(storeId: string, orderId: string, reason: string, by: { accountId?: string | null } = {}): Promise<Order> {
    const trimmed = reason.trim();
    if (trimmed.length === 0) throw new DomainError('invalid', 'cancel_reason_required', 'Say why the order is cancelled.');
    let refund: Refund | undefined;
    let wasPending = false;
    let attempts: PendingEnded['attempts'] = [];
    const order = await this.db.transaction().execute(async (trx) => {
      const repository = new OrdersRepository(trx);
      const current = await repository.find(storeId, orderId, { lock: true });
      if (!current) throw orderNotFound();
      if (current.status === 'cancelled') throw new DomainError('conflict', 'already_cancelled', 'This order is already cancelled.');
      if (current.status === 'completed') throw new DomainError('conflict', 'order_completed', 'A picked-up order cannot be cancelled.');
      wasPending = current.payment.status === 'pending';
      await repository.changeStatus(storeId, orderId, [current.status], 'cancelled', { cancelReason: trimmed });
      await repository.returnStock(quantitiesOf(current.lines));
      // charges still under way (the payment module settles its own before it cancels): voided below
      if (wasPending) attempts = await repository.requestVoidOfAttempts(orderId, 'order_cancelled');
      refund = await this.refundRestIn(repository, current, trimmed, by.accountId ?? null, providerRefundState(current));
      return (await repository.find(storeId, orderId))!;
    });
    if (attempts.length > 0) await this.tellPendingEnded({ reason: 'order_cancelled', storeId, orderId, kioskId: order.kioskId, attempts });
    // a pending order was never shown on the POS or in the kitchen
    if (!wasPending) await this.publish('order.updated', order);
    if (refund) await this.tellRefund(order, refund);
    return order;
  }

  /**
   * Marks a pending or unpaid order paid and counts it in the day's sales figures (on the order's
   * local date, whatever day it is paid), in one transaction. Idempotent: an order already paid by
   * the same method with the same approval number (and, when given, the same Idempotency-Key) is
   * answered as it is, counted once. Conflicts: `order_cancelled`, `already_paid` (paid otherwise),
   * `payment_pending` (a counter payment while a charge at the kiosk is under way),
   * `amount_mismatch` (the amount is not the order's total). Publishes `order.placed` when the
   * order was pending (the POS and the kitchen see a kiosk-charged order once it is paid), else
   * `order.updated`.
   */
  async confirmPayment(
    storeId: string,
    orderId: string,
    payment: { method: PaidMethod; amount: number; approvalNumber: string | null; paidAt?: Date; idempotencyKey?: string | null },
  ): Promise<Order> {
    const idempotencyKey = payment.idempotencyKey ?? null;
    let wasPending = false;
    let replayed = false;
    const order = await this.db.transaction().execute(async (trx) => {
      const repository = new OrdersRepository(trx);
      const current = await repository.find(storeId, orderId, { lock: true });
      if (!current) throw orderNotFound();
      if (current.payment.status !== 'pending' && current.payment.status !== 'unpaid') {
        const storedKey = await repository.paymentIdempotencyKeyOf(orderId);
        const sameKey = idempotencyKey === null || storedKey === null || storedKey === idempotencyKey;
        if (current.payment.method === payment.method && current.payment.approvalNumber === payment.approvalNumber && sameKey) {
          replayed = true;
          return current;
        }
        throw new DomainError('conflict', 'already_paid', 'This order is already paid.', { method: current.payment.method });
      }
      if (current.status === 'cancelled') throw new DomainError('conflict', 'order_cancelled', 'This order was cancelled.');
      const atCounter = payment.method === 'counter_cash' || payment.method === 'counter_card';
      if (atCounter && current.payment.status === 'pending') {
        throw new DomainError('conflict', 'payment_pending', 'A payment for this order is under way at the kiosk.');
      }
      if (payment.amount !== current.total) {
        throw new DomainError('conflict', 'amount_mismatch', `The amount due is ${current.total} won.`, { due: current.total, amount: payment.amount });
      }
      wasPending = current.payment.status === 'pending';
      await repository.markPaid(storeId, orderId, {
        method: payment.method,
        amount: payment.amount,
        approvalNumber: payment.approvalNumber,
        paidAt: payment.paidAt ?? this.now(),
        idempotencyKey,
      });
      const brandId = await repository.brandOf(storeId);
      await repository.addToSales(
        { storeId, brandId, localDate: current.localDate, dining: current.dining },
        { orders: 1, total: payment.amount },
        { sign: 1, totals: itemTotalsOf(current.lines) },
      );
      return (await repository.find(storeId, orderId))!;
    });
    if (!replayed) await this.publish(wasPending ? 'order.placed' : 'order.updated', order);
    return order;
  }

  /**
   * Gives back part or all of a paid order's money: `refunded_amount` grows, the payment becomes
   * `partially_refunded` or (all of it) `refunded`; the sales figures lose the amount from their
   * total, and the order from their count and item figures only when fully refunded. The order's
   * status does not change. Idempotent per Idempotency-Key (same amount and reason).
   * Conflicts: `order_not_paid`, `refund_exceeds_paid`, `idempotency_key_reused`.
   */
  async refund(
    storeId: string,
    orderId: string,
    request: { amount: number; reason: string; accountId: string | null; idempotencyKey: string | null },
  ): Promise<{ order: Order; refund: Refund; replayed: boolean }> {
    const reason = request.reason.trim();
    if (reason.length === 0) throw new DomainError('invalid', 'refund_reason_required', 'Say why the money is given back.');
    let replayed = false;
    const result = await this.db.transaction().execute(async (trx) => {
      const repository = new OrdersRepository(trx);
      const current = await repository.find(storeId, orderId, { lock: true });
      if (!current) throw orderNotFound();
      if (request.idempotencyKey) {
        const earlier = await repository.refundByIdempotencyKey(orderId, request.idempotencyKey);
        if (earlier) {
          if (earlier.amount !== request.amount || earlier.reason !== reason) {
            throw new DomainError('conflict', 'idempotency_key_reused', 'This Idempotency-Key was used for a different refund.');
          }
          replayed = true;
          return { order: current, refund: earlier };
        }
      }
      if (current.payment.status === 'pending' || current.payment.status === 'unpaid') {
        throw new DomainError('conflict', 'order_not_paid', 'This order has not been paid: there is nothing to refund.');
      }
      const refundable = current.payment.paidAmount - current.payment.refundedAmount;
      if (request.amount > refundable) {
        throw new DomainError('conflict', 'refund_exceeds_paid', `At most ${refundable} won can be refunded.`, { refundable, amount: request.amount });
      }
      const refund = await this.refundIn(repository, current, request.amount, reason, request.accountId, request.idempotencyKey, providerRefundState(current));
      return { order: (await repository.find(storeId, orderId))!, refund };
    });
    if (!replayed) {
      await this.publish('order.updated', result.order);
      await this.tellRefund(result.order, result.refund);
    }
    return { ...result, replayed };
  }

  async refundsOf(storeId: string, orderId: string): Promise<Refund[]> {
    await this.get(storeId, orderId);
    return new OrdersRepository(this.db).refundsOf(storeId, orderId);
  }

  /** the terminal's or gateway's answer to a pending refund (the refund listeners call it); false when it was not pending */
  settleRefund(refundId: string, outcome: { state: 'done' | 'failed'; providerReference?: string | null; message?: string | null }): Promise<boolean> {
    return new OrdersRepository(this.db).settleRefund(refundId, outcome);
  }

  /**
   * A confirmed kiosk charge that the terminal voided after all (the confirmation never reached the
   * agent): the order is cancelled, refunded in full (a `done` refund: the money is already back),
   * taken out of the sales figures, its stock back. Idempotent: a cancelled order is answered as it is.
   */
  async reverseConfirmedPayment(storeId: string, orderId: string, reason: string): Promise<Order> {
    const trimmed = reason.trim() || 'payment voided';
    let changed = false;
    const order = await this.db.transaction().execute(async (trx) => {
      const repository = new OrdersRepository(trx);
      const current = await repository.find(storeId, orderId, { lock: true });
      if (!current) throw orderNotFound();
      if (current.status === 'cancelled') return current;
      changed = true;
      await repository.changeStatus(storeId, orderId, [current.status], 'cancelled', { cancelReason: trimmed });
      await repository.returnStock(quantitiesOf(current.lines));
      await this.refundRestIn(repository, current, trimmed, null, 'done');
      return (await repository.find(storeId, orderId))!;
    });
    if (changed) await this.publish('order.updated', order);
    return order;
  }

  /**
   * Called after a refund of a `kiosk_card` or `mobile` payment is stored (`pending`): the listener
   * gives the money back through the terminal or the gateway and settles it (settleRefund). Every
   * listener gets every such refund and takes those of its method; it must not throw.
   */
  onRefund(listener: (refund: RefundRequest) => Promise<void>): void {
    this.refundListeners.push(listener);
  }

  /**
   * Called after a pending order expired (expireDue) or was cancelled with charges still under way
   * (cancel): the listener voids them, so the customer's card is not left waiting on the terminal.
   */
  onPendingEnded(listener: (ended: PendingEnded) => Promise<void>): void {
    this.pendingEndedListeners.push(listener);
  }

  private async tellPendingEnded(ended: PendingEnded): Promise<void> {
    for (const listener of this.pendingEndedListeners) await listener(ended).catch(() => undefined);
  }

  /**
   * Cancels the orders still `placed` and `unpaid` or `pending` past their pay-by time, their stock
   * back (the expiry job, once a minute across instances). A pending one's charges under way become
   * `void_requested` and the pending-expired listeners are told. Returns how many expired.
   */
  async expireDue(limit = 500): Promise<number> {
    const now = this.now();
    const due = await new OrdersRepository(this.db).dueForExpiry(now, limit);
    let expired = 0;
    for (const { storeId, orderId } of due) {
      let attempts: PendingEnded['attempts'] = [];
      let wasPending = false;
      const order = await this.db.transaction().execute(async (trx) => {
        const repository = new OrdersRepository(trx);
        const current = await repository.find(storeId, orderId, { lock: true });
        // paid, started or cancelled meanwhile: no longer due
        const stillDue =
          current &&
          current.status === 'placed' &&
          (current.payment.status === 'pending' || current.payment.status === 'unpaid') &&
          current.payment.payBy !== null &&
          current.payment.payBy <= now;
        if (!stillDue) return undefined;
        wasPending = current.payment.status === 'pending';
        const reason = wasPending ? 'payment not completed in time' : 'not paid in time';
        await repository.changeStatus(storeId, orderId, ['placed'], 'cancelled', { cancelReason: reason });
        await repository.returnStock(quantitiesOf(current.lines));
        if (wasPending) attempts = await repository.requestVoidOfAttempts(orderId, 'order_expired');
        return (await repository.find(storeId, orderId))!;
      });
      if (!order) continue;
      expired += 1;
      if (wasPending) {
        await this.tellPendingEnded({ reason: 'order_expired', storeId, orderId, kioskId: order.kioskId, attempts });
      } else {
        await this.publish('order.updated', order);
      }
    }
    return expired;
  }

  /** refunds what is left of a paid order's money (none when it was never paid) */
  private async refundRestIn(
    repository: OrdersRepository,
    current: Order,
    reason: string,
    accountId: string | null,
    state: 'pending' | 'done',
  ): Promise<Refund | undefined> {
    if (current.payment.status !== 'paid' && current.payment.status !== 'partially_refunded') return undefined;
    const rest = current.payment.paidAmount - current.payment.refundedAmount;
    return this.refundIn(repository, current, rest, reason, accountId, null, state);
  }

  private async refundIn(
    repository: OrdersRepository,
    current: Order,
    amount: number,
    reason: string,
    accountId: string | null,
    idempotencyKey: string | null,
    state: 'pending' | 'done',
  ): Promise<Refund> {
    const full = current.payment.refundedAmount + amount === current.payment.paidAmount;
    const refund = await repository.addRefund({
      storeId: current.storeId,
      orderId: current.id,
      amount,
      method: current.payment.method!,
      reason,
      accountId,
      idempotencyKey,
      state,
      paymentStatus: full ? 'refunded' : 'partially_refunded',
    });
    const brandId = await repository.brandOf(current.storeId);
    // counted: paid − refunded; the order and its items leave the figures once nothing is left
    await repository.addToSales(
      { storeId: current.storeId, brandId, localDate: current.localDate, dining: current.dining },
      { orders: full ? -1 : 0, total: -amount },
      full ? { sign: -1, totals: itemTotalsOf(current.lines) } : undefined,
    );
    return refund;
  }

  private async tellRefund(order: Order, refund: Refund): Promise<void> {
    if (refund.state !== 'pending') return;
    const request: RefundRequest = {
      refundId: refund.id,
      storeId: order.storeId,
      orderId: order.id,
      kioskId: order.kioskId,
      method: refund.method,
      amount: refund.amount,
      reason: refund.reason,
      approvalNumber: order.payment.approvalNumber,
    };
    for (const listener of this.refundListeners) await listener(request).catch(() => undefined);
  }

  /** for a known customer: what they order most, and their last order */
  async recommendationsFor(
    storeId: string,
    customerId: string,
  ): Promise<{ topItems: Array<{ itemId: string; name: string; quantity: number }>; lastOrder: Order | null }> {
    const repository = new OrdersRepository(this.db);
    const [topItems, lastOrder] = await Promise.all([repository.topItemsOf(storeId, customerId, 3), repository.lastOrderOf(storeId, customerId)]);
    return { topItems, lastOrder: lastOrder ?? null };
  }

  async firstOrderDate(storeId: string): Promise<string | null> {
    return (await new OrdersRepository(this.db).firstOrderDate(storeId)) ?? null;
  }

  private async placeIn(
    repository: OrdersRepository,
    storeId: string,
    kioskId: string | null,
    request: OrderRequest,
    idempotencyKey: string | null,
    requestHash: string,
  ): Promise<Order> {
    const notes = request.lines.map((line, index) => checkNote(line.note, index));
    const store = await repository.storeForOrdering(storeId);
    if (!store) throw new DomainError('conflict', 'store_closed', 'This store is not taking orders.');
    if (request.customerId && !(await repository.isMemberOf(storeId, request.customerId))) throw unknownCustomer(request.customerId);
    const itemIds = [...new Set(request.lines.map((line) => line.itemId))];
    const items = await repository.itemsForOrdering(storeId, itemIds);
    const { options: optionList, requiredGroups } = await repository.optionsOf(itemIds);
    const options = new Map(optionList.map((option) => [option.id, option]));

    const lines: OrderLine[] = request.lines.map((requested, index) => {
      const item = items.get(requested.itemId);
      if (!item)
        throw new DomainError('invalid', 'unknown_item', `Line ${index + 1}: there is no such item in this store.`, { line: index, itemId: requested.itemId });
      if (!item.shownOnKiosk) throw new DomainError('conflict', 'item_not_available', `${item.name} is not on the menu now.`, { line: index, itemId: item.id });
      if (item.soldOut) throw new DomainError('conflict', 'sold_out', `${item.name} is sold out.`, { line: index, itemId: item.id, available: 0 });
      if (request.dining && item.dining !== 'any' && item.dining !== `${request.dining}_only`) {
        const offered = item.dining === 'eat_in_only' ? 'eat-in' : 'take-out';
        throw new DomainError('conflict', 'item_not_offered_for_dining', `${item.name} is offered for ${offered} only.`, {
          line: index,
          itemId: item.id,
          dining: request.dining,
          itemDining: item.dining,
        });
      }
      const chosen: OrderLineOption[] = [];
      const groupsChosen = new Map<string, number>();
      let unitPrice = item.price;
      for (const optionId of new Set(requested.optionIds ?? [])) {
        const option = options.get(optionId);
        if (!option || option.itemId !== item.id) {
          throw new DomainError('invalid', 'unknown_option', `Line ${index + 1}: an option does not belong to ${item.name}.`, { line: index, optionId });
        }
        const count = (groupsChosen.get(option.groupId) ?? 0) + 1;
        if (option.groupKind === 'single' && count > 1) {
          throw new DomainError('invalid', 'too_many_options', `Line ${index + 1}: choose one ${option.groupName}.`, { line: index, group: option.groupName });
        }
        groupsChosen.set(option.groupId, count);
        chosen.push({ group: option.groupName, name: option.name, priceDelta: option.priceDelta });
        unitPrice += option.priceDelta;
      }
      const missing = requiredGroups.find((group) => group.itemId === item.id && !groupsChosen.has(group.id));
      if (missing) throw new DomainError('invalid', 'option_required', `Line ${index + 1}: choose ${missing.name}.`, { line: index, group: missing.name });
      unitPrice = Math.max(0, unitPrice);
      return {
        itemId: item.id,
        itemName: item.name,
        unitPrice,
        quantity: requested.quantity,
        options: chosen,
        lineTotal: unitPrice * requested.quantity,
        note: notes[index]!,
      };
    });

    const quantities = quantitiesOf(lines);
    for (const [itemId, quantity] of quantities) {
      const item = items.get(itemId)!;
      if (item.stock !== null && item.stock < quantity) {
        throw new DomainError('conflict', 'sold_out', `${item.name}: only ${item.stock} left.`, { itemId, available: item.stock });
      }
    }
    const total = lines.reduce((sum, line) => sum + line.lineTotal, 0);
    if (request.expectedTotal !== undefined && request.expectedTotal !== total) {
      throw new DomainError('conflict', 'price_changed', 'Prices have changed since the cart was shown. Please check the cart again.', {
        expectedTotal: request.expectedTotal,
        total,
      });
    }
    if (total > MAX_ORDER_TOTAL) throw new DomainError('invalid', 'order_too_large', 'This order is larger than a kiosk can take. Please ask at the counter.');

    // Everything above was read without locks. Stock, the member check, the day's aggregates and
    // number, the order and its lines now land in one statement that commits by itself, so a
    // store's orders hold its hot rows only while it runs.
    const now = this.now();
    const day = localDate(store.timeZone, now);
    const counted = new Map([...quantities].filter(([itemId]) => items.get(itemId)!.stock !== null));
    const atCounter = request.paymentMethod === 'counter';
    const payBy = new Date(now.getTime() + (atCounter ? store.unpaidExpiryMinutes : this.options.pendingPaymentMinutes) * 60_000);
    try {
      const row = await repository.placeOrder({
        storeId,
        brandId: store.brandId,
        kioskId,
        customerId: request.customerId ?? null,
        localDate: day,
        paymentMethod: request.paymentMethod,
        dining: request.dining ?? null,
        total,
        idempotencyKey,
        requestHash,
        stock: counted,
        lines,
        paymentStatus: atCounter ? 'unpaid' : 'pending',
        payBy,
      });
      return toOrder(row, lines);
    } catch (error) {
      if (hasSqlState(error, PLACE_ORDER_TOO_FEW_LEFT)) throw await this.soldOutMeanwhile(repository, items, counted);
      if (request.customerId && hasSqlState(error, PLACE_ORDER_NOT_A_MEMBER)) throw unknownCustomer(request.customerId);
      throw error;
    }
  }

  /** which counted item other orders emptied since this one read it */
  private async soldOutMeanwhile(repository: OrdersRepository, items: Map<string, ItemForOrdering>, counted: Map<string, number>): Promise<DomainError> {
    const stock = await repository.stockOf([...counted.keys()]);
    const isShort = ([id, wanted]: [string, number]) => (stock.get(id) ?? wanted) < wanted;
    const [itemId] = [...counted].find(isShort) ?? [...counted][0]!;
    const available = stock.get(itemId) ?? 0;
    return new DomainError('conflict', 'sold_out', `${items.get(itemId)!.name}: only ${available} left.`, { itemId, available });
  }

  private async replay(storeId: string, key: string, requestHash: string) {
    const earlier = await new OrdersRepository(this.db).findByIdempotencyKey(storeId, key);
    if (!earlier) return undefined;
    if (earlier.requestHash !== requestHash) {
      throw new DomainError('conflict', 'idempotency_key_reused', 'This Idempotency-Key was used for a different order.');
    }
    const { requestHash: _hash, ...order } = earlier;
    return { order, replayed: true, payment: await this.paymentStartOf(order) };
  }

  /**
   * Follows a store's order events: those after `lastEventId` (when given) from the replay log,
   * then new ones, each once and in order. Returns the function that stops following.
   */
  followLive(storeId: string, lastEventId: number | undefined, deliver: (event: Logged<OrderEvent>) => void): Promise<() => Promise<void>> {
    // the kitchen and the pickup board follow orders only; the ids still move past the other events
    return this.liveOrders.follow(storeId.toLowerCase(), lastEventId, (event) => {
      if ('order' in event) deliver(event);
    });
  }

  /** follows everything on the store's live stream: orders and staff calls (the POS) */
  followStore(storeId: string, lastEventId: number | undefined, deliver: (event: Logged<StoreLiveEvent>) => void): Promise<() => Promise<void>> {
    return this.liveOrders.follow(storeId.toLowerCase(), lastEventId, deliver);
  }

  /**
   * A retried order may be one whose first attempt was written by an instance that died before it
   * told the live screens: the order is announced again while it still waits at the counter. The
   * screens key orders by id, so hearing of it twice changes nothing there.
   */
  private async announceAgain(order: Order): Promise<void> {
    if (order.status === 'placed' && order.payment.status !== 'pending') await this.publish('order.placed', order);
  }

  private async publish(type: OrderEvent['type'], order: Order): Promise<void> {
    // the order is written: a live stream that misses it (bus down) is caught up by the POS's refetch
    await this.liveOrders.publish(order.storeId.toLowerCase(), { type, order }).catch(() => undefined);
  }
}

export function checkRange(from: string, to: string): void {
  if (from > to) throw new DomainError('invalid', 'invalid_range', 'The start date is after the end date.');
  if (daysBetween(from, to) > MAX_RANGE_DAYS) {
    throw new DomainError('invalid', 'range_too_long', `A range can be at most ${MAX_RANGE_DAYS} days.`, { maxDays: MAX_RANGE_DAYS });
  }
}

function quantitiesOf(lines: Array<{ itemId: string; quantity: number }>): Map<string, number> {
  const quantities = new Map<string, number>();
  for (const line of lines) quantities.set(line.itemId, (quantities.get(line.itemId) ?? 0) + line.quantity);
  return quantities;
}

/** a kiosk card or mobile payment goes back through the terminal or the gateway; counter money by hand */
function providerRefundState(order: Order): 'pending' | 'done' {
  return order.payment.method === 'kiosk_card' || order.payment.method === 'mobile' ? 'pending' : 'done';
}

function itemTotalsOf(lines: OrderLine[]): Map<string, { quantity: number; total: number }> {
  const totals = new Map<string, { quantity: number; total: number }>();
  for (const line of lines) {
    const sums = totals.get(line.itemId) ?? { quantity: 0, total: 0 };
    sums.quantity += line.quantity;
    sums.total += line.lineTotal;
    totals.set(line.itemId, sums);
  }
  return totals;
}

/**
 * A line's note, trimmed (empty: none). Over MAX_NOTE_LENGTH characters, or with a control
 * character (a line break, a tab, ...), the order is refused before anything is read or written.
 */
function checkNote(note: string | null | undefined, index: number): string | null {
  const trimmed = (note ?? '').normalize('NFC').trim();
  if (trimmed === '') return null;
  if (/\p{Cc}/u.test(trimmed)) {
    throw new DomainError('invalid', 'note_invalid_characters', `Line ${index + 1}: a note cannot contain line breaks or control characters.`, { line: index });
  }
  const length = [...trimmed].length;
  if (length > MAX_NOTE_LENGTH) {
    throw new DomainError('invalid', 'note_too_long', `Line ${index + 1}: a note can be at most ${MAX_NOTE_LENGTH} characters.`, {
      line: index,
      maxLength: MAX_NOTE_LENGTH,
      length,
    });
  }
  return trimmed;
}

function hashRequest(request: OrderRequest): string {
  const normalized = {
    lines: request.lines.map((line) => ({
      itemId: line.itemId,
      quantity: line.quantity,
      optionIds: [...new Set(line.optionIds ?? [])].sort(),
      // only when given, so a request without them hashes as it did before migration 0008
      ...(line.note ? { note: line.note } : {}),
    })),
    paymentMethod: request.paymentMethod,
    customerId: request.customerId ?? null,
    expectedTotal: request.expectedTotal ?? null,
    ...(request.dining ? { dining: request.dining } : {}),
  };
  return createHash('sha256').update(JSON.stringify(normalized)).digest('hex');
}

function unknownCustomer(customerId: string): DomainError {
  return new DomainError('invalid', 'unknown_customer', 'There is no such member of this store. Order as a guest, or look the member up again.', {
    customerId,
  });
}

function orderNotFound(): DomainError {
  return new DomainError('not_found', 'order_not_found', 'There is no such order in this store.');
}
