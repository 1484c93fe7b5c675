// Store owners and counselors: sign-up behind a verified email, profile, password change and
// reset, withdrawal. Kiosks are provisioned by owners (see kiosks/).
import type { Cache } from '../../platform/cache/cache.js';
import { enforceLimits } from '../../platform/cache/rate-limit.js';
import type { Database } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/errors.js';
import type { AccountRole } from '../../platform/db/schema.js';
import { DomainError } from '../../platform/http/errors.js';
import type { Principal } from '../auth/access-token.js';
import { AuthRepository } from '../auth/auth.repository.js';
import type { AuthService } from '../auth/auth.service.js';
import type { PasswordHasher } from '../auth/password-hasher.js';
import { BrandsRepository } from '../brands/brands.repository.js';
import type { EmailCodesService } from '../email-codes/email-codes.service.js';
import { KiosksRepository } from '../kiosks/kiosks.repository.js';
import { AccountsRepository, type AccountProfile } from './accounts.repository.js';

export interface SignUpInput {
  email: string;
  password: string;
  brandCode: string;
  displayName: string;
  verificationToken: string;
}

export type Profile = AccountProfile;

/**
 * /api/me reads the profile from the look-aside cache. Whatever changes what it shows (the
 * account's email or display name, its store's name or time zone, its brand's name or code, or the
 * account's end) must call forgetProfile() after its transaction commits.
 */
const PROFILE_TTL_SECONDS = 60;
/**
 * forgetProfile() leaves this marker rather than deleting the key: fills happen only when the key
 * is absent, so a read of the old row that finishes after the change cannot put it back.
 */
const PROFILE_CHANGED = 'changed';
const profileKey = (accountId: string) => `profile:${accountId}`;

const PASSWORD_RESET_MAIL = {
  subject: '[Pinokio] 비밀번호 재설정 코드 / Password reset code',
  text: (code: string) =>
    `비밀번호 재설정 코드: ${code}\n5분 동안 유효합니다. 요청하지 않으셨다면 이 메일을 무시하세요.\n\n` +
    `Your password reset code: ${code}\nIt is valid for 5 minutes. If you did not ask for it, ignore this email.`,
};

export class AccountsService {
  constructor(
    private readonly db: Database,
    private readonly cache: Cache,
    private readonly passwords: PasswordHasher,
    private readonly codes: EmailCodesService,
    private readonly auth: AuthService,
    private readonly passwordResetsPerEmailPerHour: number,
    /** after a withdrawal closed a store: its kiosks' devices are told (see kiosks.service.ts onRemoved) */
    private readonly onKioskRemoved: (kiosk: { kioskId: string; storeId: string }) => Promise<void> = async () => undefined,
  ) {}

  async emailAvailable(role: AccountRole, email: string): Promise<boolean> {
    return !(await new AccountsRepository(this.db).emailInUse(role, email));
  }

  signUpOwner(input: SignUpInput & { storeName: string }): Promise<Profile> {
    return this.signUp('owner', input, input.storeName.trim());
  }

  signUpCounselor(input: SignUpInput): Promise<Profile> {
    return this.signUp('counselor', input, null);
  }

  async profile(principal: Principal): Promise<Profile> {
    const key = profileKey(principal.subjectId);
    const cached = await this.cache.get(key).catch(() => undefined);
    if (cached !== undefined && cached !== PROFILE_CHANGED) {
      const profile = JSON.parse(cached) as Profile & { createdAt: string };
      return { ...profile, createdAt: new Date(profile.createdAt) };
    }
    const profile = await new AccountsRepository(this.db).findProfile(principal.subjectId);
    if (!profile) throw new DomainError('unauthenticated', 'account_not_found', 'This account no longer exists.');
    if (cached === undefined) await this.cache.setIfAbsent(key, JSON.stringify(profile), PROFILE_TTL_SECONDS).catch(() => undefined);
    return profile;
  }

  /** after a committed change to what the profile shows: the next /api/me reads the database */
  async forgetProfile(accountId: string): Promise<void> {
    await this.cache.set(profileKey(accountId), PROFILE_CHANGED, PROFILE_TTL_SECONDS).catch(() => undefined);
  }

