// A year of orders for a demo store, made inside the database by one set-based statement
// (generate_series + insert ... select), so a first start takes seconds: nothing is generated in
// JavaScript or sent over the connection row by row. The store's aggregates are then rebuilt from
// these orders by the same code as `pinokio rebuild-sales` (which counts paid money: the picked-up
// orders are paid, the cancelled ones never were).
import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.js';

/**
 * Orders from `from` to `to` (local days, both included) by one kiosk, none later than now:
 * 12 to 29 a day (8 more at weekends) between 8:00 and 21:00 local time, 1 to 3 lines each, earlier
 * menu items selling more, 4 % cancelled; mostly take-out in the morning rush, mostly eat-in in the
 * afternoon (so the sales report's eat-in / take-out split shows both). Returns how many orders were written.
 */
export async function seedOrderHistory(db: Database, storeId: string, kioskId: string, from: string, to: string, timeZone: string): Promise<number> {
  // Every CTE that calls random() is materialized (PostgreSQL never inlines a volatile CTE), so an
  // order's total is the sum of the very lines stored with it.
  const result = await sql<{ orders: number }>`
    with menu as (
      select (row_number() over (order by c.position, i.position) - 1)::int as idx, i.id, i.name, i.price
      from items i join categories c on c.id = i.category_id
      where i.store_id = ${storeId} and i.deleted_at is null
    ),
    menu_size as (select count(*)::int as n from menu),
    days as materialized (
      select d::date as local_date,
             12 + floor(random() * 18)::int + case when extract(isodow from d) in (6, 7) then 8 else 0 end as per_day
      from generate_series(${from}::date, ${to}::date, interval '1 day') as d
    ),
    placed as materialized (
      select gen_random_uuid() as id, days.local_date, n as number,
             (days.local_date + make_interval(mins => at_minute.minute)) at time zone ${timeZone} as created_at,
             random() < 0.04 as cancelled,
             (array['card', 'card', 'mobile', 'counter'])[1 + floor(random() * 4)::int] as payment_method,
             1 + floor(random() * 2.2)::int as line_count,
             -- take-out: 70 % before 11:00, 55 % over lunch, 35 % in the afternoon and evening
             case when random() < case when at_minute.minute < 11 * 60 then 0.7 when at_minute.minute < 14 * 60 then 0.55 else 0.35 end
                  then 'take_out' else 'eat_in' end as dining
      from days cross join lateral generate_series(1, days.per_day) as n
      -- spread over 8:00 to 21:00 local time
      cross join lateral (select 8 * 60 + floor(((n - 1 + random()) / days.per_day) * 13 * 60)::int as minute) as at_minute
    ),
    happened as (select * from placed where created_at <= now()),
    drawn as materialized (
      select o.id as order_id, position, random() as item_draw, random() as quantity_draw
      from happened o cross join lateral generate_series(0, o.line_count - 1) as position
    ),
    lines as (
      select d.order_id, d.position, m.id as item_id, m.name as item_name, m.price as unit_price,
             case when d.quantity_draw < 0.85 then 1 else 2 end as quantity
      from drawn d cross join menu_size
      -- earlier items on the menu sell more
      join menu m on m.idx = least(menu_size.n - 1, floor(power(d.item_draw, 1.8) * menu_size.n)::int)
    ),
    written_orders as (
      -- picked up orders were paid (by what the customer chose: sales count paid money); cancelled ones never were
      insert into orders (id, store_id, kiosk_id, number, local_date, status, payment_method, total, cancel_reason, created_at, updated_at, cancelled_at, dining,
                          payment_status, paid_method, paid_amount, paid_at, approval_number)
      select o.id, ${storeId}::uuid, ${kioskId}::uuid, o.number, o.local_date,
             case when o.cancelled then 'cancelled' else 'completed' end, o.payment_method,
             t.total, case when o.cancelled then '고객 요청' end, o.created_at, o.created_at,
             case when o.cancelled then o.created_at end, o.dining,
             case when o.cancelled then 'unpaid' else 'paid' end,
             case when o.cancelled then null
                  when o.payment_method = 'card' then 'kiosk_card' when o.payment_method = 'mobile' then 'mobile' else 'counter_cash' end,
             case when o.cancelled then 0 else t.total end,
             case when o.cancelled then null else o.created_at end,
             case when not o.cancelled and o.payment_method <> 'counter' then lpad((floor(random() * 100000000))::int::text, 8, '0') end
      from happened o
      join (select order_id, sum(unit_price * quantity)::int as total from lines group by order_id) t on t.order_id = o.id
      returning number, local_date
    ),
    written_lines as (
      insert into order_lines (order_id, item_id, item_name, unit_price, quantity, options, line_total, position)
      select order_id, item_id, item_name, unit_price, quantity, '[]', unit_price * quantity, position from lines
      returning 1
    ),
    -- today's numbering continues after the history
    counters as (
      insert into order_counters (store_id, local_date, last_number)
      select ${storeId}::uuid, local_date, max(number) from written_orders group by local_date
      on conflict (store_id, local_date) do update set last_number = excluded.last_number
      returning 1
    )
    select (select count(*) from written_orders)::int as orders,
           (select count(*) from written_lines)::int as lines,
           (select count(*) from counters)::int as days`.execute(db);
  return result.rows[0]?.orders ?? 0;
}
