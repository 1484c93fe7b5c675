import { sql, type Kysely, type Migration } from 'kysely';

// Paying at the kiosk (docs/payments.md): the order's payment state, the kiosk's charges, refunds,
// receipts and their prints, the kiosk's peripherals, the store's business details and payment
// settings, the daily reconciliation. Sales now count paid money: place_order no longer adds to the
// day's aggregates (OrdersService.confirmPayment does, when the money is in).
export const migration0017Payments: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      alter table orders
        add column payment_status text not null default 'unpaid'
          check (payment_status in ('pending', 'unpaid', 'paid', 'partially_refunded', 'refunded')),
        add column paid_method text check (paid_method in ('kiosk_card', 'mobile', 'counter_cash', 'counter_card')),
        add column paid_amount integer not null default 0 check (paid_amount >= 0),
        add column refunded_amount integer not null default 0,
        add column approval_number text check (char_length(approval_number) between 1 and 40),
        add column paid_at timestamptz,
        -- when a pending or unpaid order expires if not paid (the expiry job)
        add column pay_by timestamptz,
        -- the counter payment's Idempotency-Key: its retry answers the paid order, another is already_paid
        add column payment_idempotency_key text,
        add constraint orders_refund_within_paid check (refunded_amount between 0 and paid_amount),
        -- money in means a method and a time
        add constraint orders_paid_has_method check (
          payment_status in ('pending', 'unpaid') or (paid_method is not null and paid_at is not null)
        );
      -- Orders from before: those not cancelled were counted in the sales figures when placed, so
      -- they are paid, by what their payment_method implies; cancelled ones stay unpaid (never counted).
      update orders set
        payment_status = 'paid',
        paid_method = case payment_method when 'card' then 'kiosk_card' when 'mobile' then 'mobile' else 'counter_cash' end,
        paid_amount = total,
        paid_at = created_at
      where status <> 'cancelled';
      -- the expiry scan: orders still waiting for their money
      create index orders_awaiting_payment on orders(pay_by) where status = 'placed' and payment_status in ('pending', 'unpaid');

      -- one per charge at the kiosk (card through the agent's terminal, mobile through the gateway);
      -- the id is the payment_id on the wire and the reference the terminal voids by
      create table payment_attempts (
        id uuid primary key default gen_random_uuid(),
        store_id uuid not null references stores(id),
        order_id uuid not null references orders(id),
        kiosk_id uuid references kiosks(id),
        method text not null check (method in ('card', 'mobile')),
        amount integer not null check (amount >= 0),
        state text not null default 'requested'
          check (state in ('requested', 'approved', 'confirmed', 'declined', 'void_requested', 'voided', 'void_failed')),
        approval_number text,
        -- the terminal's transaction or the gateway's paymentKey
        provider_reference text,
        outcome_message text,
        -- past it, an approval is no longer confirmed: the agent voids it
        confirm_by timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      -- at most one charge under way or taken per order: a second could take the money twice
      create unique index payment_attempts_one_live on payment_attempts(order_id) where state in ('requested', 'approved', 'confirmed');
      create index payment_attempts_order on payment_attempts(order_id, created_at);
      create index payment_attempts_store_created on payment_attempts(store_id, created_at);

      create table refunds (
        id uuid primary key default gen_random_uuid(),
        store_id uuid not null references stores(id),
        order_id uuid not null references orders(id),
        amount integer not null check (amount > 0),
        -- the order's paid_method: how the money goes back
        method text not null check (method in ('kiosk_card', 'mobile', 'counter_cash', 'counter_card')),
        reason text not null check (char_length(reason) between 1 and 200),
        -- who gave it back (the POS's owner); null when the system did (a voided confirmed charge)
        account_id uuid references accounts(id),
        idempotency_key text,
        -- kiosk card and mobile refunds are 'pending' until the terminal or gateway answers
        state text not null default 'done' check (state in ('pending', 'done', 'failed')),
        provider_reference text,
        outcome_message text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (order_id, idempotency_key)
      );
      create index refunds_store_created on refunds(store_id, created_at);
      create index refunds_order on refunds(order_id, created_at);

      alter table stores
        add column business_name text check (char_length(business_name) between 1 and 60),
        -- 10 digits (shown as 000-00-00000); the service checks the check digit
        add column business_registration_number text check (business_registration_number ~ '^[0-9]{10}$'),
        add column business_address text check (char_length(business_address) between 1 and 120),
        add column business_phone text check (char_length(business_phone) between 1 and 20),
        add column kitchen_starts_unpaid boolean not null default true,
        add column unpaid_expiry_minutes integer not null default 30 check (unpaid_expiry_minutes between 5 and 1440);

      -- the digital receipt: only the token's sha-256 is kept (the token is in the QR code and the link)
      create table receipts (
        id uuid primary key default gen_random_uuid(),
        store_id uuid not null references stores(id),
        order_id uuid not null references orders(id),
        token_hash text not null unique,
        expires_at timestamptz not null,
        created_at timestamptz not null default now()
      );
      create index receipts_order on receipts(order_id);
      -- one per PrintReceipt sent (the id is the receipt_id on the wire)
      create table receipt_prints (
        id uuid primary key default gen_random_uuid(),
        order_id uuid not null references orders(id),
        kiosk_id uuid not null references kiosks(id),
        state text not null default 'sent' check (state in ('sent', 'printed', 'paper_out', 'offline')),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      create index receipt_prints_order on receipt_prints(order_id, created_at);

      -- what the kiosk's agent last said about its card terminal and receipt printer
      alter table kiosks
        add column printer_status text not null default 'none'
          check (printer_status in ('none', 'ready', 'paper_low', 'paper_out', 'offline')),
        add column terminal_status text not null default 'none' check (terminal_status in ('none', 'ready', 'offline')),
        add column peripherals_at timestamptz;

      -- one run per store and business date (a rerun replaces it)
      create table reconciliation_runs (
        id uuid primary key default gen_random_uuid(),
        store_id uuid not null references stores(id),
        business_date date not null,
        started_at timestamptz not null default now(),
        finished_at timestamptz,
        orders_checked integer not null default 0 check (orders_checked >= 0),
        mismatch_count integer not null default 0 check (mismatch_count >= 0),
        unique (store_id, business_date)
      );
      create table reconciliation_mismatches (
        id uuid primary key default gen_random_uuid(),
        run_id uuid not null references reconciliation_runs(id) on delete cascade,
        store_id uuid not null references stores(id),
        order_id uuid references orders(id),
        payment_attempt_id uuid references payment_attempts(id),
        kind text not null
          check (kind in ('charge_without_order', 'amount_mismatch', 'order_without_charge', 'void_failed', 'refund_failed', 'gateway_mismatch')),
        expected_amount integer,
        actual_amount integer,
        detail text not null,
        created_at timestamptz not null default now()
      );
      create index reconciliation_mismatches_run on reconciliation_mismatches(run_id, created_at);
    `.execute(db);
    await sql`
      drop function place_order(uuid, uuid, uuid, uuid, date, text, integer, text, text, jsonb, jsonb, text);
    `.execute(db);
    await sql`
      -- 0008's place_order without the sales counting (an order counts once it is paid:
      -- OrdersService.confirmPayment), and with the order's payment state: 'unpaid' (counter) or
      -- 'pending' (a charge at the kiosk), and when it expires unpaid. Same locking order and
      -- refusals (PKC01, PKS01); the day's aggregates are no longer touched here.
      create function place_order(
        p_store_id uuid, p_brand_id uuid, p_kiosk_id uuid, p_customer_id uuid, p_local_date date,
        p_payment_method text, p_total integer, p_idempotency_key text, p_request_hash text,
        -- [{itemId, quantity}] of the items whose stock is counted
        p_stock jsonb,
        -- [{itemId, itemName, unitPrice, quantity, options, lineTotal, position, note}]
        p_lines jsonb,
        -- 'eat_in' | 'take_out'
        p_dining text,
        -- 'unpaid' | 'pending'
        p_payment_status text,
        p_pay_by timestamptz
      ) returns setof orders language plpgsql as $fn$
      declare
        taken record;
        day_number integer;
        placed orders;
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

        insert into order_counters (store_id, local_date, last_number) values (p_store_id, p_local_date, 1)
          on conflict (store_id, local_date) do update set last_number = order_counters.last_number + 1
          returning last_number into day_number;
        insert into orders (store_id, kiosk_id, customer_id, number, local_date, status, payment_method, total, idempotency_key,
                            request_hash, dining, payment_status, pay_by)
          values (p_store_id, p_kiosk_id, p_customer_id, day_number, p_local_date, 'placed', p_payment_method, p_total,
                  p_idempotency_key, p_request_hash, p_dining, p_payment_status, p_pay_by)
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
