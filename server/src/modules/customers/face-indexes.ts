// One in-memory index of enrolled faces per store (PostgreSQL here has no pgvector): loaded lazily
// from the database, decrypting, and kept in step across server instances through the bus. A member
// may have several faces (templates): each is a row of the index under the member, and a search
// answers per member (docs/faces.md, "Decision rule"). A bus event names only the store and the
// customers that changed, never a face; every instance that holds that store's index re-reads those
// members' faces, so applying an event twice or late does no harm. Faces made by another model
// (embedding_version) are never compared with new ones: they are skipped, logged once per store.
import { FaceIndex, type MatchRule } from '@pinokio/face';
import type { Bus } from '../../platform/bus/bus.js';
import type { Database } from '../../platform/db/database.js';
import type { CustomerDataKeys } from './customer-data.js';
import { sealedField } from './customer-data.js';
import { FaceTemplatesRepository, type FaceTemplateRow } from './face-templates.repository.js';

export const FACES_CHANNEL = 'customers:faces';
export interface FacesChanged {
  storeId: string;
  customerIds: string[];
}

export type FaceDecision =
  | { outcome: 'match'; customerId: string; similarity: number; version: Date }
  /** two members within the margin of each other: nobody is matched */
  | { outcome: 'ambiguous'; customerId: string; similarity: number; runnerUp: number }
  | { outcome: 'no_match' };

export interface FaceIndexesOptions {
  /** the model of today's embeddings (EMBEDDING_VERSION); faces of any other are skipped */
  embeddingVersion: string;
  onError: (error: unknown, context: Record<string, unknown>) => void;
  /** told once per store and version when faces of another model are skipped (re-enrolment: docs/faces.md) */
  onOtherVersion: (context: { storeId: string; embeddingVersion: string; skipped: number }) => void;
}

interface StoreEntry {
  /** made with the dimensions of the first face it meets (1024 for FaceRes) */
  index: FaceIndex | undefined;
  /** embedding_updated_at (ms) of each indexed member: a match is confirmed against the row */
  versions: Map<string, number>;
  /** loading, then every change in turn: changes to one store's index never interleave */
  queue: Promise<void>;
}

export class FaceIndexes {
  private readonly stores = new Map<string, StoreEntry>();
  private readonly reportedVersions = new Set<string>();
  private subscribed: Promise<unknown> | undefined;

  constructor(
    private readonly db: Database,
    private readonly bus: Bus,
    private readonly keys: CustomerDataKeys,
    private readonly options: FaceIndexesOptions,
  ) {}

  /** the rule applied to the store's members: the best member above the threshold and clear of the next */
  async decide(storeId: string, embedding: Float32Array, rule: MatchRule): Promise<FaceDecision> {
    const entry = await this.loaded(storeId);
    // a descriptor of another length (another model) matches nobody
    if (!entry.index || entry.index.dimensions !== embedding.length) return { outcome: 'no_match' };
    const decision = entry.index.matchMember(embedding, rule);
    if (decision.outcome === 'no_match') return decision;
    if (decision.outcome === 'ambiguous') {
      return { outcome: 'ambiguous', customerId: decision.member, similarity: decision.similarity, runnerUp: decision.runnerUp };
    }
    const version = entry.versions.get(decision.member);
    if (version === undefined) return { outcome: 'no_match' };
    return { outcome: 'match', customerId: decision.member, similarity: decision.similarity, version: new Date(version) };
  }

  /** re-reads these customers' faces here and tells every other instance to do the same */
  async changed(storeId: string, customerIds: string[]): Promise<void> {
    if (customerIds.length === 0) return;
    await this.refresh(storeId, customerIds);
    await this.bus
      .publish(FACES_CHANNEL, { storeId, customerIds } satisfies FacesChanged)
      .catch((error: unknown) => this.options.onError(error, { task: 'publish faces changed', storeId }));
  }

