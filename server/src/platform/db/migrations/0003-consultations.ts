import { sql, type Kysely, type Migration } from 'kysely';

export const migration0003Consultations: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      -- a counselor's availability: their own choice (online or away) and how many kiosks at once
      create table counselor_presence (
        account_id uuid primary key references accounts(id),
        status text not null default 'away' check (status in ('online', 'away')),
        capacity integer not null check (capacity between 1 and 3),
        updated_at timestamptz not null default now()
      );

      -- one row per open consultation socket, touched at every heartbeat: who is reachable, seen by
      -- every instance (a row whose instance died goes stale and stops counting)
      create table consultation_connections (
        id uuid primary key,
        role text not null check (role in ('kiosk', 'counselor')),
        subject_id uuid not null,
        connected_at timestamptz not null default now(),
        seen_at timestamptz not null default now()
      );
      create index consultation_connections_subject on consultation_connections(subject_id, seen_at);

      create table consultation_requests (
        id uuid primary key default gen_random_uuid(),
        kiosk_id uuid not null references kiosks(id),
        store_id uuid not null references stores(id),
        brand_id uuid not null references brands(id),
        status text not null check (status in ('waiting', 'accepted', 'rejected', 'expired', 'cancelled')),
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        decided_at timestamptz,
        consultation_id uuid
      );
      -- a kiosk waits for one counselor at a time
      create unique index consultation_requests_waiting_kiosk on consultation_requests(kiosk_id) where status = 'waiting';
      create index consultation_requests_waiting_brand on consultation_requests(brand_id, created_at) where status = 'waiting';

      -- which counselors a request was shown to, and who said no
      create table consultation_offers (
        request_id uuid not null references consultation_requests(id) on delete cascade,
        counselor_id uuid not null references accounts(id),
        offered_at timestamptz not null default now(),
        rejected_at timestamptz,
        primary key (request_id, counselor_id)
      );
      create index consultation_offers_counselor on consultation_offers(counselor_id);

      create table consultations (
        id uuid primary key default gen_random_uuid(),
        request_id uuid not null unique references consultation_requests(id),
        kiosk_id uuid not null references kiosks(id),
        store_id uuid not null references stores(id),
        brand_id uuid not null references brands(id),
        counselor_id uuid not null references accounts(id),
        local_date date not null,
        started_at timestamptz not null default now(),
        ended_at timestamptz,
        ended_by text check (ended_by in ('kiosk', 'counselor', 'system')),
        outcome text check (outcome in ('completed', 'disconnected')),
        -- set while that side has no socket; past the reconnect grace the consultation ends
        kiosk_left_at timestamptz,
        counselor_left_at timestamptz,
        check ((ended_at is null) = (outcome is null))
      );
      -- a kiosk is in one live consultation at most; a counselor's live ones are counted for seats
      create unique index consultations_live_kiosk on consultations(kiosk_id) where ended_at is null;
      create index consultations_live_counselor on consultations(counselor_id) where ended_at is null;
      create index consultations_counselor_date on consultations(counselor_id, local_date);
      create index consultations_store_date on consultations(store_id, local_date);

      alter table consultation_requests add foreign key (consultation_id) references consultations(id);
    `.execute(db);
  },
};
