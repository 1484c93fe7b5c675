import type { Database } from '../../platform/db/database.js';

/** one of a member's faces, as stored (docs/faces.md, "Templates") */
export interface FaceTemplateRow {
  id: string;
  customer_id: string;
  embedding_version: string;
  embedding_encrypted: Uint8Array;
  created_at: Date;
  /** the member's enrolment time: a match is confirmed against it (customers.embedding_updated_at) */
  embedding_updated_at: Date;
}

const columns = [
  'customer_face_templates.id',
  'customer_face_templates.customer_id',
  'customer_face_templates.embedding_version',
  'customer_face_templates.embedding_encrypted',
  'customer_face_templates.created_at',
  'customers.embedding_updated_at',
] as const;

export class FaceTemplatesRepository {
  constructor(private readonly db: Database) {}

  /** every face of the store's members who have one, for the in-memory index */
  async ofStore(storeId: string): Promise<FaceTemplateRow[]> {
    const rows = await this.db
      .selectFrom('customer_face_templates')
      .innerJoin('customers', 'customers.id', 'customer_face_templates.customer_id')
      .select(columns)
      .where('customer_face_templates.store_id', '=', storeId)
      .where('customers.embedding_updated_at', 'is not', null)
      .execute();
    return rows as FaceTemplateRow[];
  }

  /** one member's faces, oldest first */
  async ofMember(storeId: string, customerId: string): Promise<FaceTemplateRow[]> {
    const rows = await this.db
      .selectFrom('customer_face_templates')
      .innerJoin('customers', 'customers.id', 'customer_face_templates.customer_id')
      .select(columns)
      .where('customer_face_templates.store_id', '=', storeId)
      .where('customer_face_templates.customer_id', '=', customerId)
      .where('customers.embedding_updated_at', 'is not', null)
      .orderBy('customer_face_templates.created_at')
      .orderBy('customer_face_templates.id')
      .execute();
    return rows as FaceTemplateRow[];
  }

  async insert(values: { id: string; customerId: string; storeId: string; embeddingVersion: string; embeddingEncrypted: Uint8Array; at: Date }): Promise<void> {
    await this.db
      .insertInto('customer_face_templates')
      .values({
        id: values.id,
        customer_id: values.customerId,
        store_id: values.storeId,
        embedding_version: values.embeddingVersion,
        embedding_encrypted: values.embeddingEncrypted,
        created_at: values.at,
      })
      .execute();
  }

  async delete(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.deleteFrom('customer_face_templates').where('id', 'in', ids).execute();
  }

  /** every face of these members ("forget my face", re-enrolment, the retention job) */
  async deleteOfMembers(customerIds: string[]): Promise<void> {
    if (customerIds.length === 0) return;
    await this.db.deleteFrom('customer_face_templates').where('customer_id', 'in', customerIds).execute();
  }
}
