import type { Database } from '../db/database.js';
import type { MailMessage, Mailer } from './mailer.js';

/** Keeps mail in the database instead of sending it; developers read it at /dev/outbox. */
export class OutboxMailer implements Mailer {
  constructor(
    private readonly db: Database,
    private readonly log: (message: string) => void,
  ) {}

  async send(message: MailMessage): Promise<void> {
    await this.db.insertInto('mail_outbox').values({ to_address: message.to, subject: message.subject, body: message.text }).execute();
    this.log(`mail kept in the outbox for ${message.to}: ${message.subject}`);
  }

  async list(to: string | undefined, limit: number): Promise<Array<MailMessage & { sentAt: Date }>> {
    let query = this.db.selectFrom('mail_outbox').selectAll().orderBy('id', 'desc').limit(limit);
    if (to) query = query.where((eb) => eb(eb.fn('lower', ['to_address']), '=', to.toLowerCase()));
    const rows = await query.execute();
    return rows.map((row) => ({ to: row.to_address, subject: row.subject, text: row.body, sentAt: row.created_at }));
  }

  async close(): Promise<void> {}
}
