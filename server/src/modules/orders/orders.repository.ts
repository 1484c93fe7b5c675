// SQL for orders: the snapshot of what is ordered, and (in one statement, late in the transaction)
// stock, the per-day sales aggregates, numbering, the order and its lines.
import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { Dining, ItemDining, OrderLineOption, OrderStatus, PaidMethod, PaymentMethod, PaymentStatus, RefundState } from '../../platform/db/schema.js';

export interface ItemForOrdering {
  id: string;
  name: string;
  price: number;
  stock: number | null;
  shownOnKiosk: boolean;
  soldOut: boolean;
  dining: ItemDining;
}

export interface ItemOption {
  id: string;
  itemId: string;
  groupId: string;
  groupName: string;
  groupKind: 'single' | 'multiple';
  groupRequired: boolean;
  name: string;
  priceDelta: number;
}

export interface OrderLine {
  itemId: string;
  itemName: string;
  unitPrice: number;
  quantity: number;
  options: OrderLineOption[];
  lineTotal: number;
  /** the customer's short note for this line ("덜 달게"), or null */
  note: string | null;
}

export interface Order {
  id: string;
  storeId: string;
  kioskId: string | null;
  customerId: string | null;
  number: number;
  localDate: string;
  status: OrderStatus;
  paymentMethod: PaymentMethod;
  /** null: placed before the kiosk asked */
  dining: Dining | null;
  total: number;
  cancelReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
  lines: OrderLine[];
  payment: OrderPayment;
}

/** the order's money (docs/payments.md "The order's payment") */
export interface OrderPayment {
  status: PaymentStatus;
  /** how the money came in; null until paid */
  method: PaidMethod | null;
  paidAmount: number;
  refundedAmount: number;
  approvalNumber: string | null;
  paidAt: Date | null;
  /** when a pending or unpaid order expires if not paid; null once paid */
  payBy: Date | null;
}

export interface Refund {
  id: string;
  orderId: string;
  amount: number;
  method: PaidMethod;
  reason: string;
  state: RefundState;
  createdAt: Date;
}

type OrderRow = {
  id: string;
  store_id: string;
  kiosk_id: string | null;
  customer_id: string | null;
  number: number;
  local_date: string;
  status: OrderStatus;
  payment_method: PaymentMethod;
  total: number;
  cancel_reason: string | null;
  created_at: Date;
  updated_at: Date;
  cancelled_at: Date | null;
  dining: Dining | null;
  payment_status: PaymentStatus;
  paid_method: PaidMethod | null;
  paid_amount: number;
  refunded_amount: number;
  approval_number: string | null;
  paid_at: Date | null;
  pay_by: Date | null;
};

const orderColumns = [
  'id',
  'store_id',
  'kiosk_id',
  'customer_id',
  'number',
  'local_date',
  'status',
  'payment_method',
  'total',
  'cancel_reason',
  'created_at',
  'updated_at',
  'cancelled_at',
  'dining',
  'payment_status',
  'paid_method',
  'paid_amount',
  'refunded_amount',
  'approval_number',
  'paid_at',
  'pay_by',
] as const;

export function toOrder(row: OrderRow, lines: OrderLine[]): Order {
  return {
    id: row.id,
    storeId: row.store_id,
    kioskId: row.kiosk_id,
    customerId: row.customer_id,
    number: row.number,
    localDate: row.local_date,
    status: row.status,
    paymentMethod: row.payment_method,
    dining: row.dining,
    total: row.total,
    cancelReason: row.cancel_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    cancelledAt: row.cancelled_at,
    lines,
    payment: {
      status: row.payment_status,
      method: row.paid_method,
      paidAmount: row.paid_amount,
      refundedAmount: row.refunded_amount,
      approvalNumber: row.approval_number,
      paidAt: row.paid_at,
      payBy: row.pay_by,
    },
  };
}

