// Sign-in rules: credentials -> a session with a short-lived access token and a rotating refresh
// token; reuse of a refresh token revokes its whole family; revocation is seen at once.
import type { Bus } from '../../platform/bus/bus.js';
import type { Cache } from '../../platform/cache/cache.js';
import { enforceLimits, limitReached, type LimitRule } from '../../platform/cache/rate-limit.js';
import { DomainError, RateLimitedError } from '../../platform/http/errors.js';
import type { AccountRole, Role } from '../../platform/db/schema.js';
import type { AccessTokens, Principal } from './access-token.js';
import type { AuthRepository } from './auth.repository.js';
import type { PasswordHasher } from './password-hasher.js';
import { randomSecret, sha256 } from './secrets.js';

export interface TokenPair {
  role: Role;
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
}

export interface LoginLimits {
  /** failed logins to one account from one client address */
  loginFailuresPerAccountAndAddressPerMinute: number;
  /** failed logins to one account from anywhere: much higher, against guessing from many addresses */
  loginFailuresPerAccountPerMinute: number;
  /** login attempts, failed or not, from one client address */
  loginPerIpPerMinute: number;
}

const LOGIN_LIMITED_MESSAGE = 'Too many login attempts. Please wait and try again.';

const SESSION_STATE_TTL_SECONDS = 300;

/** revoked session ids, published by the instance that revoked them: `{ sessionIds: string[] }` */
export const SESSIONS_REVOKED_CHANNEL = 'auth.sessions-revoked';
/**
 * Session states are also remembered in process memory, so that most requests need no cache round
 * trip (a Redis GET at scale). A revocation drops the entry on every instance through the bus; this
 * TTL bounds how long an entry can outlive a revocation whose message was lost (bus down).
 */
const SESSION_MEMORY_TTL_MS = 2_000;
/** past this many entries the memory starts over, rather than growing with every session seen */
const SESSION_MEMORY_MAX_ENTRIES = 100_000;
const RESUBSCRIBE_AFTER_MS = 5_000;

export class AuthService {
  constructor(
    private readonly repository: AuthRepository,
    private readonly tokens: AccessTokens,
    private readonly passwords: PasswordHasher,
    private readonly cache: Cache,
    private readonly refreshTtlSeconds: number,
    private readonly limits: LoginLimits,
    private readonly bus: Bus,
    private readonly onBusError: (error: unknown) => void = () => undefined,
  ) {}

  /** session id -> its state, good until `until` (Date.now() ms); used only while subscribed */
  private readonly sessionMemory = new Map<string, { active: boolean; until: number }>();
  /** counts revocation messages, so that a read which overlapped one is not remembered */
  private revocationsSeen = 0;
  private unsubscribe: (() => Promise<void>) | undefined;
  private stopped = false;
  private resubscribeTimer: NodeJS.Timeout | undefined;

  /**
   * Listens for revocations from every instance; until it does, session states are not kept in
   * memory. Returns at once: the subscription is made, and retried when the bus is unreachable, in
   * the background.
   */
  listenForRevocations(): void {
    if (this.stopped || this.unsubscribe) return;
    this.bus
      .subscribe(SESSIONS_REVOKED_CHANNEL, (message) => this.forgetSessions(message))
      .then(
        (unsubscribe) => {
          if (this.stopped) return void unsubscribe().catch(() => undefined);
          this.unsubscribe = unsubscribe;
        },
        (error: unknown) => {
          this.onBusError(error);
          if (!this.stopped) this.resubscribeTimer = setTimeout(() => this.listenForRevocations(), RESUBSCRIBE_AFTER_MS).unref();
        },
      );
  }

