import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { MemberLanguage } from '../../platform/db/schema.js';

export interface CustomerRow {
  id: string;
  store_id: string;
  brand_id: string;
  phone_encrypted: Uint8Array;
  name_encrypted: Uint8Array | null;
  consent_version: string;
  consented_at: Date;
  embedding_updated_at: Date | null;
  last_seen_at: Date | null;
  created_at: Date;
  /** "your order is ready" by text message: a consent of its own (docs/messaging.md) */
  ready_notice_consent: boolean;
  language: MemberLanguage;
}

/** the ready-notice consent given with a registration: the version of the text agreed to */
export interface ReadyNoticeConsent {
  version: string;
  at: Date;
}

const columns = [
  'id',
  'store_id',
  'brand_id',
  'phone_encrypted',
  'name_encrypted',
  'consent_version',
  'consented_at',
  'embedding_updated_at',
  'last_seen_at',
  'created_at',
  'ready_notice_consent',
  'language',
] as const;

export class CustomersRepository {
  constructor(private readonly db: Database) {}

  async brandOf(storeId: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('stores').select('brand_id').where('id', '=', storeId).executeTakeFirst();
    return row?.brand_id;
  }

  async find(storeId: string, id: string, options: { lock?: boolean } = {}): Promise<CustomerRow | undefined> {
    let query = this.db.selectFrom('customers').select(columns).where('id', '=', id).where('store_id', '=', storeId);
    if (options.lock) query = query.forUpdate();
    return query.executeTakeFirst();
  }

  async findByPhone(storeId: string, phoneHash: string, options: { lock?: boolean } = {}): Promise<CustomerRow | undefined> {
    let query = this.db.selectFrom('customers').select(columns).where('store_id', '=', storeId).where('phone_hash', '=', phoneHash);
    if (options.lock) query = query.forUpdate();
    return query.executeTakeFirst();
  }

  async phoneHashOf(storeId: string, id: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('customers').select('phone_hash').where('id', '=', id).where('store_id', '=', storeId).executeTakeFirst();
    return row?.phone_hash;
  }

  /** inserts unless the phone is already a member of the store; undefined then */
  async insert(values: {
    id: string;
    storeId: string;
    brandId: string;
    phoneHash: string;
    phoneEncrypted: Uint8Array;
    nameEncrypted: Uint8Array | null;
    consentVersion: string;
    consentedAt: Date;
    readyNotice: ReadyNoticeConsent | null;
    language: MemberLanguage;
  }): Promise<CustomerRow | undefined> {
    return this.db
      .insertInto('customers')
      .values({
        id: values.id,
        store_id: values.storeId,
        brand_id: values.brandId,
        phone_hash: values.phoneHash,
        phone_encrypted: values.phoneEncrypted,
        name_encrypted: values.nameEncrypted,
        consent_version: values.consentVersion,
        consented_at: values.consentedAt,
        // the face itself goes into customer_face_templates (face-templates.repository.ts)
        embedding_updated_at: values.consentedAt,
        created_at: values.consentedAt,
        language: values.language,
        ...readyNoticeColumns(values.readyNotice),
      })
      .onConflict((conflict) => conflict.columns(['store_id', 'phone_hash']).doNothing())
      .returning(columns)
      .executeTakeFirst();
  }

  /** a member gives (again) their consent and a face (its template is stored apart); a name given now replaces the old one */
  async attachFace(
    storeId: string,
    id: string,
    values: {
      nameEncrypted: Uint8Array | null;
      consentVersion: string;
      at: Date;
      readyNotice: ReadyNoticeConsent | null;
      language: MemberLanguage;
    },
  ): Promise<CustomerRow | undefined> {
    return this.db
      .updateTable('customers')
      .set({
        embedding_updated_at: values.at,
        consent_version: values.consentVersion,
        consented_at: values.at,
        ...(values.nameEncrypted ? { name_encrypted: values.nameEncrypted } : {}),
        // a ready-notice consent given now is recorded; an unticked box leaves an earlier one as it was
        ...(values.readyNotice ? { ...readyNoticeColumns(values.readyNotice), language: values.language } : {}),
      })
      .where('id', '=', id)
      .where('store_id', '=', storeId)
      .returning(columns)
      .executeTakeFirst();
  }

