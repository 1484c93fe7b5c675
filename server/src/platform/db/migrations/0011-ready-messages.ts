import { sql, type Kysely, type Migration } from 'kysely';

export const migration0011ReadyMessages: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      -- "your order is ready" by text message (docs/messaging.md): a consent of its own, separate from
      -- the face consent, given at registration and revocable at the kiosk and in the POS
      alter table customers
        add column ready_notice_consent boolean not null default false,
        add column ready_notice_consent_version text,
        add column ready_notice_consented_at timestamptz,
        -- the language the member registered in ('ko' | 'en'): the message's language
        add column language text not null default 'ko' check (language in ('ko', 'en'));

      -- one notification per order and kind, never two: enqueued when the order becomes ready,
      -- sent after that commit, retried with back-off by a scheduled job
      create table notifications (
        id uuid primary key default gen_random_uuid(),
        order_id uuid not null references orders(id) on delete cascade,
        kind text not null check (kind in ('order_ready')),
        store_id uuid not null references stores(id),
        customer_id uuid references customers(id) on delete set null,
        -- pending: to send (again) at next_attempt_at; sent; failed: gave up; cancelled: consent gone
        status text not null default 'pending' check (status in ('pending', 'sent', 'failed', 'cancelled')),
        attempts integer not null default 0,
        next_attempt_at timestamptz not null default now(),
        -- the provider's answer or the error's kind; never a phone number
        last_error text,
        provider_message_id text,
        created_at timestamptz not null default now(),
        sent_at timestamptz,
        unique (order_id, kind)
      );
      create index notifications_due on notifications(next_attempt_at) where status = 'pending';

      -- the embedded messaging provider: what would have been sent, readable at /dev/messages.
      -- The number is kept masked (010-****-5678): phone numbers are stored only encrypted.
      create table message_outbox (
        id bigserial primary key,
        to_masked text not null,
        body text not null,
        idempotency_key text not null unique,
        created_at timestamptz not null default now()
      );
    `.execute(db);
  },
};
