// SQL for orders: the snapshot of what is ordered, and (in one statement, late in the transaction)
// stock, the per-day sales aggregates, numbering, the order and its lines.
import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { Dining, ItemDining, OrderLineOption, OrderStatus, PaymentMethod } from '../../platform/db/schema.js';

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
  };
}

/** SQLSTATEs place_order raises */
export const PLACE_ORDER_NOT_A_MEMBER = 'PKC01';
export const PLACE_ORDER_TOO_FEW_LEFT = 'PKS01';

export class OrdersRepository {
  constructor(private readonly db: Database) {}

  async storeForOrdering(storeId: string): Promise<{ brandId: string; timeZone: string } | undefined> {
    const row = await this.db
      .selectFrom('stores')
      .select(['brand_id', 'time_zone'])
      .where('id', '=', storeId)
      .where('closed_at', 'is', null)
      .executeTakeFirst();
    return row && { brandId: row.brand_id, timeZone: row.time_zone };
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
   * All of an order's writes in one statement (the place_order function, migration 0008): the
   * member checked and key-share locked, counted stock taken (never below zero), the day's
   * aggregates, the day's next number, the order and its lines. Run outside a transaction it
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
  }): Promise<OrderRow> {
    const stock = JSON.stringify([...values.stock].map(([itemId, quantity]) => ({ itemId, quantity })));
    const lines = JSON.stringify(values.lines.map((line, position) => ({ ...line, position })));
    const { rows } = await sql<OrderRow>`
      select ${sql.join(orderColumns.map((column) => sql.ref(column)))}
      from place_order(
        ${values.storeId}::uuid, ${values.brandId}::uuid, ${values.kioskId}::uuid, ${values.customerId}::uuid,
        ${values.localDate}::date, ${values.paymentMethod}::text, ${values.total}::integer,
        ${values.idempotencyKey}::text, ${values.requestHash}::text, ${stock}::jsonb, ${lines}::jsonb,
        ${values.dining}::text
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

  /** adds (sign 1) or takes back (sign -1) an order in the day's aggregates */
  async addToSales(
    sign: 1 | -1,
    order: { storeId: string; brandId: string; localDate: string; total: number; dining: Dining | null },
    itemTotals: Map<string, { quantity: number; total: number }>,
  ): Promise<void> {
    const eatIn = order.dining === 'eat_in' ? sign : 0;
    const takeOut = order.dining === 'take_out' ? sign : 0;
    await this.db
      .insertInto('daily_sales')
      .values({
        store_id: order.storeId,
        brand_id: order.brandId,
        local_date: order.localDate,
        order_count: sign,
        total: sign * order.total,
        eat_in_count: eatIn,
        eat_in_total: eatIn * order.total,
        take_out_count: takeOut,
        take_out_total: takeOut * order.total,
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
    const rows = [...itemTotals]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([itemId, sums]) => ({
        store_id: order.storeId,
        local_date: order.localDate,
        item_id: itemId,
        quantity: sign * sums.quantity,
        total: sign * sums.total,
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
    filter: { from: string; to: string; statuses?: OrderStatus[]; limit: number; offset: number },
  ): Promise<{ orders: Order[]; total: number }> {
    let base = this.db.selectFrom('orders').where('store_id', '=', storeId).where('local_date', '>=', filter.from).where('local_date', '<=', filter.to);
    if (filter.statuses && filter.statuses.length > 0) base = base.where('status', 'in', filter.statuses);
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
