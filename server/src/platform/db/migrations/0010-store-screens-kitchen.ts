import { sql, type Kysely, type Migration } from 'kysely';

export const migration0010StoreScreensKitchen: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      -- a store's screens sign in like its kiosks: a kitchen display or a pickup board is a row of
      -- kiosks with its kind; only kind 'kiosk' may order or connect as a device
      alter table kiosks add column kind text not null default 'kiosk' check (kind in ('kiosk', 'kitchen', 'pickup'));
      alter table sessions drop constraint sessions_role_check;
      alter table sessions add constraint sessions_role_check check (role in ('owner', 'counselor', 'kiosk', 'kitchen', 'pickup'));

      -- a store without a row uses the defaults
      create table kitchen_settings (
        store_id uuid primary key references stores(id),
        late_after_minutes integer not null default 7 check (late_after_minutes between 1 and 120),
        pickup_hold_minutes integer not null default 10 check (pickup_hold_minutes between 1 and 240),
        updated_at timestamptz not null default now()
      );

      -- stations (bar, kitchen, ...) and which categories each one makes; a category may go to
      -- several stations, and a line of a category routed nowhere shows on every screen
      create table kitchen_stations (
        id uuid primary key default gen_random_uuid(),
        store_id uuid not null references stores(id),
        name text not null check (length(name) between 1 and 40),
        created_at timestamptz not null default now()
      );
      create index kitchen_stations_store on kitchen_stations(store_id);
      create table kitchen_category_stations (
        category_id uuid not null references categories(id) on delete cascade,
        station_id uuid not null references kitchen_stations(id) on delete cascade,
        primary key (category_id, station_id)
      );
      create index kitchen_category_stations_station on kitchen_category_stations(station_id);

      -- the kitchen and the pickup board read a store's open orders
      create index orders_store_open on orders(store_id, created_at) where status in ('placed', 'preparing', 'ready');
    `.execute(db);
  },
};
