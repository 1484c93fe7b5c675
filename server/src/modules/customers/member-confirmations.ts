// Confirmation by knowledge, not by display (docs/customers.md#confirmation-by-digits). A face match
// alone greets nobody: the devices module opens a pending confirmation and the kiosk's screen gets
// only its opaque id. The customer keys in the last 4 digits of their phone; only when they agree
// with the matched member does the kiosk learn who it is. Wrong digits, an unknown or expired id,
// another kiosk's id, a member deleted or whose face was forgotten meanwhile, two candidates with the
// same digits: all answer the same `{confirmed: false}`, so the screen learns nothing of who matched.
//
// Pending confirmations live in the cache (any instance can answer), with a short TTL; the capture's
// embedding is kept there only encrypted, for `onMemberConfirmed`, and never goes to a screen.
import { randomSecret } from '../auth/secrets.js';
import type { Cache } from '../../platform/cache/cache.js';
import { enforceLimits, limitReached } from '../../platform/cache/rate-limit.js';
import type { Database } from '../../platform/db/database.js';
import { maskName, phoneLast4, sealedField, type CustomerDataKeys } from './customer-data.js';
import { CustomersRepository } from './customers.repository.js';

export interface MemberConfirmationSettings {
  /** how long the kiosk may take to have the digits keyed in */
  ttlSeconds: number;
  /** wrong digits per confirmation before it is dropped */
  attemptsPerConfirmation: number;
  /** digit entries per kiosk per minute (all confirmations together): 429 rate_limited beyond */
  attemptsPerKioskPerMinute: number;
  /** wrong digits against one member per hour, from any kiosk: beyond, that member is not confirmed by digits for the rest of the hour */
  failuresPerMemberPerHour: number;
}

export interface ConfirmedMemberEvent {
  storeId: string;
  customerId: string;
  /** the capture's face, which the member has just confirmed is theirs */
  embedding: Float32Array;
}

/**
 * Called once each time a member confirms a face match with their digits: the moment a capture is
 * known to be theirs (the face-template work adds it as a template of the member here). Awaited
 * after the answer is decided and before it is sent; a failure is logged and never changes it.
 */
export type MemberConfirmedHook = (event: ConfirmedMemberEvent) => Promise<void> | void;

export interface ConfirmedMember<R> {
  customerId: string;
  maskedName: string | null;
  phoneLast4: string;
  recommendations: R;
}

export type ConfirmationAnswer<R> = { confirmed: true; member: ConfirmedMember<R> } | { confirmed: false };

interface PendingConfirmation {
  kioskId: string;
  storeId: string;
  /** the matched members; more than one only when the matching decision names several */
  candidateIds: string[];
  /** the capture's embedding sealed with the customer data key, base64 */
  face: string;
}

const NOT_CONFIRMED = { confirmed: false } as const;

export class MemberConfirmations<R> {
  private readonly hooks: MemberConfirmedHook[] = [];

  constructor(
    private readonly db: Database,
    private readonly cache: Cache,
    private readonly keys: CustomerDataKeys,
    private readonly settings: MemberConfirmationSettings,
    /** what the kiosk shows a confirmed member (their usual items and last order) */
    private readonly recommendations: (storeId: string, customerId: string) => Promise<R>,
    private readonly log: { warn(object: object, message: string): void; error(object: object, message: string): void },
  ) {}

  /** `hook` runs on every successful confirmation (see MemberConfirmedHook) */
  onMemberConfirmed(hook: MemberConfirmedHook): void {
    this.hooks.push(hook);
  }

  /** a face matched these members at this kiosk: returns the opaque id the screen may see */
  async open(input: { kioskId: string; storeId: string; candidateIds: string[]; embedding: Float32Array }): Promise<string> {
    const confirmationId = randomSecret(18);
    const pending: PendingConfirmation = {
      kioskId: input.kioskId,
      storeId: input.storeId,
      candidateIds: [...new Set(input.candidateIds)],
      face: this.keys.encryptEmbedding(input.embedding, sealedField.heldAnalysis(`confirmation:${confirmationId}`)).toString('base64'),
    };
    await this.cache.set(pendingKey(confirmationId), JSON.stringify(pending), this.settings.ttlSeconds);
    return confirmationId;
  }

