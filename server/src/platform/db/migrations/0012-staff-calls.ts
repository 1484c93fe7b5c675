import { sql, type Kysely, type Migration } from 'kysely';

export const migration0012StaffCalls: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      -- a customer at a kiosk asked for a person (reason 'requested'), or a customer in large-type or
      -- voice mode made no progress for the store's stall time ('stalled'); listed per local day in
      -- the POS, acknowledged there by the owner
      create table staff_calls (
        id uuid primary key default gen_random_uuid(),
        store_id uuid not null references stores(id),
        kiosk_id uuid not null references kiosks(id),
        reason text not null check (reason in ('requested', 'stalled')),
        mode text not null check (mode in ('large', 'voice', 'standard')),
        local_date date not null,
        created_at timestamptz not null default now(),
        acknowledged_at timestamptz,
        acknowledged_by uuid references accounts(id)
      );
      create index staff_calls_store_day on staff_calls(store_id, local_date, created_at);
      -- a kiosk's open call, for merging a repeated press into it
      create index staff_calls_kiosk_open on staff_calls(kiosk_id, created_at) where acknowledged_at is null;

      -- a store without a row uses the default (90 s)
      create table staff_call_settings (
        store_id uuid primary key references stores(id),
        stall_alert_seconds integer not null default 90 check (stall_alert_seconds between 30 and 900),
        updated_at timestamptz not null default now()
      );
    `.execute(db);
  },
};