  /** the member, when the face indexed at `embeddingUpdatedAt` is still theirs (not forgotten or replaced since) */
  async withCurrentFace(storeId: string, id: string, embeddingUpdatedAt: Date): Promise<CustomerRow | undefined> {
    return this.db
      .selectFrom('customers')
      .select(columns)
      .where('id', '=', id)
      .where('store_id', '=', storeId)
      .where('embedding_updated_at', '=', embeddingUpdatedAt)
      .executeTakeFirst();
  }

  /** a visit the member confirmed: their face counts as used now (the retention clock starts again) */
  async markSeen(storeId: string, id: string, at: Date): Promise<void> {
    await this.db.updateTable('customers').set({ last_seen_at: at }).where('id', '=', id).where('store_id', '=', storeId).execute();
  }

  /** revokes the member's ready-notice consent; false when there is no such member */
  async revokeReadyNotice(storeId: string, id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('customers')
      .set({ ready_notice_consent: false, ready_notice_consent_version: null, ready_notice_consented_at: null })
      .where('id', '=', id)
      .where('store_id', '=', storeId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** the member has no face any more (their templates are deleted with it: customers.service.ts) */
  async forgetFace(storeId: string, id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('customers')
      .set({ embedding_updated_at: null })
      .where('id', '=', id)
      .where('store_id', '=', storeId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** the retention job: faces neither seen nor enrolled since `cutoff` */
  async forgetFacesUnusedSince(cutoff: Date): Promise<Array<{ id: string; store_id: string }>> {
    return this.db
      .updateTable('customers')
      .set({ embedding_updated_at: null })
      .where('embedding_updated_at', 'is not', null)
      .where(sql<Date>`greatest(last_seen_at, embedding_updated_at)`, '<', cutoff)
      .returning(['id', 'store_id'])
      .execute();
  }

  /** deletes the member; their past orders stay, no longer linked to anyone (the foreign key sets them null) */
  async delete(storeId: string, id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('customers').where('id', '=', id).where('store_id', '=', storeId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /**
   * A page of the store's members, newest first, with their visits: orders placed with their
   * customer id and not cancelled (derived from orders, so it never drifts from them).
   */
  async page(
    storeId: string,
    limit: number,
    offset: number,
  ): Promise<{ rows: Array<CustomerRow & { visits: number; last_visit_at: Date | null }>; total: number }> {
    const [rows, count] = await Promise.all([
      this.db
        .selectFrom((eb) =>
          eb
            .selectFrom('customers')
            .select(columns)
            .where('store_id', '=', storeId)
            .orderBy('created_at', 'desc')
            .orderBy('id')
            .limit(limit)
            .offset(offset)
            .as('c'),
        )
        .leftJoinLateral(
          (eb) =>
            eb
              .selectFrom('orders')
              .select((e) => [e.fn.count<number>('orders.id').as('visits'), e.fn.max('orders.created_at').as('last_visit_at')])
              .whereRef('orders.customer_id', '=', 'c.id')
              .whereRef('orders.store_id', '=', 'c.store_id')
              .where('orders.status', '<>', 'cancelled')
              .as('v'),
          (join) => join.onTrue(),
        )
        .selectAll('c')
        .select(['v.visits', 'v.last_visit_at'])
        .orderBy('c.created_at', 'desc')
        .orderBy('c.id')
        .execute(),
      this.db
        .selectFrom('customers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('store_id', '=', storeId)
        .executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map((row) => ({ ...row, visits: Number(row.visits), last_visit_at: row.last_visit_at as Date | null })), total: Number(count.n) };
  }
}

function readyNoticeColumns(consent: ReadyNoticeConsent | null) {
  return consent
    ? { ready_notice_consent: true, ready_notice_consent_version: consent.version, ready_notice_consented_at: consent.at }
    : { ready_notice_consent: false, ready_notice_consent_version: null, ready_notice_consented_at: null };
}
