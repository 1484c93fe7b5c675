import type { Database } from '../db/database.js';
import { maskNumber, type Messenger, type TextMessage } from './messenger.js';

export interface KeptMessage {
  id: number;
  /** 010-****-5678: numbers are stored only encrypted, so the outbox keeps the mask */
  to: string;
  text: string;
  idempotencyKey: string;
  sentAt: Date;
}

/** Keeps text messages in the database instead of sending them; developers read them at /dev/messages. */
export class OutboxMessenger implements Messenger {
  constructor(
    private readonly db: Database,
    private readonly log: (message: string) => void,
  ) {}

  async send(message: TextMessage): Promise<{ providerMessageId: string }> {
    // like a provider honouring an idempotency key: the same key is kept once
    const inserted = await this.db
      .insertInto('message_outbox')
      .values({ to_masked: maskNumber(message.to), body: message.text, idempotency_key: message.idempotencyKey })
      .onConflict((conflict) => conflict.column('idempotency_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    const row =
      inserted ?? (await this.db.selectFrom('message_outbox').select('id').where('idempotency_key', '=', message.idempotencyKey).executeTakeFirstOrThrow());
    if (inserted) this.log(`text message kept in the outbox (${message.idempotencyKey})`);
    return { providerMessageId: `outbox-${row.id}` };
  }

  async list(limit: number): Promise<KeptMessage[]> {
    const rows = await this.db.selectFrom('message_outbox').selectAll().orderBy('id', 'desc').limit(limit).execute();
    return rows.map((row) => ({ id: Number(row.id), to: row.to_masked, text: row.body, idempotencyKey: row.idempotency_key, sentAt: row.created_at }));
  }

  async close(): Promise<void> {}
}
