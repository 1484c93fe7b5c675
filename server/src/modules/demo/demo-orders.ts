// A year of orders for a demo store, generated here and written in large batches so a first
// start stays quick. The aggregates are then rebuilt from these orders by the same code as
// `pinokio rebuild-sales`.
import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { PaymentMethod } from '../../platform/db/schema.js';
import { addDays, daysBetween } from '../../platform/time/local-date.js';

const BATCH = 2000;
const PAYMENT_METHODS: PaymentMethod[] = ['card', 'card', 'mobile', 'counter'];

interface MenuEntry {
  id: string;
  name: string;
  price: number;
}

export async function seedOrderHistory(db: Database, storeId: string, kioskId: string, from: string, to: string, timeZone: string): Promise<number> {
  const menu: MenuEntry[] = await db
    .selectFrom('items')
    .innerJoin('categories', 'categories.id', 'items.category_id')
    .select(['items.id', 'items.name', 'items.price'])
    .where('items.store_id', '=', storeId)
    .where('items.deleted_at', 'is', null)
    .orderBy('categories.position')
    .orderBy('items.position')
    .execute();
  if (menu.length === 0) return 0;
  const offset = utcOffsetMinutes(timeZone);
  const now = Date.now();
  const orders: Array<Record<string, unknown>> = [];
  const lines: Array<Record<string, unknown>> = [];
  for (let d = 0; d < daysBetween(from, to); d++) {
    const day = addDays(from, d);
    const weekend = [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());
    const count = 12 + Math.floor(Math.random() * 18) + (weekend ? 8 : 0);
    for (let n = 1; n <= count; n++) {
      // spread over 8:00 to 21:00 local time
      const localMinutes = 8 * 60 + Math.floor(((n - 1 + Math.random()) / count) * 13 * 60);
      const createdAt = new Date(Date.parse(`${day}T00:00:00Z`) + (localMinutes - offset) * 60_000);
      if (createdAt.getTime() > now) break;
      const id = crypto.randomUUID();
      const cancelled = Math.random() < 0.04;
      let total = 0;
      const lineCount = 1 + Math.floor(Math.random() * 2.2);
      for (let position = 0; position < lineCount; position++) {
        // earlier items on the menu sell more
        const item = menu[Math.min(menu.length - 1, Math.floor(Math.random() ** 1.8 * menu.length))]!;
        const quantity = Math.random() < 0.85 ? 1 : 2;
        total += item.price * quantity;
        lines.push({ order_id: id, item_id: item.id, item_name: item.name, unit_price: item.price, quantity, options: '[]', line_total: item.price * quantity, position });
      }
      orders.push({
        id,
        store_id: storeId,
        kiosk_id: kioskId,
        number: n,
        local_date: day,
        status: cancelled ? 'cancelled' : 'completed',
        payment_method: PAYMENT_METHODS[Math.floor(Math.random() * PAYMENT_METHODS.length)]!,
        total,
        cancel_reason: cancelled ? '고객 요청' : null,
        created_at: createdAt,
        updated_at: createdAt,
        cancelled_at: cancelled ? createdAt : null,
      });
    }
  }
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < orders.length; i += BATCH) {
      await trx.insertInto('orders').values(orders.slice(i, i + BATCH) as never).execute();
    }
    for (let i = 0; i < lines.length; i += BATCH) {
      await trx.insertInto('order_lines').values(lines.slice(i, i + BATCH) as never).execute();
    }
    // today's numbering continues after the history
    await sql`
      insert into order_counters (store_id, local_date, last_number)
      select store_id, local_date, max(number) from orders where store_id = ${storeId} group by store_id, local_date
      on conflict (store_id, local_date) do update set last_number = excluded.last_number`.execute(trx);
  });
  return orders.length;
}

/** the zone's offset from UTC now, in minutes (Asia/Seoul has no daylight saving) */
function utcOffsetMinutes(timeZone: string): number {
  const now = new Date();
  const local = new Date(now.toLocaleString('en-US', { timeZone }));
  const utc = new Date(now.toLocaleString('en-US', { timeZone: 'UTC' }));
  return Math.round((local.getTime() - utc.getTime()) / 60_000);
}
