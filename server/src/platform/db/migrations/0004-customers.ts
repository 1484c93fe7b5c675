import { sql, type Kysely, type Migration } from 'kysely';

export const migration0004Customers: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      -- members of one store (docs/customers.md). Personal data is encrypted with AES-256-GCM under
      -- CUSTOMER_DATA_KEY; the phone is found through a keyed hash, so the table alone reveals nothing.
      create table customers (
        id uuid primary key default gen_random_uuid(),
        store_id uuid not null references stores(id),
        brand_id uuid not null references brands(id),
        -- HMAC-SHA256(lookup key, store id + normalised phone): lookups and uniqueness without plaintext
        phone_hash text not null,
        phone_encrypted bytea not null,
        name_encrypted bytea,
        consent_version text not null,
        consented_at timestamptz not null,
        -- the face descriptor (float32 little-endian), encrypted; null once forgotten
        face_embedding_encrypted bytea,
        embedding_updated_at timestamptz,
        last_seen_at timestamptz,
        created_at timestamptz not null default now(),
        unique (store_id, phone_hash),
        check ((face_embedding_encrypted is null) = (embedding_updated_at is null))
      );
      create index customers_store_created on customers(store_id, created_at desc, id);
      -- the retention job: faces not seen for a long time
      create index customers_face_used on customers(greatest(last_seen_at, embedding_updated_at))
        where face_embedding_encrypted is not null;
    `.execute(db);
  },
};
