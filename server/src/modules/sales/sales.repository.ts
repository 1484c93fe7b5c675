// SQL for sales figures: read from the per-day aggregates (a year is at most 366 small rows per
// store), and rebuilt from the orders when asked.
import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.js';

export type Period = 'day' | 'week' | 'month' | 'year';

export interface SalesBucket {
  start: string;
  orderCount: number;
  total: number;
  /** of those, eat-in and take-out; the rest (orders placed before the kiosk asked) said neither */
  eatInCount: number;
  eatInTotal: number;
  takeOutCount: number;
  takeOutTotal: number;
}

export class SalesRepository {
  constructor(private readonly db: Database) {}

  async timeZoneOf(storeId: string): Promise<{ timeZone: string; brandId: string }> {
    const row = await this.db.selectFrom('stores').select(['time_zone', 'brand_id']).where('id', '=', storeId).executeTakeFirstOrThrow();
    return { timeZone: row.time_zone, brandId: row.brand_id };
  }

  /** sums per period start (weeks start on Monday, as ISO weeks do) */
  async series(storeId: string, from: string, to: string, period: Period): Promise<SalesBucket[]> {
    // the unit is one of four fixed words (not user text), inlined so GROUP BY matches the select
    const start = sql<string>`date_trunc(${sql.lit(period)}, local_date)::date`;
    const rows = await this.db
      .selectFrom('daily_sales')
      .select([
        start.as('start'),
        (eb) => eb.fn.sum<number>('order_count').as('order_count'),
        (eb) => eb.fn.sum<number>('total').as('total'),
        (eb) => eb.fn.sum<number>('eat_in_count').as('eat_in_count'),
        (eb) => eb.fn.sum<number>('eat_in_total').as('eat_in_total'),
        (eb) => eb.fn.sum<number>('take_out_count').as('take_out_count'),
        (eb) => eb.fn.sum<number>('take_out_total').as('take_out_total'),
      ])
      .where('store_id', '=', storeId)
      .where('local_date', '>=', from)
      .where('local_date', '<=', to)
      .groupBy(start)
      .orderBy(start)
      .execute();
    return rows.map((row) => ({
      start: String(row.start),
      orderCount: Number(row.order_count),
      total: Number(row.total),
      eatInCount: Number(row.eat_in_count),
      eatInTotal: Number(row.eat_in_total),
      takeOutCount: Number(row.take_out_count),
      takeOutTotal: Number(row.take_out_total),
    }));
  }

  async bestSellers(
    storeId: string,
    from: string,
    to: string,
    limit: number,
  ): Promise<Array<{ itemId: string; name: string; quantity: number; total: number }>> {
    const rows = await this.db
      .selectFrom('daily_item_sales')
      .innerJoin('items', 'items.id', 'daily_item_sales.item_id')
      .select([
        'daily_item_sales.item_id',
        'items.name',
        (eb) => eb.fn.sum<number>('daily_item_sales.quantity').as('quantity'),
        (eb) => eb.fn.sum<number>('daily_item_sales.total').as('total'),
      ])
      .where('daily_item_sales.store_id', '=', storeId)
      .where('daily_item_sales.local_date', '>=', from)
      .where('daily_item_sales.local_date', '<=', to)
      .groupBy(['daily_item_sales.item_id', 'items.name'])
      .having((eb) => eb.fn.sum('daily_item_sales.quantity'), '>', 0)
      .orderBy('quantity', 'desc')
      .orderBy('total', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ itemId: row.item_id, name: row.name, quantity: Number(row.quantity), total: Number(row.total) }));
  }

  /** every open store of the brand with its sales total over [from, to]; stores without sales count as 0 */
  async brandTotals(brandId: string, from: string, to: string): Promise<Array<{ storeId: string; total: number }>> {
    const rows = await this.db
      .selectFrom('stores')
      .leftJoin('daily_sales', (join) =>
        join.onRef('daily_sales.store_id', '=', 'stores.id').on('daily_sales.local_date', '>=', from).on('daily_sales.local_date', '<=', to),
      )
      .select(['stores.id', (eb) => eb.fn.coalesce(eb.fn.sum<number>('daily_sales.total'), sql<number>`0`).as('total')])
      .where('stores.brand_id', '=', brandId)
      .where('stores.closed_at', 'is', null)
      .groupBy('stores.id')
      .execute();
    return rows.map((row) => ({ storeId: row.id, total: Number(row.total) }));
  }

  async storeIds(): Promise<string[]> {
    const rows = await this.db.selectFrom('stores').select('id').orderBy('id').execute();
    return rows.map((row) => row.id);
  }

  /**
   * Recomputes one store's aggregates from its orders' money, exactly as it is counted live
   * (docs/payments.md): paid and partly refunded orders count, with `paid_amount - refunded_amount`
   * in the total and their items in full; unpaid, pending and fully refunded ones do not. Optionally
   * only for some days. Safe while orders are paid: an order's own aggregate update waits on the
   * rows this deletes, and lands after, on top of the rebuilt figures.
   */
  async rebuildStore(storeId: string, days?: { from: string; to: string }): Promise<void> {
    const inDays = days ? sql`and local_date between ${days.from} and ${days.to}` : sql``;
    const ordersInDays = days ? sql`and o.local_date between ${days.from} and ${days.to}` : sql``;
    const counted = sql`o.payment_status in ('paid', 'partially_refunded')`;
    const money = sql`(o.paid_amount - o.refunded_amount)`;
    await sql`delete from daily_sales where store_id = ${storeId} ${inDays}`.execute(this.db);
    await sql`delete from daily_item_sales where store_id = ${storeId} ${inDays}`.execute(this.db);
    await sql`
      insert into daily_sales (store_id, brand_id, local_date, order_count, total, eat_in_count, eat_in_total, take_out_count, take_out_total)
      select o.store_id, s.brand_id, o.local_date, count(*), sum(${money}),
        count(*) filter (where o.dining = 'eat_in'), coalesce(sum(${money}) filter (where o.dining = 'eat_in'), 0),
        count(*) filter (where o.dining = 'take_out'), coalesce(sum(${money}) filter (where o.dining = 'take_out'), 0)
      from orders o join stores s on s.id = o.store_id
      where o.store_id = ${storeId} and ${counted} ${ordersInDays}
      group by o.store_id, s.brand_id, o.local_date`.execute(this.db);
    await sql`
      insert into daily_item_sales (store_id, local_date, item_id, quantity, total)
      select o.store_id, o.local_date, l.item_id, sum(l.quantity), sum(l.line_total)
      from orders o join order_lines l on l.order_id = o.id
      where o.store_id = ${storeId} and ${counted} ${ordersInDays}
      group by o.store_id, o.local_date, l.item_id`.execute(this.db);
  }
}
