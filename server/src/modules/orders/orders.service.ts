// Orders from kiosks: prices and totals computed here from the menu as read when ordering (what
// the client says a price is, is ignored), stock taken atomically and never below zero, one order
// per Idempotency-Key, statuses that only move forward, and the day's sales aggregates written
// atomically with the order (one statement) and with its cancellation (one transaction).
import { createHash } from 'node:crypto';
import type { Logged, ReplayableEvents } from '../../platform/bus/replayable-events.js';
import type { Database } from '../../platform/db/database.js';
import type { Dining, OrderLineOption, OrderStatus, PaymentMethod } from '../../platform/db/schema.js';
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
} from './orders.repository.js';
import type { PaymentOutcome, PaymentProvider } from './payment.js';
import type { StaffCallEvent } from '../staff-calls/staff-calls.events.js';

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
/** everything on a store's live stream to its POS: its orders, and its staff calls (modules/staff-calls) */
export type StoreLiveEvent = OrderEvent | StaffCallEvent;

export class OrdersService {
  /** what follows an order becoming ready (the member's text message, docs/messaging.md); never throws */
  private readyListener?: (storeId: string, orderId: string) => Promise<void>;

  constructor(
    private readonly db: Database,
    /** the POS's live orders, per store: ids and a replay log, like the kiosk's screen */
    private readonly liveOrders: ReplayableEvents<StoreLiveEvent>,
    private readonly payments: PaymentProvider,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Places an order. With an idempotency key, a retried request (same key, same content) answers
   * the order placed the first time, however many times it is sent and even concurrently.
   */
  async place(
    storeId: string,
    kioskId: string | null,
    request: OrderRequest,
    idempotencyKey: string | null,
  ): Promise<{ order: Order; replayed: boolean; payment: PaymentOutcome }> {
    const requestHash = hashRequest(request);
    if (idempotencyKey) {
      const earlier = await this.replay(storeId, idempotencyKey, requestHash);
      if (earlier) return earlier;
    }
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
    await this.publish('order.placed', order);
    const payment = await this.payments.charge({
      storeId,
      orderId: order.id,
      orderNumber: order.number,
      amount: order.total,
      method: order.paymentMethod,
    });
    if (payment.status === 'declined') {
      order = await this.cancel(storeId, order.id, `payment declined: ${payment.reason}`);
    }
    return { order, replayed: false, payment };
  }

  async get(storeId: string, orderId: string): Promise<Order> {
    const order = await new OrdersRepository(this.db).find(storeId, orderId);
    if (!order) throw orderNotFound();
    return order;
  }

  async list(
    storeId: string,
    query: { from: string; to: string; statuses?: OrderStatus[]; page: number; pageSize: number },
  ): Promise<{ orders: Order[]; total: number; page: number; pageSize: number }> {
    checkRange(query.from, query.to);
    const { orders, total } = await new OrdersRepository(this.db).list(storeId, {
      from: query.from,
      to: query.to,
      statuses: query.statuses,
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

  /** cancels an order: its stock comes back and the day's sales figures are corrected */
  async cancel(storeId: string, orderId: string, reason: string): Promise<Order> {
    const trimmed = reason.trim();
    if (trimmed.length === 0) throw new DomainError('invalid', 'cancel_reason_required', 'Say why the order is cancelled.');
    const order = await this.db.transaction().execute(async (trx) => {
      const repository = new OrdersRepository(trx);
      const current = await repository.find(storeId, orderId, { lock: true });
      if (!current) throw orderNotFound();
      if (current.status === 'cancelled') throw new DomainError('conflict', 'already_cancelled', 'This order is already cancelled.');
      if (current.status === 'completed') throw new DomainError('conflict', 'order_completed', 'A picked-up order cannot be cancelled.');
      const brandId = await repository.brandOf(storeId);
      await repository.changeStatus(storeId, orderId, [current.status], 'cancelled', { cancelReason: trimmed });
      await repository.returnStock(quantitiesOf(current.lines));
      await repository.addToSales(
        -1,
        { storeId, brandId, localDate: current.localDate, total: current.total, dining: current.dining },
        itemTotalsOf(current.lines),
      );
      return (await repository.find(storeId, orderId))!;
    });
    await this.publish('order.updated', order);
    return order;
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
    const day = localDate(store.timeZone, this.now());
    const counted = new Map([...quantities].filter(([itemId]) => items.get(itemId)!.stock !== null));
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
    return { order, replayed: true, payment: { status: 'pay_at_counter' } as PaymentOutcome };
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
