// SQL for sign-in: sessions, refresh-token families, and the lookups a sign-in needs.
import type { Database } from '../../platform/db/database.js';
import type { AccountRole, Role, ScreenKind } from '../../platform/db/schema.js';

export interface SubjectRecord {
  id: string;
  brandId: string;
  storeId: string | null;
  secretHash: string;
}

export class AuthRepository {
  constructor(private readonly db: Database) {}

  async findActiveAccount(role: AccountRole, email: string): Promise<SubjectRecord | undefined> {
    const row = await this.db
      .selectFrom('accounts')
      .select(['id', 'brand_id', 'store_id', 'password_hash'])
      .where('role', '=', role)
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst();
    return row && { id: row.id, brandId: row.brand_id, storeId: row.store_id, secretHash: row.password_hash };
  }

  /** a kiosk (or, with `kinds`, a store's kitchen screen or pickup board) that may sign in */
  async findActiveKiosk(loginId: string, kinds: readonly ScreenKind[] = ['kiosk']): Promise<(SubjectRecord & { kind: ScreenKind }) | undefined> {
    const row = await this.db
      .selectFrom('kiosks')
      .innerJoin('stores', 'stores.id', 'kiosks.store_id')
      .select(['kiosks.id', 'kiosks.store_id', 'kiosks.secret_hash', 'kiosks.kind', 'stores.brand_id'])
      .where('kiosks.login_id', '=', loginId)
      .where('kiosks.kind', 'in', kinds)
      .where('kiosks.deleted_at', 'is', null)
      .where('stores.closed_at', 'is', null)
      .executeTakeFirst();
    return row && { id: row.id, brandId: row.brand_id, storeId: row.store_id, secretHash: row.secret_hash, kind: row.kind };
  }

  /** where a signed-in subject belongs now, or undefined once it is withdrawn or deleted */
  async findSubject(role: Role, id: string): Promise<Omit<SubjectRecord, 'secretHash'> | undefined> {
    if (role === 'kiosk' || role === 'kitchen' || role === 'pickup') {
      const row = await this.db
        .selectFrom('kiosks')
        .innerJoin('stores', 'stores.id', 'kiosks.store_id')
        .select(['kiosks.id', 'kiosks.store_id', 'stores.brand_id'])
        .where('kiosks.id', '=', id)
        .where('kiosks.kind', '=', role)
        .where('kiosks.deleted_at', 'is', null)
        .executeTakeFirst();
      return row && { id: row.id, brandId: row.brand_id, storeId: row.store_id };
    }
    const row = await this.db
      .selectFrom('accounts')
      .select(['id', 'brand_id', 'store_id'])
      .where('id', '=', id)
      .where('role', '=', role)
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst();
    return row && { id: row.id, brandId: row.brand_id, storeId: row.store_id };
  }

  async createSession(role: Role, subjectId: string, expiresAt: Date): Promise<string> {
    const row = await this.db.insertInto('sessions').values({ role, subject_id: subjectId, expires_at: expiresAt }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  async addRefreshToken(sessionId: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await this.db.insertInto('refresh_tokens').values({ session_id: sessionId, token_hash: tokenHash, expires_at: expiresAt }).execute();
  }

  /**
   * Marks a refresh token used, atomically: of two concurrent uses exactly one wins.
   * 'reused' means the token had been used before (a stolen copy, or a replay).
   */
  async useRefreshToken(
    tokenHash: string,
  ): Promise<{ outcome: 'ok'; sessionId: string; role: Role; subjectId: string } | { outcome: 'reused'; sessionId: string } | { outcome: 'invalid' }> {
    const used = await this.db
      .updateTable('refresh_tokens')
      .set({ used_at: new Date() })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', new Date())
      .returning('session_id')
      .executeTakeFirst();
    if (used) {
      const session = await this.db
        .selectFrom('sessions')
        .select(['id', 'role', 'subject_id'])
        .where('id', '=', used.session_id)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', new Date())
        .executeTakeFirst();
      if (!session) return { outcome: 'invalid' };
      return { outcome: 'ok', sessionId: session.id, role: session.role, subjectId: session.subject_id };
    }
    const previous = await this.db.selectFrom('refresh_tokens').select(['session_id', 'used_at']).where('token_hash', '=', tokenHash).executeTakeFirst();
    if (previous?.used_at) return { outcome: 'reused', sessionId: previous.session_id };
    return { outcome: 'invalid' };
  }

  async isSessionActive(sessionId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('sessions')
      .select('id')
      .where('id', '=', sessionId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', new Date())
      .executeTakeFirst();
    return row !== undefined;
  }

  async revokeSession(sessionId: string, reason: string): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ revoked_at: new Date(), revoke_reason: reason })
      .where('id', '=', sessionId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /** revokes every live session of a subject; returns their ids so caches can be told */
  async revokeSessionsOf(subjectId: string, reason: string, exceptSessionId?: string): Promise<string[]> {
    let query = this.db
      .updateTable('sessions')
      .set({ revoked_at: new Date(), revoke_reason: reason })
      .where('subject_id', '=', subjectId)
      .where('revoked_at', 'is', null);
    if (exceptSessionId) query = query.where('id', '!=', exceptSessionId);
    const rows = await query.returning('id').execute();
    return rows.map((row) => row.id);
  }
}
