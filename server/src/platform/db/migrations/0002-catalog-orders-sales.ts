import { sql, type Kysely, type Migration } from 'kysely';

export const migration0002CatalogOrdersSales: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      create table categories (
        id uuid primary key default gen_random_uuid(),
        store_id uuid not null references stores(id),
        name text not null,
        position integer not null,
        created_at timestamptz not null default now(),
        -- a deleted category stays for the deleted items that past orders still name
        deleted_at timestamptz
      );
      create unique index categories_store_name on categories(store_id, lower(name)) where deleted_at is null;
      create index categories_store_position on categories(store_id, position);

      create table items (
        id uuid primary key default gen_random_uuid(),
        store_id uuid not null references stores(id),
        category_id uuid not null references categories(id),
        name text not null,
        description text not null default '',
        price integer not null check (price >= 0),
        -- null: not counted; otherwise units left, never below zero
        stock integer check (stock >= 0),
        image_key text,
        shown_on_kiosk boolean not null default true,
        sold_out boolean not null default false,
        position integer not null default 0,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        deleted_at timestamptz
      );
      create index items_store_category on items(store_id, category_id) where deleted_at is null;

      create table option_groups (
        id uuid primary key default gen_random_uuid(),
        item_id uuid not null references items(id) on delete cascade,
        name text not null,
        kind text not null check (kind in ('single', 'multiple')),
        required boolean not null default false,
        position integer not null
      );
      create index option_groups_item on option_groups(item_id);

      create table options (
        id uuid primary key default gen_random_uuid(),
        group_id uuid not null references option_groups(id) on delete cascade,
        name text not null,
        price_delta integer not null default 0,
        position integer not null
      );
      create index options_group on options(group_id);

      -- the order number a store calls out: per store, per local day
      create table order_counters (
        store_id uuid not null references stores(id),
        local_date date not null,
        last_number integer not null,
        primary key (store_id, local_date)
      );

      create table orders (
        id uuid primary key default gen_random_uuid(),
        store_id uuid not null references stores(id),
        kiosk_id uuid references kiosks(id),
        customer_id uuid,
        number integer not null,
        local_date date not null,
        status text not null check (status in ('placed', 'preparing', 'ready', 'completed', 'cancelled')),
        payment_method text not null check (payment_method in ('card', 'mobile', 'counter')),
        total integer not null check (total >= 0),
        idempotency_key text,
        request_hash text,
        cancel_reason text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        cancelled_at timestamptz,
        unique (store_id, local_date, number),
        unique (store_id, idempotency_key)
      );
      create index orders_store_created on orders(store_id, created_at desc);
      create index orders_customer on orders(customer_id, created_at desc) where customer_id is not null;

      -- each line keeps what was sold at what price: later menu changes do not rewrite history
      create table order_lines (
        id uuid primary key default gen_random_uuid(),
        order_id uuid not null references orders(id) on delete cascade,
        item_id uuid not null references items(id),
        item_name text not null,
        unit_price integer not null,
        quantity integer not null check (quantity between 1 and 99),
        options jsonb not null default '[]',
        line_total integer not null,
        position integer not null
      );
      create index order_lines_order on order_lines(order_id);

      -- sales aggregated on write, per store and local day, net of cancellations
      create table daily_sales (
        store_id uuid not null references stores(id),
        brand_id uuid not null references brands(id),
        local_date date not null,
        order_count integer not null default 0,
        total bigint not null default 0,
        primary key (store_id, local_date)
      );
      create index daily_sales_brand_date on daily_sales(brand_id, local_date);

      create table daily_item_sales (
        store_id uuid not null references stores(id),
        local_date date not null,
        item_id uuid not null references items(id),
        quantity integer not null default 0,
        total bigint not null default 0,
        primary key (store_id, local_date, item_id)
      );
    `.execute(db);
  },
};
