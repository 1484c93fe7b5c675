import { sql, type Kysely, type Migration } from 'kysely';

export const migration0007PlaceOrderFunction: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      -- Placing an order's writes, in one statement: run on its own (no surrounding transaction)
      -- it commits as it returns, so a store's contended rows are held for this statement and
      -- its commit only, never across round trips from the server (docs/orders-and-sales.md).
      -- The caller has priced and checked everything from unlocked reads. Rows are taken in a
      -- fixed order, the one cancellation and rebuild-sales use too: the member (key share),
      -- items (by id), daily_sales, daily_item_sales (by item), then the day's counter.
      -- Refusals raise, so nothing of the order is written: PKC01 the member is gone, PKS01 a
      -- counted item has too few units left.
      create function place_order(
        p_store_id uuid, p_brand_id uuid, p_kiosk_id uuid, p_customer_id uuid, p_local_date date,
        p_payment_method text, p_total integer, p_idempotency_key text, p_request_hash text,
        -- [{itemId, quantity}] of the items whose stock is counted
        p_stock jsonb,
        -- [{itemId, itemName, unitPrice, quantity, options, lineTotal, position}]
        p_lines jsonb
      ) returns setof orders language plpgsql as $fn$
      declare
        taken record;
        day_number integer;
        placed orders;
      begin
        if p_customer_id is not null then
          -- a member deleted meanwhile is no longer one; deleting them now waits for this order
          perform 1 from customers where id = p_customer_id and store_id = p_store_id for key share;
          if not found then
            raise exception 'not a member of this store' using errcode = 'PKC01';
          end if;
        end if;
        for taken in
          select s."itemId" as item_id, s.quantity from jsonb_to_recordset(p_stock) as s("itemId" uuid, quantity integer) order by 1
        loop
          -- never below zero: re-checked on the newest row version once its lock is ours
          update items set stock = stock - taken.quantity, sold_out = sold_out or stock = taken.quantity, updated_at = now()
            where id = taken.item_id and store_id = p_store_id and stock >= taken.quantity;
          -- no longer counted meanwhile: nothing to take
          if not found and exists (select 1 from items where id = taken.item_id and store_id = p_store_id and stock is not null) then
            raise exception 'too few units left' using errcode = 'PKS01';
          end if;
        end loop;

        insert into daily_sales (store_id, brand_id, local_date, order_count, total)
          values (p_store_id, p_brand_id, p_local_date, 1, p_total)
          on conflict (store_id, local_date) do update
            set order_count = daily_sales.order_count + 1, total = daily_sales.total + excluded.total;
        insert into daily_item_sales (store_id, local_date, item_id, quantity, total)
          select p_store_id, p_local_date, l."itemId", sum(l.quantity), sum(l."lineTotal")
            from jsonb_to_recordset(p_lines) as l("itemId" uuid, quantity integer, "lineTotal" integer)
            group by l."itemId" order by l."itemId"
          on conflict (store_id, local_date, item_id) do update
            set quantity = daily_item_sales.quantity + excluded.quantity, total = daily_item_sales.total + excluded.total;

        insert into order_counters (store_id, local_date, last_number) values (p_store_id, p_local_date, 1)
          on conflict (store_id, local_date) do update set last_number = order_counters.last_number + 1
          returning last_number into day_number;
        insert into orders (store_id, kiosk_id, customer_id, number, local_date, status, payment_method, total, idempotency_key, request_hash)
          values (p_store_id, p_kiosk_id, p_customer_id, day_number, p_local_date, 'placed', p_payment_method, p_total, p_idempotency_key, p_request_hash)
          returning * into placed;
        insert into order_lines (order_id, item_id, item_name, unit_price, quantity, options, line_total, position)
          select placed.id, l."itemId", l."itemName", l."unitPrice", l.quantity, l.options, l."lineTotal", l.position
            from jsonb_to_recordset(p_lines)
              as l("itemId" uuid, "itemName" text, "unitPrice" integer, quantity integer, options jsonb, "lineTotal" integer, position integer);
        return next placed;
      end
      $fn$;
    `.execute(db);
  },
};
