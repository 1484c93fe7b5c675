import { sql, type Kysely, type Migration } from 'kysely';

// Eat-in or take-out per order, a short note per order line, which items are offered for which,
// and the day's sales split by dining (docs/orders-and-sales.md).
export const migration0008DiningNotes: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      -- null: placed before the kiosk asked (read as "unknown"); new orders always say which
      alter table orders add column dining text check (dining in ('eat_in', 'take_out'));
      -- "덜 달게": at most 40 characters, no control characters (the service refuses them first)
      alter table order_lines add column note text
        check (char_length(note) between 1 and 40 and note !~ '[[:cntrl:]]');
      alter table items add column dining text not null default 'any'
        check (dining in ('any', 'eat_in_only', 'take_out_only'));
      -- the day's orders and totals of each kind; orders of neither (old rows) are the rest of order_count/total
      alter table daily_sales
        add column eat_in_count integer not null default 0,
        add column eat_in_total bigint not null default 0,
        add column take_out_count integer not null default 0,
        add column take_out_total bigint not null default 0;
    `.execute(db);
    await sql`
      drop function place_order(uuid, uuid, uuid, uuid, date, text, integer, text, text, jsonb, jsonb);
    `.execute(db);
    await sql`
      -- 0007's place_order, now storing the order's dining and each line's note, and counting
      -- the order in the day's split. Same locking order and refusals (PKC01, PKS01).
      create function place_order(
        p_store_id uuid, p_brand_id uuid, p_kiosk_id uuid, p_customer_id uuid, p_local_date date,
        p_payment_method text, p_total integer, p_idempotency_key text, p_request_hash text,
        -- [{itemId, quantity}] of the items whose stock is counted
        p_stock jsonb,
        -- [{itemId, itemName, unitPrice, quantity, options, lineTotal, position, note}]
        p_lines jsonb,
        -- 'eat_in' | 'take_out'
        p_dining text
      ) returns setof orders language plpgsql as $fn$
      declare
        taken record;
        day_number integer;
        placed orders;
        is_eat_in integer := case when p_dining = 'eat_in' then 1 else 0 end;
        is_take_out integer := case when p_dining = 'take_out' then 1 else 0 end;
      begin
        if p_customer_id is not null then
          perform 1 from customers where id = p_customer_id and store_id = p_store_id for key share;
          if not found then
            raise exception 'not a member of this store' using errcode = 'PKC01';
          end if;
        end if;
        for taken in
          select s."itemId" as item_id, s.quantity from jsonb_to_recordset(p_stock) as s("itemId" uuid, quantity integer) order by 1
        loop
          update items set stock = stock - taken.quantity, sold_out = sold_out or stock = taken.quantity, updated_at = now()
            where id = taken.item_id and store_id = p_store_id and stock >= taken.quantity;
          if not found and exists (select 1 from items where id = taken.item_id and store_id = p_store_id and stock is not null) then
            raise exception 'too few units left' using errcode = 'PKS01';
          end if;
        end loop;

        insert into daily_sales (store_id, brand_id, local_date, order_count, total, eat_in_count, eat_in_total, take_out_count, take_out_total)
          values (p_store_id, p_brand_id, p_local_date, 1, p_total, is_eat_in, is_eat_in * p_total, is_take_out, is_take_out * p_total)
          on conflict (store_id, local_date) do update
            set order_count = daily_sales.order_count + 1, total = daily_sales.total + excluded.total,
                eat_in_count = daily_sales.eat_in_count + excluded.eat_in_count,
                eat_in_total = daily_sales.eat_in_total + excluded.eat_in_total,
                take_out_count = daily_sales.take_out_count + excluded.take_out_count,
                take_out_total = daily_sales.take_out_total + excluded.take_out_total;
        insert into daily_item_sales (store_id, local_date, item_id, quantity, total)
          select p_store_id, p_local_date, l."itemId", sum(l.quantity), sum(l."lineTotal")
            from jsonb_to_recordset(p_lines) as l("itemId" uuid, quantity integer, "lineTotal" integer)
            group by l."itemId" order by l."itemId"
          on conflict (store_id, local_date, item_id) do update
            set quantity = daily_item_sales.quantity + excluded.quantity, total = daily_item_sales.total + excluded.total;

        insert into order_counters (store_id, local_date, last_number) values (p_store_id, p_local_date, 1)
          on conflict (store_id, local_date) do update set last_number = order_counters.last_number + 1
          returning last_number into day_number;
        insert into orders (store_id, kiosk_id, customer_id, number, local_date, status, payment_method, total, idempotency_key, request_hash, dining)
          values (p_store_id, p_kiosk_id, p_customer_id, day_number, p_local_date, 'placed', p_payment_method, p_total, p_idempotency_key, p_request_hash, p_dining)
          returning * into placed;
        insert into order_lines (order_id, item_id, item_name, unit_price, quantity, options, line_total, position, note)
          select placed.id, l."itemId", l."itemName", l."unitPrice", l.quantity, l.options, l."lineTotal", l.position, l.note
            from jsonb_to_recordset(p_lines)
              as l("itemId" uuid, "itemName" text, "unitPrice" integer, quantity integer, options jsonb, "lineTotal" integer, position integer, note text);
        return next placed;
      end
      $fn$;
    `.execute(db);
  },
};