/** SQLSTATEs place_order raises */
export const PLACE_ORDER_NOT_A_MEMBER = 'PKC01';
export const PLACE_ORDER_TOO_FEW_LEFT = 'PKS01';

export class OrdersRepository {
  constructor(private readonly db: Database) {}

  async storeForOrdering(storeId: string): Promise<{ brandId: string; timeZone: string; unpaidExpiryMinutes: number } | undefined> {
    const row = await this.db
      .selectFrom('stores')
      .select(['brand_id', 'time_zone', 'unpaid_expiry_minutes'])
      .where('id', '=', storeId)
      .where('closed_at', 'is', null)
      .executeTakeFirst();
    return row && { brandId: row.brand_id, timeZone: row.time_zone, unpaidExpiryMinutes: row.unpaid_expiry_minutes };
  }

  /** whether the customer is a member of this store (placeOrder checks again, with a lock) */
  async isMemberOf(storeId: string, customerId: string): Promise<boolean> {
    const row = await this.db.selectFrom('customers').select('id').where('id', '=', customerId).where('store_id', '=', storeId).executeTakeFirst();
    return row !== undefined;
  }

  async brandOf(storeId: string): Promise<string> {
    const row = await this.db.selectFrom('stores').select('brand_id').where('id', '=', storeId).executeTakeFirstOrThrow();
    return row.brand_id;
  }