  /** re-reads these customers' faces into the store's index, when this instance holds it */
  async refresh(storeId: string, customerIds: string[]): Promise<void> {
    const entry = this.stores.get(storeId);
    if (!entry) return; // loaded later, it reads the rows as they are then
    entry.queue = entry.queue.then(async () => {
      const repository = new FaceTemplatesRepository(this.db);
      for (const customerId of customerIds) {
        const rows = await repository.ofMember(storeId, customerId);
        entry.index?.removeMember(customerId);
        entry.versions.delete(customerId);
        this.putAll(entry, storeId, rows);
      }
    });
    // a failed refresh must not block later ones; the index is then dropped and reloaded on next use
    entry.queue = entry.queue.catch((error: unknown) => {
      this.options.onError(error, { task: 'refresh face index', storeId });
      if (this.stores.get(storeId) === entry) this.stores.delete(storeId);
    });
    await entry.queue;
  }

  /** a member's faces of today's model, decrypted (the kiosk's face proof, adding a template) */
  async facesOf(storeId: string, customerId: string): Promise<{ rows: FaceTemplateRow[]; current: Array<{ id: string; embedding: Float32Array }> }> {
    const rows = await new FaceTemplatesRepository(this.db).ofMember(storeId, customerId);
    const current = rows
      .filter((row) => row.embedding_version === this.options.embeddingVersion)
      .map((row) => ({ id: row.id, embedding: this.keys.decryptEmbedding(row.embedding_encrypted, sealedField.face(row.customer_id)) }));
    return { rows, current };
  }

  private async loaded(storeId: string): Promise<StoreEntry> {
    // listen before reading, so no change committed after the read goes unnoticed
    this.subscribed ??= this.bus.subscribe(FACES_CHANNEL, (message) => {
      const event = message as FacesChanged;
      if (typeof event?.storeId === 'string' && Array.isArray(event.customerIds)) void this.refresh(event.storeId, event.customerIds);
    });
    try {
      await this.subscribed;
    } catch (error) {
      this.subscribed = undefined; // the bus was unreachable: try again on the next recognition
      throw error;
    }
    let entry = this.stores.get(storeId);
    if (!entry) {
      const created: StoreEntry = { index: undefined, versions: new Map(), queue: Promise.resolve() };
      created.queue = new FaceTemplatesRepository(this.db).ofStore(storeId).then((rows) => this.putAll(created, storeId, rows));
      this.stores.set(storeId, created);
      entry = created;
      try {
        await created.queue;
      } catch (error) {
        if (this.stores.get(storeId) === created) this.stores.delete(storeId);
        throw error;
      }
    }
    await entry.queue;
    return entry;
  }

  private putAll(entry: StoreEntry, storeId: string, rows: FaceTemplateRow[]): void {
    const skipped = new Map<string, number>();
    for (const row of rows) {
      if (row.embedding_version === this.options.embeddingVersion) this.put(entry, storeId, row);
      else skipped.set(row.embedding_version, (skipped.get(row.embedding_version) ?? 0) + 1);
    }
    for (const [embeddingVersion, count] of skipped) {
      const key = `${storeId}:${embeddingVersion}`;
      if (this.reportedVersions.has(key)) continue;
      this.reportedVersions.add(key);
      this.options.onOtherVersion({ storeId, embeddingVersion, skipped: count });
    }
  }

  private put(entry: StoreEntry, storeId: string, row: FaceTemplateRow): void {
    let embedding: Float32Array;
    try {
      embedding = this.keys.decryptEmbedding(row.embedding_encrypted, sealedField.face(row.customer_id));
    } catch (error) {
      // a row sealed under another key (CUSTOMER_DATA_KEY changed) cannot be matched: skip it
      this.options.onError(error, { task: 'decrypt face', storeId, customerId: row.customer_id });
      return;
    }
    entry.index ??= new FaceIndex(embedding.length, { initialCapacity: 64 });
    if (entry.index.dimensions !== embedding.length) {
      this.options.onError(new Error(`a face of ${embedding.length} numbers in an index of ${entry.index.dimensions}`), {
        task: 'index face',
        storeId,
        customerId: row.customer_id,
      });
      return;
    }
    entry.index.add(row.id, embedding, row.customer_id);
    entry.versions.set(row.customer_id, row.embedding_updated_at.getTime());
  }
}