  async stopListening(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.resubscribeTimer);
    this.sessionMemory.clear();
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = undefined;
    await unsubscribe?.();
  }

  async loginAccount(role: AccountRole, email: string, password: string, ip: string): Promise<TokenPair> {
    const failureRules = await this.limitLogin(`${role}:${email.toLowerCase()}`, ip);
    const account = await this.repository.findActiveAccount(role, email);
    const ok = await this.passwords.verify(account?.secretHash, password);
    if (!account || !ok) {
      await this.countFailure(failureRules);
      throw new DomainError('unauthenticated', 'invalid_credentials', 'The email or password is not correct.');
    }
    return this.startSession(role, account);
  }

  async loginKiosk(loginId: string, secret: string, ip: string): Promise<TokenPair & { kioskId: string }> {
    const failureRules = await this.limitLogin(`kiosk:${loginId}`, ip);
    // a store's kitchen screen and pickup board sign in here too, each with the role of its kind
    const kiosk = await this.repository.findActiveKiosk(loginId, ['kiosk', 'kitchen', 'pickup']);
    // kiosk secrets are 256-bit random values, so a plain SHA-256 comparison is enough
    if (!kiosk || kiosk.secretHash !== sha256(secret)) {
      await this.countFailure(failureRules);
      throw new DomainError('unauthenticated', 'invalid_credentials', 'The kiosk id or secret is not correct.');
    }
    return { ...(await this.startSession(kiosk.kind, kiosk)), kioskId: kiosk.id };
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const result = await this.repository.useRefreshToken(sha256(refreshToken));
    if (result.outcome === 'reused') {
      await this.revokeSession(result.sessionId, 'refresh_token_reused');
      throw new DomainError(
        'unauthenticated',
        'refresh_token_reused',
        'This refresh token was already used; the session has been closed for safety. Please log in again.',
      );
    }
    if (result.outcome === 'invalid') {
      throw new DomainError('unauthenticated', 'invalid_refresh_token', 'The refresh token is not valid. Please log in again.');
    }
    const subject = await this.repository.findSubject(result.role, result.subjectId);
    if (!subject) {
      await this.revokeSession(result.sessionId, 'subject_removed');
      throw new DomainError('unauthenticated', 'invalid_refresh_token', 'This account no longer exists.');
    }
    const principal: Principal = {
      role: result.role,
      subjectId: subject.id,
      sessionId: result.sessionId,
      brandId: subject.brandId,
      storeId: subject.storeId,
    };
    return this.issueTokens(principal);
  }

  /** the caller behind an access token, or an error saying why not */
  async authenticate(token: string): Promise<Principal> {
    const check = this.tokens.verify(token);
    if (!check.ok) {
      const expired = check.reason === 'expired';
      throw new DomainError(
        'unauthenticated',
        expired ? 'token_expired' : 'invalid_token',
        expired ? 'The access token has expired; refresh it.' : 'The access token is not valid.',
      );
    }
    if (!(await this.isSessionActive(check.principal.sessionId))) {
      throw new DomainError('unauthenticated', 'session_revoked', 'This session has ended. Please log in again.');
    }
    return check.principal;
  }

  async logout(principal: Principal): Promise<void> {
    await this.revokeSession(principal.sessionId, 'logout');
  }

  async revokeSession(sessionId: string, reason: string): Promise<void> {
    await this.repository.revokeSession(sessionId, reason);
    await this.markRevoked([sessionId]);
  }

  /**
   * Call after a transaction that revoked sessions has committed, so that tokens stop working at
   * once. (Revocation is durable in the database; this only updates the look-aside cache.)
   */
  async markRevoked(sessionIds: string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    await Promise.all(sessionIds.map((id) => this.cache.set(`session:${id}`, 'revoked', SESSION_STATE_TTL_SECONDS).catch(() => undefined)));
    this.forgetSessions({ sessionIds });
    // after the cache holds 'revoked', so that an instance that drops its entry reads the new state
    await this.bus.publish(SESSIONS_REVOKED_CHANNEL, { sessionIds }).catch((error: unknown) => {
      // other instances may trust their entries until SESSION_MEMORY_TTL_MS ends
      this.onBusError(error);
    });
  }

  private async isSessionActive(sessionId: string): Promise<boolean> {
    if (this.sessionMemory.get(sessionId)?.active) {
      // A revocation published by another instance reaches this process's bus socket before that
      // instance even answers its caller, but this request's callback may have run first in the
      // same turn of the event loop: yield once, so the pending message drops the entry first.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const remembered = this.sessionMemory.get(sessionId);
    if (remembered && remembered.until > Date.now()) return remembered.active;
    const revocationsBefore = this.revocationsSeen;
    const key = `session:${sessionId}`;
    const cached = await this.cache.get(key).catch(() => undefined);
    let active: boolean;
    if (cached !== undefined) {
      active = cached === 'active';
    } else {
      active = await this.repository.isSessionActive(sessionId);
      // fill only when absent: a revocation written meanwhile must win over this older read
      await this.cache.setIfAbsent(key, active ? 'active' : 'revoked', SESSION_STATE_TTL_SECONDS).catch(() => undefined);
    }
    // a revocation that arrived during the read may concern this session: don't remember it
    if (this.unsubscribe && this.revocationsSeen === revocationsBefore) this.remember(sessionId, active);
    return active;
  }

  private remember(sessionId: string, active: boolean): void {
    if (this.sessionMemory.size >= SESSION_MEMORY_MAX_ENTRIES) this.sessionMemory.clear();
    this.sessionMemory.set(sessionId, { active, until: Date.now() + SESSION_MEMORY_TTL_MS });
  }

  /** a revocation message (from any instance, this one included) */
  private forgetSessions(message: unknown): void {
    this.revocationsSeen += 1;
    const sessionIds = (message as { sessionIds?: unknown } | null)?.sessionIds;
    if (!Array.isArray(sessionIds)) {
      this.sessionMemory.clear(); // not understood: trust nothing remembered
      return;
    }
    for (const id of sessionIds) if (typeof id === 'string') this.sessionMemory.delete(id);
  }

  private async startSession(role: Role, subject: { id: string; brandId: string; storeId: string | null }): Promise<TokenPair> {
    const expiresAt = new Date(Date.now() + this.refreshTtlSeconds * 1000);
    const sessionId = await this.repository.createSession(role, subject.id, expiresAt);
    return this.issueTokens({ role, subjectId: subject.id, sessionId, brandId: subject.brandId, storeId: subject.storeId });
  }

  private async issueTokens(principal: Principal): Promise<TokenPair> {
    const access = this.tokens.sign(principal);
    const refreshToken = randomSecret();
    const refreshExpiresAt = new Date(Date.now() + this.refreshTtlSeconds * 1000);
    await this.repository.addRefreshToken(principal.sessionId, sha256(refreshToken), refreshExpiresAt);
    return {
      role: principal.role,
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt.toISOString(),
      refreshToken,
      refreshTokenExpiresAt: refreshExpiresAt.toISOString(),
    };
  }

  /**
   * Refuses a login when its address has tried too often, or when the account has failed too often
   * from this address (or, far more often, from anywhere); returns the failure rules to count
   * against should this attempt fail. Failures are counted per account and address, so someone
   * typing wrong passwords does not lock the right owner out from elsewhere.
   */
  private async limitLogin(accountKey: string, ip: string): Promise<LimitRule[]> {
    const failureRules: LimitRule[] = [
      { key: `login-failures:account-address:${accountKey}:${ip}`, limit: this.limits.loginFailuresPerAccountAndAddressPerMinute, windowSeconds: 60 },
      { key: `login-failures:account:${accountKey}`, limit: this.limits.loginFailuresPerAccountPerMinute, windowSeconds: 60 },
    ];
    await enforceLimits(this.cache, [{ key: `login:ip:${ip}`, limit: this.limits.loginPerIpPerMinute, windowSeconds: 60 }], LOGIN_LIMITED_MESSAGE);
    if ((await Promise.all(failureRules.map((rule) => limitReached(this.cache, rule)))).some(Boolean)) {
      throw new RateLimitedError(60, LOGIN_LIMITED_MESSAGE);
    }
    return failureRules;
  }

  private async countFailure(failureRules: LimitRule[]): Promise<void> {
    // the failure is answered as such (401); the next attempt meets the limit
    await enforceLimits(this.cache, failureRules).catch(() => undefined);
  }
}
