// Emailed one-time codes: six digits from a cryptographic source, bound to one email (and role),
// valid five minutes, five tries, a resend cooldown, rate limits per email and per IP.
import type { Cache } from '../../platform/cache/cache.js';
import { enforceLimits } from '../../platform/cache/rate-limit.js';
import type { Database } from '../../platform/db/database.js';
import type { AccountRole, EmailCodePurpose } from '../../platform/db/schema.js';
import { DomainError, RateLimitedError } from '../../platform/http/errors.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { keyedHash, randomSecret, sha256, sixDigitCode } from '../auth/secrets.js';
import { EmailCodesRepository } from './email-codes.repository.js';

export const CODE_TTL_SECONDS = 5 * 60;
export const CODE_MAX_ATTEMPTS = 5;
/** across every email: guessing codes of many accounts from one place is refused */
export const CODE_ATTEMPTS_PER_IP_PER_HOUR = 100;
/** how long a verified email may wait before the sign-up form is sent */
export const VERIFICATION_TTL_SECONDS = 30 * 60;

export interface CodeLimits {
  codeRequestsPerEmailPerHour: number;
  codeRequestsPerIpPerHour: number;
  codeResendCooldownSeconds: number;
}

export interface CodeMail {
  subject: string;
  text: (code: string) => string;
}

export class EmailCodesService {
  constructor(
    private readonly db: Database,
    private readonly cache: Cache,
    private readonly mailer: Mailer,
    private readonly hashKey: Buffer,
    private readonly limits: CodeLimits,
  ) {}

  /** sends a fresh code; the previous one for the same email and purpose stops working */
  async send(
    email: string,
    purpose: EmailCodePurpose,
    role: AccountRole | null,
    ip: string,
    mail: CodeMail,
  ): Promise<{ expiresInSeconds: number; resendAfterSeconds: number }> {
    const repository = new EmailCodesRepository(this.db);
    const latest = await repository.latest(email, purpose, role);
    const cooldown = this.limits.codeResendCooldownSeconds;
    if (latest && Date.now() - latest.createdAt.getTime() < cooldown * 1000) {
      const wait = Math.ceil(cooldown - (Date.now() - latest.createdAt.getTime()) / 1000);
      throw new RateLimitedError(wait, `A code was just sent. You can ask for another in ${wait} seconds.`);
    }
    await enforceLimits(
      this.cache,
      [
        { key: `codes:email:${email.toLowerCase()}`, limit: this.limits.codeRequestsPerEmailPerHour, windowSeconds: 3600 },
        { key: `codes:ip:${ip}`, limit: this.limits.codeRequestsPerIpPerHour, windowSeconds: 3600 },
      ],
      'Too many codes were asked for. Please wait and try again.',
    );
    const code = sixDigitCode();
    await repository.insert(email, purpose, role, this.hash(email, purpose, code), new Date(Date.now() + CODE_TTL_SECONDS * 1000));
    await this.mailer.send({ to: email, subject: mail.subject, text: mail.text(code) });
    return { expiresInSeconds: CODE_TTL_SECONDS, resendAfterSeconds: cooldown };
  }

  /**
   * Checks a code against the latest one sent. On success the code is spent; for sign-up the
   * result carries a verification token that the sign-up request presents.
   */
  async verify(
    email: string,
    purpose: EmailCodePurpose,
    role: AccountRole | null,
    code: string,
    ip: string,
    db: Database = this.db,
  ): Promise<{ verificationToken: string }> {
    await enforceLimits(
      this.cache,
      [{ key: `code-attempts:ip:${ip}`, limit: CODE_ATTEMPTS_PER_IP_PER_HOUR, windowSeconds: 3600 }],
      'Too many code attempts from here. Please wait and try again.',
    );
    const repository = new EmailCodesRepository(db);
    const latest = await repository.latest(email, purpose, role);
    if (!latest) throw new DomainError('invalid', 'code_not_requested', 'No code was sent to this email. Ask for a code first.');
    if (latest.verifiedAt) throw new DomainError('gone', 'code_already_used', 'This code was already used. Ask for a new code.');
    if (latest.expiresAt.getTime() <= Date.now()) throw new DomainError('gone', 'code_expired', 'This code has expired. Ask for a new code.');
    const attempts = await repository.countAttempt(latest.id, CODE_MAX_ATTEMPTS);
    if (attempts === undefined) {
      throw new DomainError('gone', 'code_attempts_exhausted', 'Too many wrong tries. Ask for a new code.');
    }
    if (this.hash(email, purpose, code) !== latest.codeHash) {
      throw new DomainError('invalid', 'code_mismatch', 'The code is not correct.', { attemptsLeft: CODE_MAX_ATTEMPTS - attempts });
    }
    const verificationToken = randomSecret();
    if (!(await repository.markVerified(latest.id, purpose === 'signup' ? sha256(verificationToken) : null))) {
      throw new DomainError('gone', 'code_already_used', 'This code was already used. Ask for a new code.');
    }
    return { verificationToken };
  }

  /** spends a sign-up verification, inside the transaction that creates the account */
  async consumeSignupVerification(db: Database, email: string, verificationToken: string): Promise<void> {
    const since = new Date(Date.now() - VERIFICATION_TTL_SECONDS * 1000);
    const ok = await new EmailCodesRepository(db).consumeVerification(email, sha256(verificationToken), since);
    if (!ok) {
      throw new DomainError('forbidden', 'email_not_verified', 'Verify your email with the code we sent before signing up.');
    }
  }

  private hash(email: string, purpose: EmailCodePurpose, code: string): string {
    return keyedHash(this.hashKey, `${purpose}:${email.toLowerCase()}:${code}`);
  }
}