  /** changes the password and ends every other session of the account */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string): Promise<void> {
    const account = await new AccountsRepository(this.db).findCredentials(principal.subjectId);
    if (!account || !(await this.passwords.verify(account.passwordHash, currentPassword))) {
      throw new DomainError('forbidden', 'wrong_password', 'The current password is not correct.');
    }
    const hash = await this.passwords.hash(newPassword);
    // the profile does not show the password: its cached copy stays good
    const revoked = await this.db.transaction().execute(async (trx) => {
      await new AccountsRepository(trx).updatePasswordHash(account.id, hash);
      return new AuthRepository(trx).revokeSessionsOf(account.id, 'password_changed', principal.sessionId);
    });
    await this.auth.markRevoked(revoked);
  }

  /** emails a reset code when the account exists; answers the same either way (no account probing) */
  async requestPasswordReset(role: AccountRole, email: string, ip: string): Promise<void> {
    await enforceLimits(
      this.cache,
      [
        { key: `reset:email:${email.toLowerCase()}`, limit: this.passwordResetsPerEmailPerHour, windowSeconds: 3600 },
        { key: `reset:ip:${ip}`, limit: this.passwordResetsPerEmailPerHour * 6, windowSeconds: 3600 },
      ],
      'Too many password resets were asked for. Please wait and try again.',
    );
    if (!(await new AccountsRepository(this.db).findIdByEmail(role, email))) return;
    await this.codes.send(email, 'password_reset', role, ip, PASSWORD_RESET_MAIL).catch((error: unknown) => {
      // a cooldown refusal would reveal that the account exists: stay silent about it
      if (error instanceof DomainError && error.kind === 'rate_limited') return;
      throw error;
    });
  }

  async confirmPasswordReset(role: AccountRole, email: string, code: string, newPassword: string, ip: string): Promise<void> {
    const accountId = await new AccountsRepository(this.db).findIdByEmail(role, email);
    if (!accountId) throw new DomainError('invalid', 'code_not_requested', 'No code was sent to this email. Ask for a code first.');
    await this.codes.verify(email, 'password_reset', role, code, ip);
    const hash = await this.passwords.hash(newPassword);
    const revoked = await this.db.transaction().execute(async (trx) => {
      await new AccountsRepository(trx).updatePasswordHash(accountId, hash);
      return new AuthRepository(trx).revokeSessionsOf(accountId, 'password_reset');
    });
    await this.auth.markRevoked(revoked);
  }

  /**
   * Withdrawal: the account's personal data is erased and its sessions end. A store owner's store
   * closes with it: its kiosks are deleted and their sessions end too. (docs/accounts.md)
   */
  async withdraw(principal: Principal, password: string): Promise<void> {
    const account = await new AccountsRepository(this.db).findCredentials(principal.subjectId);
    if (!account || !(await this.passwords.verify(account.passwordHash, password))) {
      throw new DomainError('forbidden', 'wrong_password', 'The password is not correct.');
    }
    const { revoked, removedKioskIds } = await this.db.transaction().execute(async (trx) => {
      const accounts = new AccountsRepository(trx);
      const auth = new AuthRepository(trx);
      const ended = await auth.revokeSessionsOf(account.id, 'withdrawn');
      let kioskIds: string[] = [];
      if (account.storeId) {
        kioskIds = await new KiosksRepository(trx).markAllDeleted(account.storeId);
        for (const kioskId of kioskIds) ended.push(...(await auth.revokeSessionsOf(kioskId, 'store_closed')));
        await accounts.closeStore(account.storeId);
      }
      await accounts.anonymize(account.id);
      return { revoked: ended, removedKioskIds: kioskIds };
    });
    await this.auth.markRevoked(revoked);
    await this.forgetProfile(account.id);
    // the kiosks' devices stop at once, not when their credentials fall out of a cache
    const storeId = account.storeId;
    if (storeId) await Promise.all(removedKioskIds.map((kioskId) => this.onKioskRemoved({ kioskId, storeId })));
  }

  private async signUp(role: AccountRole, input: SignUpInput, storeName: string | null): Promise<Profile> {
    const brand = await new BrandsRepository(this.db).findByCode(input.brandCode);
    if (!brand) throw new DomainError('invalid', 'unknown_brand_code', 'No brand has this code. Check the code your brand gave you.');
    if (storeName !== null && storeName.length === 0) throw new DomainError('invalid', 'invalid_store_name', 'Give the store a name.');
    const displayName = input.displayName.trim() || input.email.split('@')[0]!;
    // hashing is slow: do it before the transaction so the transaction stays short
    const passwordHash = await this.passwords.hash(input.password);
    const accountId = await this.db.transaction().execute(async (trx) => {
      const accounts = new AccountsRepository(trx);
      if (await accounts.emailInUse(role, input.email)) throw emailTaken();
      await this.codes.consumeSignupVerification(trx, input.email, input.verificationToken);
      const storeId = storeName === null ? null : await accounts.insertStore(brand.id, storeName);
      return accounts.insertAccount({ role, email: input.email, passwordHash, displayName, brandId: brand.id, storeId }).catch((error: unknown) => {
        if (isUniqueViolation(error)) throw emailTaken(); // a concurrent sign-up with the same email
        throw error;
      });
    });
    return (await new AccountsRepository(this.db).findProfile(accountId))!;
  }
}

function emailTaken(): DomainError {
  return new DomainError('conflict', 'email_taken', 'An account with this email already exists.');
}
