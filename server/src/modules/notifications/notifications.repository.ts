import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { MemberLanguage, NotificationKind } from '../../platform/db/schema.js';

/** what sending one notification needs: the order's number and store, the member's consent and sealed phone */
export interface NotificationToSend {
  id: string;
  orderId: string;
  kind: NotificationKind;
  attempts: number;
  orderNumber: number;
  storeName: string;
  customerId: string | null;
  consent: boolean;
  phoneEncrypted: Uint8Array | null;
  language: MemberLanguage;
}

export class NotificationsRepository {
  constructor(private readonly db: Database) {}

  /**
   * The order's "ready" notification, when the order is ready and its member consents; nothing when
   * one exists already (the unique order_id + kind), so an order is never notified twice.
   */
  async enqueueOrderReady(storeId: string, orderId: string): Promise<string | undefined> {
    const result = await sql<{ id: string }>`
      insert into notifications (order_id, kind, store_id, customer_id)
      select o.id, 'order_ready', o.store_id, o.customer_id
        from orders o
        join customers c on c.id = o.customer_id and c.store_id = o.store_id
       where o.id = ${orderId} and o.store_id = ${storeId} and o.status = 'ready' and c.ready_notice_consent
      on conflict (order_id, kind) do nothing
      returning id
    `.execute(this.db);
    return result.rows[0]?.id;
  }

  /**
   * Takes a due notification for one attempt: counts the attempt and moves its next attempt a lease
   * ahead, so another instance (or the retry job) does not send it meanwhile. Undefined when it is
   * not due (sent, given up, or taken by someone else).
   */
  async claim(id: string, leaseSeconds: number): Promise<NotificationToSend | undefined> {
    const claimed = await this.db
      .updateTable('notifications')
      .set({ attempts: sql`attempts + 1`, next_attempt_at: sql`now() + make_interval(secs => ${leaseSeconds})` })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', sql<Date>`now()`)
      .returning(['id', 'order_id', 'kind', 'attempts', 'customer_id'])
      .executeTakeFirst();
    if (!claimed) return undefined;
    const row = await this.db
      .selectFrom('orders as o')
      .innerJoin('stores as s', 's.id', 'o.store_id')
      .leftJoin('customers as c', (join) => join.onRef('c.id', '=', 'o.customer_id').onRef('c.store_id', '=', 'o.store_id'))
      .select(['o.number', 's.name as store_name', 'c.id as customer_id', 'c.ready_notice_consent', 'c.phone_encrypted', 'c.language'])
      .where('o.id', '=', claimed.order_id)
      .executeTakeFirst();
    return {
      id: claimed.id,
      orderId: claimed.order_id,
      kind: claimed.kind,
      attempts: claimed.attempts,
      orderNumber: row?.number ?? 0,
      storeName: row?.store_name ?? '',
      customerId: row?.customer_id ?? null,
      consent: row?.ready_notice_consent === true,
      phoneEncrypted: row?.phone_encrypted ?? null,
      language: row?.language ?? 'ko',
    };
  }

  async markSent(id: string, providerMessageId: string): Promise<void> {
    await this.db
      .updateTable('notifications')
      .set({ status: 'sent', provider_message_id: providerMessageId, sent_at: sql`now()`, last_error: null })
      .where('id', '=', id)
      .execute();
  }

  async markCancelled(id: string, reason: string): Promise<void> {
    await this.db.updateTable('notifications').set({ status: 'cancelled', last_error: reason }).where('id', '=', id).execute();
  }

  /** a failed attempt: again after `retryInSeconds`, or never (failed) when that is null */
  async markAttemptFailed(id: string, error: string, retryInSeconds: number | null): Promise<void> {
    await this.db
      .updateTable('notifications')
      .set(
        retryInSeconds === null
          ? { status: 'failed', last_error: error }
          : { last_error: error, next_attempt_at: sql`now() + make_interval(secs => ${retryInSeconds})` },
      )
      .where('id', '=', id)
      .execute();
  }

  /** pending notifications whose next attempt is due, oldest first */
  async due(limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('notifications')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', sql<Date>`now()`)
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
    return rows.map((row) => row.id);
  }
}
