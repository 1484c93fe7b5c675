import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { AccountRole, EmailCodePurpose } from '../../platform/db/schema.js';

export interface EmailCodeRecord {
  id: string;
  codeHash: string;
  attempts: number;
  expiresAt: Date;
  verifiedAt: Date | null;
  consumedAt: Date | null;
  createdAt: Date;
}

export class EmailCodesRepository {
  constructor(private readonly db: Database) {}

  async latest(email: string, purpose: EmailCodePurpose, role: AccountRole | null): Promise<EmailCodeRecord | undefined> {
    let query = this.db
      .selectFrom('email_codes')
      .select(['id', 'code_hash', 'attempts', 'expires_at', 'verified_at', 'consumed_at', 'created_at'])
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .where('purpose', '=', purpose)
      .orderBy('created_at', 'desc')
      .limit(1);
    query = role === null ? query.where('role', 'is', null) : query.where('role', '=', role);
    const row = await query.executeTakeFirst();
    return (
      row && {
        id: row.id,
        codeHash: row.code_hash,
        attempts: row.attempts,
        expiresAt: row.expires_at,
        verifiedAt: row.verified_at,
        consumedAt: row.consumed_at,
        createdAt: row.created_at,
      }
    );
  }

  async insert(email: string, purpose: EmailCodePurpose, role: AccountRole | null, codeHash: string, expiresAt: Date): Promise<void> {
    await this.db.insertInto('email_codes').values({ email: email.toLowerCase(), purpose, role, code_hash: codeHash, expires_at: expiresAt }).execute();
  }

  /** counts one attempt, atomically; undefined when the code has no attempts left */
  async countAttempt(id: string, maxAttempts: number): Promise<number | undefined> {
    const row = await this.db
      .updateTable('email_codes')
      .set({ attempts: sql`attempts + 1` })
      .where('id', '=', id)
      .where('attempts', '<', maxAttempts)
      .returning('attempts')
      .executeTakeFirst();
    return row?.attempts;
  }

  /** marks a code verified once; false when a concurrent request verified it first */
  async markVerified(id: string, verificationTokenHash: string | null): Promise<boolean> {
    const result = await this.db
      .updateTable('email_codes')
      .set({ verified_at: new Date(), verification_token_hash: verificationTokenHash })
      .where('id', '=', id)
      .where('verified_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async consumeVerification(email: string, verificationTokenHash: string, verifiedSince: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('email_codes')
      .set({ consumed_at: new Date() })
      .where('verification_token_hash', '=', verificationTokenHash)
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .where('purpose', '=', 'signup')
      .where('consumed_at', 'is', null)
      .where('verified_at', '>', verifiedSince)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