  /** the digits the customer keyed in: the member only when they agree with exactly one candidate */
  async confirm(storeId: string, kioskId: string, confirmationId: string, lastDigits: string): Promise<ConfirmationAnswer<R>> {
    // counted before anything is looked up, so a burst of guesses costs the same whatever the id
    await enforceLimits(
      this.cache,
      [{ key: `customers:confirm:kiosk:${kioskId}`, limit: this.settings.attemptsPerKioskPerMinute, windowSeconds: 60 }],
      'Too many digits entered at this kiosk. Please wait a minute and try again.',
    );
    const key = pendingKey(confirmationId);
    const text = await this.cache.get(key);
    const pending = text === undefined ? undefined : (JSON.parse(text) as PendingConfirmation);
    // another kiosk's confirmation is as unknown to this one as an expired one
    if (!pending || pending.kioskId !== kioskId || pending.storeId !== storeId) return NOT_CONFIRMED;
    const attempts = await this.cache.increment(`${key}:attempts`, 1, this.settings.ttlSeconds);
    if (attempts > this.settings.attemptsPerConfirmation) {
      await this.cache.delete(key);
      return NOT_CONFIRMED;
    }

    const repository = new CustomersRepository(this.db);
    const agreeing: string[] = [];
    for (const customerId of pending.candidateIds) {
      const memberLimit = memberFailures(customerId, this.settings.failuresPerMemberPerHour);
      if (await limitReached(this.cache, memberLimit)) continue;
      // deleted, or their face forgotten, since the match: nobody to confirm
      const row = await repository.find(storeId, customerId);
      if (!row || row.embedding_updated_at === null) continue;
      const phone = this.keys.decryptText(row.phone_encrypted, sealedField.phone(row.id));
      if (phoneLast4(phone) === lastDigits) agreeing.push(customerId);
      else await enforceLimits(this.cache, [memberLimit]).catch(() => undefined);
    }
    if (agreeing.length !== 1) {
      // two matched members with the same digits: the kiosk cannot tell them apart, so neither
      if (agreeing.length > 1)
        this.log.warn({ storeId, kioskId, candidates: agreeing.length }, 'confirmation ambiguous: several matched members share the digits');
      if (attempts >= this.settings.attemptsPerConfirmation || agreeing.length > 1) await this.cache.delete(key);
      return NOT_CONFIRMED;
    }
    // once: a second right answer (a double tap, a retry) finds nothing
    if (!(await this.cache.setIfAbsent(`${key}:used`, '1', this.settings.ttlSeconds))) return NOT_CONFIRMED;
    await this.cache.delete(key);
    const customerId = agreeing[0]!;
    const row = await repository.find(storeId, customerId);
    if (!row) return NOT_CONFIRMED;
    const name = row.name_encrypted === null ? null : this.keys.decryptText(row.name_encrypted, sealedField.name(row.id));
    const member: ConfirmedMember<R> = {
      customerId,
      maskedName: maskName(name),
      phoneLast4: lastDigits,
      recommendations: await this.recommendations(storeId, customerId),
    };
    const embedding = this.keys.decryptEmbedding(Buffer.from(pending.face, 'base64'), sealedField.heldAnalysis(`confirmation:${confirmationId}`));
    await this.confirmed({ storeId, customerId, embedding });
    return { confirmed: true, member };
  }

  private async confirmed(event: ConfirmedMemberEvent): Promise<void> {
    for (const hook of this.hooks) {
      try {
        await hook(event);
      } catch (error) {
        this.log.error({ err: error, storeId: event.storeId, customerId: event.customerId }, 'member confirmation hook failed');
      }
    }
  }
}

function pendingKey(confirmationId: string): string {
  return `customers:confirmation:${confirmationId}`;
}

function memberFailures(customerId: string, limit: number) {
  return { key: `customers:confirm:member:${customerId}`, limit, windowSeconds: 3600 };
}