  /**
   * The items of an order, as they are now, without a lock: pricing and checks need no lock, and
   * locking here would make a store's orders wait on each other for their whole transaction.
   * Counted stock is taken later, atomically, by placeOrder.
   */
  async itemsForOrdering(storeId: string, itemIds: string[]): Promise<Map<string, ItemForOrdering>> {
    if (itemIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('items')
      .select(['id', 'name', 'price', 'stock', 'shown_on_kiosk', 'sold_out', 'dining'])
      .where('store_id', '=', storeId)
      .where('id', 'in', itemIds)
      .where('deleted_at', 'is', null)
      .execute();
    return new Map(
      rows.map((row) => [
        row.id,
        {
          id: row.id,
          name: row.name,
          price: row.price,
          stock: row.stock,
          shownOnKiosk: row.shown_on_kiosk,
          soldOut: row.sold_out,
          dining: row.dining,
        },
      ]),
    );
  }

  /** the options of the items, and which of their groups must be chosen from, in one query */
  async optionsOf(itemIds: string[]): Promise<{ options: ItemOption[]; requiredGroups: Array<{ id: string; itemId: string; name: string }> }> {
    if (itemIds.length === 0) return { options: [], requiredGroups: [] };
    const rows = await this.db
      .selectFrom('option_groups')
      .leftJoin('options', 'options.group_id', 'option_groups.id')
      .select([
        'options.id',
        'options.name',
        'options.price_delta',
        'option_groups.id as group_id',
        'option_groups.item_id',
        'option_groups.name as group_name',
        'option_groups.kind',
        'option_groups.required',
      ])
      .where('option_groups.item_id', 'in', itemIds)
      .orderBy('option_groups.position')
      .orderBy('options.position')
      .execute();
    const options: ItemOption[] = [];
    const required = new Map<string, { id: string; itemId: string; name: string }>();
    for (const row of rows) {
      if (row.required) required.set(row.group_id, { id: row.group_id, itemId: row.item_id, name: row.group_name });
      if (row.id === null) continue;
      options.push({
        id: row.id,
        itemId: row.item_id,
        groupId: row.group_id,
        groupName: row.group_name,
        groupKind: row.kind,
        groupRequired: row.required,
        name: row.name!,
        priceDelta: row.price_delta!,
      });
    }
    return { options, requiredGroups: [...required.values()] };
  }

  /**
   * All of an order's writes in one statement (the place_order function, migration 0017): the
   * member checked and key-share locked, counted stock taken (never below zero), the day's next
   * number, the order (unpaid or pending, with its pay-by time) and its lines. The sales figures
   * are not touched: an order counts once it is paid (addToSales). Run outside a transaction it
   * commits by itself, so the store's hot rows are held for this statement only. Refusals are
   * raised: PLACE_ORDER_NOT_A_MEMBER, PLACE_ORDER_TOO_FEW_LEFT (SQLSTATEs), and nothing is written.
   */
  async placeOrder(values: {
    storeId: string;
    brandId: string;
    kioskId: string | null;
    customerId: string | null;
    localDate: string;
    paymentMethod: PaymentMethod;
    dining: Dining | null;
    total: number;
    idempotencyKey: string | null;
    requestHash: string;
    stock: Map<string, number>;
    lines: OrderLine[];
    paymentStatus: 'unpaid' | 'pending';
    payBy: Date;
  }): Promise<OrderRow> {
    const stock = JSON.stringify([...values.stock].map(([itemId, quantity]) => ({ itemId, quantity })));
    const lines = JSON.stringify(values.lines.map((line, position) => ({ ...line, position })));
    const { rows } = await sql<OrderRow>`
      select ${sql.join(orderColumns.map((column) => sql.ref(column)))}
      from place_order(
        ${values.storeId}::uuid, ${values.brandId}::uuid, ${values.kioskId}::uuid, ${values.customerId}::uuid,
        ${values.localDate}::date, ${values.paymentMethod}::text, ${values.total}::integer,
        ${values.idempotencyKey}::text, ${values.requestHash}::text, ${stock}::jsonb, ${lines}::jsonb,
        ${values.dining}::text, ${values.paymentStatus}::text, ${values.payBy.toISOString()}::timestamptz
      )`.execute(this.db);
    return rows[0]!;
  }

  /** the counted stock of items as it is now (to say which one ran out) */
  async stockOf(itemIds: string[]): Promise<Map<string, number | null>> {
    if (itemIds.length === 0) return new Map();
    const rows = await this.db.selectFrom('items').select(['id', 'stock']).where('id', 'in', itemIds).execute();
    return new Map(rows.map((row) => [row.id, row.stock]));
  }

  /** puts units back after a cancellation; an item with units again is no longer sold out */
  async returnStock(quantities: Map<string, number>): Promise<void> {
    for (const [itemId, quantity] of [...quantities].sort(([a], [b]) => a.localeCompare(b))) {
      await this.db
        .updateTable('items')
        .set({ stock: sql`stock + ${quantity}`, sold_out: false, updated_at: new Date() })
        .where('id', '=', itemId)
        .where('stock', 'is not', null)
        .execute();
    }
  }

  /**
   * Changes the day's aggregates by one order: `orders` (1 when it becomes paid, -1 when fully
   * refunded, 0 for a partial refund), `total` in won (signed), and its items' figures when given
   * (with their sign: counted when paid, taken out when fully refunded).
   */
  async addToSales(
    order: { storeId: string; brandId: string; localDate: string; dining: Dining | null },
    change: { orders: -1 | 0 | 1; total: number },
    items?: { sign: 1 | -1; totals: Map<string, { quantity: number; total: number }> },
  ): Promise<void> {
    const eatIn = order.dining === 'eat_in' ? 1 : 0;
    const takeOut = order.dining === 'take_out' ? 1 : 0;
    await this.db
      .insertInto('daily_sales')
      .values({
        store_id: order.storeId,
        brand_id: order.brandId,
        local_date: order.localDate,
        order_count: change.orders,
        total: change.total,
        eat_in_count: eatIn * change.orders,
        eat_in_total: eatIn * change.total,
        take_out_count: takeOut * change.orders,
        take_out_total: takeOut * change.total,
      })
      .onConflict((conflict) =>
        conflict.columns(['store_id', 'local_date']).doUpdateSet({
          order_count: sql`daily_sales.order_count + excluded.order_count`,
          total: sql`daily_sales.total + excluded.total`,
          eat_in_count: sql`daily_sales.eat_in_count + excluded.eat_in_count`,
          eat_in_total: sql`daily_sales.eat_in_total + excluded.eat_in_total`,
          take_out_count: sql`daily_sales.take_out_count + excluded.take_out_count`,
          take_out_total: sql`daily_sales.take_out_total + excluded.take_out_total`,
        }),
      )
      .execute();
    if (!items) return;
    const rows = [...items.totals]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([itemId, sums]) => ({
        store_id: order.storeId,
        local_date: order.localDate,
        item_id: itemId,
        quantity: items.sign * sums.quantity,
        total: items.sign * sums.total,
      }));
    if (rows.length === 0) return;
    await this.db
      .insertInto('daily_item_sales')
      .values(rows)
      .onConflict((conflict) =>
        conflict.columns(['store_id', 'local_date', 'item_id']).doUpdateSet({
          quantity: sql`daily_item_sales.quantity + excluded.quantity`,
          total: sql`daily_item_sales.total + excluded.total`,
        }),
      )
      .execute();
  }

