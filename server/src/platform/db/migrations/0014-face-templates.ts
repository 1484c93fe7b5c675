import { sql, type Kysely, type Migration } from 'kysely';

export const migration0014FaceTemplates: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      -- several faces per member (docs/faces.md, "Templates"): the enrolment, then visits confirmed by
      -- the phone's last 4 digits that differ from the faces kept (light, glasses, ageing). Each is
      -- encrypted like the one face before (AES-256-GCM, bound to the member: customer:<id>:face) and
      -- names the model that made it: faces of another model are never compared with new ones.
      create table customer_face_templates (
        id uuid primary key default gen_random_uuid(),
        customer_id uuid not null references customers(id) on delete cascade,
        store_id uuid not null references stores(id),
        embedding_version text not null,
        embedding_encrypted bytea not null,
        created_at timestamptz not null default now()
      );
      create index customer_face_templates_store on customer_face_templates(store_id);
      create index customer_face_templates_customer on customer_face_templates(customer_id, created_at);

      -- today's single face becomes the member's first template; every face so far came from Human
      -- 3.3.6's FaceRes (face/src/decision.ts, EMBEDDING_VERSION)
      insert into customer_face_templates (customer_id, store_id, embedding_version, embedding_encrypted, created_at)
        select id, store_id, 'human-3.3.6/faceres-1024', face_embedding_encrypted, embedding_updated_at
        from customers where face_embedding_encrypted is not null;

      -- embedding_updated_at stays: when the member's faces were (re-)enrolled, null once forgotten.
      -- Dropping the column drops its check and the retention index, made again without it.
      alter table customers drop column face_embedding_encrypted;
      create index customers_face_used on customers(greatest(last_seen_at, embedding_updated_at))
        where embedding_updated_at is not null;
    `.execute(db);
  },
};
