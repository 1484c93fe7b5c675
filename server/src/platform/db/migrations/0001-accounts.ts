import { sql, type Kysely, type Migration } from 'kysely';

export const migration0001Accounts: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      create table brands (
        id uuid primary key default gen_random_uuid(),
        name text not null,
        code text not null unique,
        created_at timestamptz not null default now()
      );

      create table stores (
        id uuid primary key default gen_random_uuid(),
        brand_id uuid not null references brands(id),
        name text not null,
        time_zone text not null default 'Asia/Seoul',
        closed_at timestamptz,
        created_at timestamptz not null default now()
      );
      create index stores_brand on stores(brand_id);

      -- store owners and counselors; kiosks are devices and live in their own table
      create table accounts (
        id uuid primary key default gen_random_uuid(),
        role text not null check (role in ('owner', 'counselor')),
        email text not null,
        password_hash text not null,
        display_name text not null,
        brand_id uuid not null references brands(id),
        store_id uuid references stores(id),
        withdrawn_at timestamptz,
        created_at timestamptz not null default now(),
        check ((role = 'owner') = (store_id is not null))
      );
      create unique index accounts_role_email on accounts(role, lower(email)) where withdrawn_at is null;

      create table kiosks (
        id uuid primary key default gen_random_uuid(),
        store_id uuid not null references stores(id),
        name text not null,
        login_id text not null unique,
        secret_hash text not null,
        created_at timestamptz not null default now(),
        deleted_at timestamptz
      );
      create index kiosks_store on kiosks(store_id) where deleted_at is null;

      -- a session is one sign-in: its refresh tokens form a family that is revoked together
      create table sessions (
        id uuid primary key default gen_random_uuid(),
        role text not null check (role in ('owner', 'counselor', 'kiosk')),
        subject_id uuid not null,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        revoked_at timestamptz,
        revoke_reason text
      );
      create index sessions_subject on sessions(subject_id) where revoked_at is null;

      create table refresh_tokens (
        token_hash text primary key,
        session_id uuid not null references sessions(id) on delete cascade,
        expires_at timestamptz not null,
        used_at timestamptz,
        created_at timestamptz not null default now()
      );
      create index refresh_tokens_session on refresh_tokens(session_id);

      -- emailed one-time codes: sign-up verification and password reset
      create table email_codes (
        id uuid primary key default gen_random_uuid(),
        email text not null,
        purpose text not null check (purpose in ('signup', 'password_reset')),
        role text check (role in ('owner', 'counselor')),
        code_hash text not null,
        attempts integer not null default 0,
        expires_at timestamptz not null,
        verified_at timestamptz,
        verification_token_hash text unique,
        consumed_at timestamptz,
        created_at timestamptz not null default now()
      );
      create index email_codes_email on email_codes(lower(email), purpose, created_at desc);

      -- secrets generated on first start and shared by every server instance on this database
      create table server_secrets (
        name text primary key,
        value text not null,
        created_at timestamptz not null default now()
      );

      create table mail_outbox (
        id bigserial primary key,
        to_address text not null,
        subject text not null,
        body text not null,
        created_at timestamptz not null default now()
      );
    `.execute(db);
  },
};