  /**
   * Marks a pending or unpaid order paid (only from those: of two racing payments one wins).
   * The counter payment's Idempotency-Key is kept, so its retry is recognised.
   */
  async markPaid(
    storeId: string,
    orderId: string,
    payment: { method: PaidMethod; amount: number; approvalNumber: string | null; paidAt: Date; idempotencyKey: string | null },
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('orders')
      .set({
        payment_status: 'paid',
        paid_method: payment.method,
        paid_amount: payment.amount,
        approval_number: payment.approvalNumber,
        paid_at: payment.paidAt,
        payment_idempotency_key: payment.idempotencyKey,
        pay_by: null,
        updated_at: new Date(),
      })
      .where('store_id', '=', storeId)
      .where('id', '=', orderId)
      .where('payment_status', 'in', ['pending', 'unpaid'])
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async paymentIdempotencyKeyOf(orderId: string): Promise<string | null> {
    const row = await this.db.selectFrom('orders').select('payment_idempotency_key').where('id', '=', orderId).executeTakeFirst();
    return row?.payment_idempotency_key ?? null;
  }

  /** money given back: the refund's row, and the order's refunded amount and payment state */
  async addRefund(refund: {
    storeId: string;
    orderId: string;
    amount: number;
    method: PaidMethod;
    reason: string;
    accountId: string | null;
    idempotencyKey: string | null;
    state: RefundState;
    paymentStatus: 'partially_refunded' | 'refunded';
  }): Promise<Refund> {
    const row = await this.db
      .insertInto('refunds')
      .values({
        store_id: refund.storeId,
        order_id: refund.orderId,
        amount: refund.amount,
        method: refund.method,
        reason: refund.reason,
        account_id: refund.accountId,
        idempotency_key: refund.idempotencyKey,
        state: refund.state,
      })
      .returning(refundColumns)
      .executeTakeFirstOrThrow();
    await this.db
      .updateTable('orders')
      .set({ refunded_amount: sql`refunded_amount + ${refund.amount}`, payment_status: refund.paymentStatus, updated_at: new Date() })
      .where('id', '=', refund.orderId)
      .execute();
    return toRefund(row);
  }

  async refundByIdempotencyKey(orderId: string, key: string): Promise<Refund | undefined> {
    const row = await this.db.selectFrom('refunds').select(refundColumns).where('order_id', '=', orderId).where('idempotency_key', '=', key).executeTakeFirst();
    return row && toRefund(row);
  }

  async refundsOf(storeId: string, orderId: string): Promise<Refund[]> {
    const rows = await this.db
      .selectFrom('refunds')
      .select(refundColumns)
      .where('store_id', '=', storeId)
      .where('order_id', '=', orderId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toRefund);
  }

  /** the terminal's or gateway's answer to a pending refund; only a pending one changes */
  async settleRefund(refundId: string, outcome: { state: 'done' | 'failed'; providerReference?: string | null; message?: string | null }): Promise<boolean> {
    const result = await this.db
      .updateTable('refunds')
      .set({ state: outcome.state, provider_reference: outcome.providerReference ?? null, outcome_message: outcome.message ?? null, updated_at: new Date() })
      .where('id', '=', refundId)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** orders still waiting for their money past their pay-by time (the expiry job), oldest first */
  async dueForExpiry(now: Date, limit: number): Promise<Array<{ storeId: string; orderId: string }>> {
    const rows = await this.db
      .selectFrom('orders')
      .select(['store_id', 'id'])
      .where('status', '=', 'placed')
      .where('payment_status', 'in', ['pending', 'unpaid'])
      .where('pay_by', '<=', now)
      .orderBy('pay_by')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ storeId: row.store_id, orderId: row.id }));
  }

  /** a pending order's charges still under way: to be voided (the card helper sends VoidPayment) */
  async requestVoidOfAttempts(orderId: string, reason: string): Promise<Array<{ id: string; kioskId: string | null; method: 'card' | 'mobile' }>> {
    return (
      await this.db
        .updateTable('payment_attempts')
        .set({ state: 'void_requested', outcome_message: reason, updated_at: new Date() })
        .where('order_id', '=', orderId)
        .where('state', 'in', ['requested', 'approved'])
        .returning(['id', 'kiosk_id', 'method'])
        .execute()
    ).map((row) => ({ id: row.id, kioskId: row.kiosk_id, method: row.method }));
  }

  /** whether the store's kitchen starts orders to be paid at the counter before they are paid */
  async kitchenStartsUnpaid(storeId: string): Promise<boolean> {
    const row = await this.db.selectFrom('stores').select('kitchen_starts_unpaid').where('id', '=', storeId).executeTakeFirst();
    return row?.kitchen_starts_unpaid ?? true;
  }

  async findByIdempotencyKey(storeId: string, key: string): Promise<(Order & { requestHash: string | null }) | undefined> {
    const row = await this.db
      .selectFrom('orders')
      .select([...orderColumns, 'request_hash'])
      .where('store_id', '=', storeId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
    if (!row) return undefined;
    const [order] = await this.withLines([row]);
    return { ...order!, requestHash: row.request_hash };
  }

  async find(storeId: string, orderId: string, options: { lock?: boolean } = {}): Promise<Order | undefined> {
    let query = this.db.selectFrom('orders').select(orderColumns).where('store_id', '=', storeId).where('id', '=', orderId);
    if (options.lock) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (!row) return undefined;
    return (await this.withLines([row]))[0];
  }

  /** a guest's order of this kiosk, placed after `placedAfter`, becomes the customer's (who registered right after ordering) */
  async claimGuestOrder(claim: { storeId: string; kioskId: string; orderId: string; customerId: string; placedAfter: Date }): Promise<boolean> {
    const result = await this.db
      .updateTable('orders')
      .set({ customer_id: claim.customerId, updated_at: new Date() })
      .where('store_id', '=', claim.storeId)
      .where('id', '=', claim.orderId)
      .where('kiosk_id', '=', claim.kioskId)
      .where('customer_id', 'is', null)
      .where('created_at', '>=', claim.placedAfter)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** moves an order to `to` only from one of `from`: of two racing changes, one wins */
  async changeStatus(storeId: string, orderId: string, from: OrderStatus[], to: OrderStatus, extra: { cancelReason?: string } = {}): Promise<boolean> {
    const now = new Date();
    const result = await this.db
      .updateTable('orders')
      .set({
        status: to,
        updated_at: now,
        ...(to === 'cancelled' ? { cancelled_at: now, cancel_reason: extra.cancelReason ?? null } : {}),
      })
      .where('store_id', '=', storeId)
      .where('id', '=', orderId)
      .where('status', 'in', from)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async list(
    storeId: string,
    filter: { from: string; to: string; statuses?: OrderStatus[]; paymentStatuses?: PaymentStatus[]; limit: number; offset: number },
  ): Promise<{ orders: Order[]; total: number }> {
    let base = this.db.selectFrom('orders').where('store_id', '=', storeId).where('local_date', '>=', filter.from).where('local_date', '<=', filter.to);
    if (filter.statuses && filter.statuses.length > 0) base = base.where('status', 'in', filter.statuses);
    if (filter.paymentStatuses && filter.paymentStatuses.length > 0) base = base.where('payment_status', 'in', filter.paymentStatuses);
    const [rows, count] = await Promise.all([
      base.select(orderColumns).orderBy('created_at', 'desc').orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
    ]);
    return { orders: await this.withLines(rows), total: Number(count.count) };
  }

  async firstOrderDate(storeId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('orders')
      .select((eb) => eb.fn.min('local_date').as('first'))
      .where('store_id', '=', storeId)
      .executeTakeFirst();
    return (row?.first as string | null) ?? undefined;
  }

  /** a known customer's most ordered items (not counting cancelled orders) */
  async topItemsOf(storeId: string, customerId: string, limit: number): Promise<Array<{ itemId: string; name: string; quantity: number }>> {
    const rows = await this.db
      .selectFrom('order_lines')
      .innerJoin('orders', 'orders.id', 'order_lines.order_id')
      .innerJoin('items', 'items.id', 'order_lines.item_id')
      .select(['order_lines.item_id', 'items.name', (eb) => eb.fn.sum<number>('order_lines.quantity').as('quantity')])
      .where('orders.store_id', '=', storeId)
      .where('orders.customer_id', '=', customerId)
      .where('orders.status', '!=', 'cancelled')
      .where('items.deleted_at', 'is', null)
      .groupBy(['order_lines.item_id', 'items.name'])
      .orderBy('quantity', 'desc')
      .orderBy('items.name')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ itemId: row.item_id, name: row.name, quantity: Number(row.quantity) }));
  }

  async lastOrderOf(storeId: string, customerId: string): Promise<Order | undefined> {
    const row = await this.db
      .selectFrom('orders')
      .select(orderColumns)
      .where('store_id', '=', storeId)
      .where('customer_id', '=', customerId)
      .where('status', '!=', 'cancelled')
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && (await this.withLines([row]))[0];
  }

  private async withLines(rows: OrderRow[]): Promise<Order[]> {
    if (rows.length === 0) return [];
    const lines = await this.db
      .selectFrom('order_lines')
      .select(['order_id', 'item_id', 'item_name', 'unit_price', 'quantity', 'options', 'line_total', 'note'])
      .where(
        'order_id',
        'in',
        rows.map((row) => row.id),
      )
      .orderBy('order_id')
      .orderBy('position')
      .execute();
    const byOrder = new Map<string, OrderLine[]>();
    for (const line of lines) {
      const list = byOrder.get(line.order_id) ?? [];
      list.push({
        itemId: line.item_id,
        itemName: line.item_name,
        unitPrice: line.unit_price,
        quantity: line.quantity,
        options: typeof line.options === 'string' ? JSON.parse(line.options) : line.options,
        lineTotal: line.line_total,
        note: line.note,
      });
      byOrder.set(line.order_id, list);
    }
    return rows.map((row) => toOrder(row, byOrder.get(row.id) ?? []));
  }
}

const refundColumns = ['id', 'order_id', 'amount', 'method', 'reason', 'state', 'created_at'] as const;

function toRefund(row: { id: string; order_id: string; amount: number; method: PaidMethod; reason: string; state: RefundState; created_at: Date }): Refund {
  return { id: row.id, orderId: row.order_id, amount: row.amount, method: row.method, reason: row.reason, state: row.state, createdAt: row.created_at };
}
