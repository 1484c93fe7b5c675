// Returning customers of a store (docs/customers.md): recognition by the nearest enrolled face
// above a calibrated threshold, registration only with explicit consent and a Korean mobile
// number, lookup by phone, "forget my face" at the kiosk and in the POS, and the retention job.
// Faces are biometric data: they are encrypted at rest, held between analysis and registration
// only encrypted in the cache, and never leave through a response, an event or a log line.
import { randomUUID } from 'node:crypto';
import { cosineSimilarity } from '@pinokio/face';
import type { Cache } from '../../platform/cache/cache.js';
import { enforceLimits } from '../../platform/cache/rate-limit.js';
import type { Database } from '../../platform/db/database.js';
import type { MemberLanguage } from '../../platform/db/schema.js';
import { DomainError } from '../../platform/http/errors.js';
import { randomSecret } from '../auth/secrets.js';
import { OrdersRepository } from '../orders/orders.repository.js';
import { cleanName, maskName, maskPhone, normalisePhone, phoneLast4, sealedField, type CustomerDataKeys } from './customer-data.js';
import { CustomersRepository, type CustomerRow } from './customers.repository.js';
import type { FaceIndexes } from './face-indexes.js';
import { FaceTemplatesRepository } from './face-templates.repository.js';

export interface CustomersSettings {
  /** cosine similarity at or above which two faces are the same person (docs/faces.md) */
  matchThreshold: number;
  /** the best member must beat the best other member by this much, else nobody is recognised (docs/faces.md) */
  matchMargin: number;
  /** faces kept per member: the enrolment and visits confirmed by the phone digits */
  templatesPerMember: number;
  /** a confirmed visit becomes a template only when less similar than this to each face kept */
  templateNoveltyBelow: number;
  /** the model of today's embeddings (EMBEDDING_VERSION), stored with each face */
  embeddingVersion: string;
  /** faces not seen for this many days are deleted by the retention job */
  retentionDays: number;
  /** how long an analysis stays available for registration or "forget my face" */
  analysisTtlSeconds: number;
  /** phone lookups (and phone entries) per kiosk per minute */
  phoneAttemptsPerKioskPerMinute: number;
  /** the version of the privacy notice the kiosk shows (and sends back with a consent); DEFAULT_CONSENT_TEXT_VERSION when absent */
  consentTextVersion?: string;
}

/** the privacy notice's version: names the kiosk's text (web/src/i18n, kioskPresence.register.notice) */
export const DEFAULT_CONSENT_TEXT_VERSION = 'kiosk-face-2025-01';

/** what the kiosk's privacy notice must say, from the server's settings */
export interface PrivacyNotice {
  faceRetentionDays: number;
  consentTextVersion: string;
}

export interface RecognisedCustomer {
  customerId: string;
  maskedName: string | null;
  phoneLast4: string;
  similarity: number;
}

export interface MemberSummary {
  customerId: string;
  maskedName: string | null;
  phoneLast4: string;
  hasFace: boolean;
}

export interface CustomerListing {
  id: string;
  maskedName: string | null;
  maskedPhone: string;
  visits: number;
  lastVisitAt: Date | null;
  hasFace: boolean;
  consentVersion: string;
  /** gets "your order is ready" by text message (docs/messaging.md) */
  readyNotice: boolean;
  createdAt: Date;
}

export interface Registration {
  analysisId: string;
  phone: string;
  name?: string | null;
  consent?: { accepted?: boolean; version?: string } | null;
  /** a separate consent to "your order is ready" by text message; absent or not accepted: none */
  readyNotice?: { accepted?: boolean; version?: string } | null;
  /** the language the kiosk showed: the language of the member's messages (Korean when absent) */
  language?: MemberLanguage;
  /** the order the guest has just placed at this kiosk: it becomes the new member's first visit */
  orderId?: string;
}

/** how long after ordering a guest's order can still become theirs by registering */
const GUEST_ORDER_CLAIM_MINUTES = 15;

/** how a kiosk shows that the customer in front of it is the one whose face is to be forgotten */
export type MemberProof = { analysisId: string } | { phone: string };

interface HeldAnalysis {
  kioskId: string;
  storeId: string;
  /** the embedding sealed with the customer data key, base64 */
  face: string;
  age: number | null;
  gender: 'female' | 'male' | null;
}

const MIN_DIMENSIONS = 16;
const MAX_DIMENSIONS = 4096;

export class CustomersService {
  constructor(
    private readonly db: Database,
    private readonly cache: Cache,
    private readonly keys: CustomerDataKeys,
    private readonly faces: FaceIndexes,
    private readonly settings: CustomersSettings,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** the enrolled customer of the store whose face is nearest, when similar enough; marks them seen */
  async recognise(storeId: string, embedding: Float32Array): Promise<RecognisedCustomer | null> {
    checkEmbedding(embedding);
    // at most twice: a face forgotten or replaced on another instance is re-read, then searched again
    for (let attempt = 0; attempt < 2; attempt++) {
      // two members within the margin of each other: neither (a guest, rather than the wrong member)
      const match = await this.faces.decide(storeId, embedding, { threshold: this.settings.matchThreshold, margin: this.settings.matchMargin });
      if (match.outcome !== 'match') return null;
      // not marked as seen yet: a match is only a candidate until the customer keys in the digits
      const row = await new CustomersRepository(this.db).withCurrentFace(storeId, match.customerId, match.version);
      if (row) return { ...this.summary(row), similarity: match.similarity };
      await this.faces.refresh(storeId, [match.customerId]);
    }
    return null;
  }

  /** keeps an analysis' face (encrypted, in the cache, shared by every instance) for registration */
  async holdAnalysis(input: {
    kioskId: string;
    storeId: string;
    embedding: Float32Array;
    age: number | null;
    gender: 'female' | 'male' | null;
  }): Promise<string> {
    checkEmbedding(input.embedding);
    const analysisId = randomSecret(18);
    const held: HeldAnalysis = {
      kioskId: input.kioskId,
      storeId: input.storeId,
      face: this.keys.encryptEmbedding(input.embedding, sealedField.heldAnalysis(analysisId)).toString('base64'),
      age: input.age,
      gender: input.gender,
    };
    await this.cache.set(analysisKey(analysisId), JSON.stringify(held), this.settings.analysisTtlSeconds);
    return analysisId;
  }

  /**
   * Registers the face of an analysis with a phone number, after explicit consent. A phone that is
   * already a member of the store gets this face (and the new consent) instead of a second member.
   */
  async register(storeId: string, kioskId: string, registration: Registration): Promise<MemberSummary & { created: boolean; orderClaimed: boolean }> {
    const consent = registration.consent;
    const version = consent?.version?.trim() ?? '';
    if (consent?.accepted !== true || version === '') {
      throw new DomainError('invalid', 'consent_required', 'Registration needs consent to keep face data.');
    }
    const readyNoticeVersion = registration.readyNotice?.accepted === true ? (registration.readyNotice.version?.trim() ?? '') : '';
    if (registration.readyNotice?.accepted === true && readyNoticeVersion === '') {
      throw new DomainError('invalid', 'consent_required', 'A ready-notice consent names the version of the text agreed to.');
    }
    const language: MemberLanguage = registration.language ?? 'ko';
    const phone = normalisePhone(registration.phone);
    const name = cleanName(registration.name);
    await this.limitPhoneAttempts(kioskId);
    const embedding = await this.heldFace(storeId, kioskId, registration.analysisId);
    // one registration per analysis, even when two arrive at once
    const claimKey = `${analysisKey(registration.analysisId)}:registered`;
    if (!(await this.cache.setIfAbsent(claimKey, '1', this.settings.analysisTtlSeconds))) {
      throw new DomainError('gone', 'analysis_used', 'This face was already registered. Please look at the camera again.');
    }
    try {
      const { row, created, orderClaimed } = await this.db.transaction().execute(async (trx) => {
        const repository = new CustomersRepository(trx);
        const brandId = await repository.brandOf(storeId);
        if (!brandId) throw new DomainError('not_found', 'store_not_found', 'There is no such store.');
        const phoneHash = this.keys.phoneHash(storeId, phone);
        const at = this.now();
        const readyNotice = readyNoticeVersion === '' ? null : { version: readyNoticeVersion, at };
        const sealed = (customerId: string) => ({
          nameEncrypted: name === null ? null : this.keys.encryptText(name, sealedField.name(customerId)),
        });
        const id = randomUUID();
        const inserted = await repository.insert({
          id,
          storeId,
          brandId,
          phoneHash,
          phoneEncrypted: this.keys.encryptText(phone, sealedField.phone(id)),
          consentVersion: version,
          consentedAt: at,
          readyNotice,
          language,
          ...sealed(id),
        });
        let row = inserted;
        if (!row) {
          const existing = await repository.findByPhone(storeId, phoneHash, { lock: true });
          row = existing && (await repository.attachFace(storeId, existing.id, { ...sealed(existing.id), consentVersion: version, at, readyNotice, language }));
          if (!row) throw new DomainError('conflict', 'customer_changed', 'The member changed meanwhile. Please try again.');
        }
        // (re-)enrolment: this face replaces any kept before (docs/faces.md, "Templates")
        const templates = new FaceTemplatesRepository(trx);
        await templates.deleteOfMembers([row.id]);
        await templates.insert({
          id: randomUUID(),
          customerId: row.id,
          storeId,
          embeddingVersion: this.settings.embeddingVersion,
          embeddingEncrypted: this.keys.encryptEmbedding(embedding, sealedField.face(row.id)),
          at,
        });
        // only an order of this kiosk, still a guest's, and just placed: nobody claims another's order
        const orderClaimed =
          registration.orderId !== undefined &&
          (await new OrdersRepository(trx).claimGuestOrder({
            storeId,
            kioskId,
            orderId: registration.orderId,
            customerId: row.id,
            placedAfter: new Date(at.getTime() - GUEST_ORDER_CLAIM_MINUTES * 60_000),
          }));
        return { row, created: inserted !== undefined, orderClaimed };
      });
      await this.faces.changed(storeId, [row.id]);
      return { ...this.summary(row), hasFace: true, created, orderClaimed };
    } catch (error) {
      await this.cache.delete(claimKey).catch(() => undefined);
      throw error;
    }
  }

  /** what the kiosk's privacy notice says: how long an unused face is kept, and the notice's version */
  privacyNotice(): PrivacyNotice {
    return {
      faceRetentionDays: this.settings.retentionDays,
      consentTextVersion: this.settings.consentTextVersion ?? DEFAULT_CONSENT_TEXT_VERSION,
    };
  }

  /** the kiosk's alternative to faces: the member with this phone number, masked */
  async lookupByPhone(storeId: string, kioskId: string, phoneInput: string): Promise<MemberSummary> {
    await this.limitPhoneAttempts(kioskId);
    const phone = normalisePhone(phoneInput);
    const row = await new CustomersRepository(this.db).findByPhone(storeId, this.keys.phoneHash(storeId, phone));
    if (!row) throw customerNotFound();
    return { ...this.summary(row), hasFace: row.embedding_updated_at !== null };
  }

  /**
   * "Forget my face" at the kiosk. The kiosk proves the customer in front of it is this member:
   * with its own recent analysis whose face matches the member's, or with the member's phone number.
   */
  async forgetFaceAtKiosk(storeId: string, kioskId: string, customerId: string, proof: MemberProof): Promise<void> {
    if ((await this.proveAtKiosk(storeId, kioskId, customerId, proof)) === 'no_face') return; // nothing left to forget
    await this.forgetFace(storeId, customerId);
  }

  /** whether the member gets "your order is ready" by text message (the kiosk's receipt offers to stop it) */
  async readyNoticeOf(storeId: string, customerId: string): Promise<{ readyNotice: boolean }> {
    const row = await new CustomersRepository(this.db).find(storeId, customerId);
    if (!row) throw customerNotFound();
    return { readyNotice: row.ready_notice_consent };
  }

  /** the member stops "your order is ready" at the kiosk, proving it is them as for "forget my face" */
  async revokeReadyNoticeAtKiosk(storeId: string, kioskId: string, customerId: string, proof: MemberProof): Promise<void> {
    if ((await this.proveAtKiosk(storeId, kioskId, customerId, proof)) === 'no_face') throw proofFailed();
    await this.revokeReadyNotice(storeId, customerId);
  }

  /** no more "your order is ready" messages for this member, from now on (a pending one is not sent) */
  async revokeReadyNotice(storeId: string, customerId: string): Promise<void> {
    if (!(await new CustomersRepository(this.db).revokeReadyNotice(storeId, customerId))) throw customerNotFound();
  }

  /**
   * That the customer at the kiosk is this member: the kiosk's own recent analysis matches the
   * member's face, or they typed the member's phone number. 'no_face': a face proof for a member
   * whose face is already gone (it cannot match).
   */
  private async proveAtKiosk(storeId: string, kioskId: string, customerId: string, proof: MemberProof): Promise<'proven' | 'no_face'> {
    const repository = new CustomersRepository(this.db);
    if ('phone' in proof) {
      await this.limitPhoneAttempts(kioskId);
      const phone = normalisePhone(proof.phone);
      const phoneHash = await repository.phoneHashOf(storeId, customerId);
      if (phoneHash === undefined) throw customerNotFound();
      if (phoneHash !== this.keys.phoneHash(storeId, phone)) throw proofFailed();
      return 'proven';
    }
    const embedding = await this.heldFace(storeId, kioskId, proof.analysisId);
    const faces = await this.faces.facesOf(storeId, customerId);
    if (faces.rows.length === 0) {
      if (!(await repository.find(storeId, customerId))) throw customerNotFound();
      return 'no_face';
    }
    // any of the member's faces of today's model; one of an older model proves nothing (the phone does)
    const matches = faces.current.some(
      (face) => face.embedding.length === embedding.length && cosineSimilarity(embedding, face.embedding) >= this.settings.matchThreshold,
    );
    if (!matches) throw proofFailed();
    return 'proven';
  }

  /** deletes all the member's faces at once, here and on every instance; the membership stays */
  async forgetFace(storeId: string, customerId: string): Promise<void> {
    const found = await this.db.transaction().execute(async (trx) => {
      if (!(await new CustomersRepository(trx).forgetFace(storeId, customerId))) return false;
      await new FaceTemplatesRepository(trx).deleteOfMembers([customerId]);
      return true;
    });
    if (!found) throw customerNotFound();
    await this.faces.changed(storeId, [customerId]);
  }

  /**
   * A capture the member has just confirmed is theirs (the phone's last 4 digits) becomes one of
   * their faces when it differs enough from those kept (light, glasses, ageing); beyond
   * templatesPerMember the oldest goes. Nothing when the face was forgotten meanwhile. The visit also
   * counts as the face being used (last_seen_at, which the retention job reads): only a confirmed
   * visit does, so a stranger mistaken for a member does not keep that member's face alive.
   */
  async addConfirmedFace(input: { storeId: string; customerId: string; embedding: Float32Array }): Promise<'added' | 'similar' | 'no_face'> {
    checkEmbedding(input.embedding);
    const { storeId, customerId, embedding } = input;
    const outcome = await this.db.transaction().execute(async (trx) => {
      // the member's row locked: a concurrent "forget my face" or a second confirmation waits
      const member = await new CustomersRepository(trx).find(storeId, customerId, { lock: true });
      if (!member || member.embedding_updated_at === null) return 'no_face' as const;
      await new CustomersRepository(trx).markSeen(storeId, customerId, this.now());
      const templates = new FaceTemplatesRepository(trx);
      const kept = await templates.ofMember(storeId, customerId);
      for (const row of kept) {
        if (row.embedding_version !== this.settings.embeddingVersion) continue;
        const face = this.keys.decryptEmbedding(row.embedding_encrypted, sealedField.face(customerId));
        if (face.length === embedding.length && cosineSimilarity(face, embedding) >= this.settings.templateNoveltyBelow) return 'similar' as const;
      }
      // oldest first: the enrolment itself goes once enough newer faces are kept
      const excess = kept.length + 1 - this.settings.templatesPerMember;
      if (excess > 0) await templates.delete(kept.slice(0, excess).map((row) => row.id));
      await templates.insert({
        id: randomUUID(),
        customerId,
        storeId,
        embeddingVersion: this.settings.embeddingVersion,
        embeddingEncrypted: this.keys.encryptEmbedding(embedding, sealedField.face(customerId)),
        at: this.now(),
      });
      return 'added' as const;
    });
    if (outcome === 'added') await this.faces.changed(storeId, [customerId]);
    return outcome;
  }

  /** deletes the member and their face; their orders stay, no longer linked to them */
  async remove(storeId: string, customerId: string): Promise<void> {
    const deleted = await new CustomersRepository(this.db).delete(storeId, customerId);
    if (!deleted) throw customerNotFound();
    await this.faces.changed(storeId, [customerId]);
  }

  /** the POS list: masked name and phone, visits, whether a face is kept — never the face */
  async list(storeId: string, page: number, pageSize: number): Promise<{ customers: CustomerListing[]; total: number; page: number; pageSize: number }> {
    const { rows, total } = await new CustomersRepository(this.db).page(storeId, pageSize, (page - 1) * pageSize);
    const customers = rows.map((row) => ({
      id: row.id,
      maskedName: maskName(this.nameOf(row)),
      maskedPhone: maskPhone(this.phoneOf(row)),
      visits: row.visits,
      lastVisitAt: row.last_visit_at,
      hasFace: row.embedding_updated_at !== null,
      consentVersion: row.consent_version,
      readyNotice: row.ready_notice_consent,
      createdAt: row.created_at,
    }));
    return { customers, total, page, pageSize };
  }

  /** the retention job: deletes faces not seen (nor enrolled) for `retentionDays`; returns how many */
  async forgetUnusedFaces(): Promise<number> {
    const cutoff = new Date(this.now().getTime() - this.settings.retentionDays * 86_400_000);
    const forgotten = await this.db.transaction().execute(async (trx) => {
      const rows = await new CustomersRepository(trx).forgetFacesUnusedSince(cutoff);
      await new FaceTemplatesRepository(trx).deleteOfMembers(rows.map((row) => row.id));
      return rows;
    });
    const byStore = new Map<string, string[]>();
    for (const row of forgotten) byStore.set(row.store_id, [...(byStore.get(row.store_id) ?? []), row.id]);
    for (const [storeId, customerIds] of byStore) await this.faces.changed(storeId, customerIds);
    return forgotten.length;
  }

  private async heldFace(storeId: string, kioskId: string, analysisId: string): Promise<Float32Array> {
    const text = await this.cache.get(analysisKey(analysisId));
    const held = text === undefined ? undefined : (JSON.parse(text) as HeldAnalysis);
    // another kiosk's analysis is as unknown to this one as an expired one
    if (!held || held.kioskId !== kioskId || held.storeId !== storeId) {
      throw new DomainError('gone', 'analysis_expired', 'This face analysis has expired. Please look at the camera again.');
    }
    return this.keys.decryptEmbedding(Buffer.from(held.face, 'base64'), sealedField.heldAnalysis(analysisId));
  }

  private async limitPhoneAttempts(kioskId: string): Promise<void> {
    await enforceLimits(
      this.cache,
      [{ key: `customers:phone:kiosk:${kioskId}`, limit: this.settings.phoneAttemptsPerKioskPerMinute, windowSeconds: 60 }],
      'Too many phone numbers entered. Please wait a minute and try again.',
    );
  }

  private summary(row: CustomerRow): { customerId: string; maskedName: string | null; phoneLast4: string } {
    return { customerId: row.id, maskedName: maskName(this.nameOf(row)), phoneLast4: phoneLast4(this.phoneOf(row)) };
  }

  private phoneOf(row: CustomerRow): string {
    return this.keys.decryptText(row.phone_encrypted, sealedField.phone(row.id));
  }

  private nameOf(row: CustomerRow): string | null {
    return row.name_encrypted === null ? null : this.keys.decryptText(row.name_encrypted, sealedField.name(row.id));
  }
}

function analysisKey(analysisId: string): string {
  return `customers:analysis:${analysisId}`;
}

function checkEmbedding(embedding: Float32Array): void {
  const invalid = () => new DomainError('invalid', 'invalid_embedding', 'The face descriptor is not usable.');
  if (!(embedding instanceof Float32Array) || embedding.length < MIN_DIMENSIONS || embedding.length > MAX_DIMENSIONS) throw invalid();
  let norm = 0;
  for (const value of embedding) norm += value * value;
  if (!Number.isFinite(norm) || norm === 0) throw invalid();
}

function customerNotFound(): DomainError {
  return new DomainError('not_found', 'customer_not_found', 'There is no such member in this store.');
}

function proofFailed(): DomainError {
  return new DomainError('forbidden', 'customer_proof_failed', 'This does not match the member. Please look at the camera again or enter the phone number.');
}
