// One in-memory index of enrolled faces per store (PostgreSQL here has no pgvector): loaded lazily
// from the database, decrypting, and kept in step across server instances through the bus. A bus
// event names only the store and the customers that changed, never a face; every instance that
// holds that store's index re-reads those rows, so applying an event twice or late does no harm.
import { FaceIndex } from '@pinokio/face';
import type { Bus } from '../../platform/bus/bus.js';
import type { Database } from '../../platform/db/database.js';
import type { CustomerDataKeys } from './customer-data.js';
import { sealedField } from './customer-data.js';
import { CustomersRepository, type FaceRow } from './customers.repository.js';

export const FACES_CHANNEL = 'customers:faces';
export interface FacesChanged {
  storeId: string;
  customerIds: string[];
}

interface StoreEntry {
  /** made with the dimensions of the first face it meets (1024 for FaceRes) */
  index: FaceIndex | undefined;
  /** embedding_updated_at (ms) of each indexed face: a match is confirmed against the row */
  versions: Map<string, number>;
  /** loading, then every change in turn: changes to one store's index never interleave */
  queue: Promise<void>;
}

export class FaceIndexes {
  private readonly stores = new Map<string, StoreEntry>();
  private subscribed: Promise<unknown> | undefined;

  constructor(
    private readonly db: Database,
    private readonly bus: Bus,
    private readonly keys: CustomerDataKeys,
    private readonly onError: (error: unknown, context: Record<string, unknown>) => void,
  ) {}

  /** the most similar enrolled face of the store, when at least `minSimilarity` */
  async nearest(storeId: string, embedding: Float32Array, minSimilarity: number): Promise<{ customerId: string; similarity: number; version: Date } | null> {
    const entry = await this.loaded(storeId);
    // a descriptor of another length (another model) matches nobody
    if (!entry.index || entry.index.dimensions !== embedding.length) return null;
    const best = entry.index.search(embedding, { minSimilarity });
    const version = best && entry.versions.get(best.id);
    if (!best || version === undefined) return null;
    return { customerId: best.id, similarity: best.similarity, version: new Date(version) };
  }

  /** re-reads these customers' faces here and tells every other instance to do the same */
  async changed(storeId: string, customerIds: string[]): Promise<void> {
    if (customerIds.length === 0) return;
    await this.refresh(storeId, customerIds);
    await this.bus
      .publish(FACES_CHANNEL, { storeId, customerIds } satisfies FacesChanged)
      .catch((error: unknown) => this.onError(error, { task: 'publish faces changed', storeId }));
  }

  /** re-reads these customers' faces into the store's index, when this instance holds it */
  async refresh(storeId: string, customerIds: string[]): Promise<void> {
    const entry = this.stores.get(storeId);
    if (!entry) return; // loaded later, it reads the rows as they are then
    entry.queue = entry.queue.then(async () => {
      const repository = new CustomersRepository(this.db);
      for (const customerId of customerIds) {
        const row = await repository.faceOf(storeId, customerId);
        entry.index?.remove(customerId);
        entry.versions.delete(customerId);
        if (row) this.put(entry, storeId, row);
      }
    });
    // a failed refresh must not block later ones; the index is then dropped and reloaded on next use
    entry.queue = entry.queue.catch((error: unknown) => {
      this.onError(error, { task: 'refresh face index', storeId });
      if (this.stores.get(storeId) === entry) this.stores.delete(storeId);
    });
    await entry.queue;
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
      created.queue = new CustomersRepository(this.db).facesOf(storeId).then((rows) => {
        for (const row of rows) this.put(created, storeId, row);
      });
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

  private put(entry: StoreEntry, storeId: string, row: FaceRow): void {
    let embedding: Float32Array;
    try {
      embedding = this.keys.decryptEmbedding(row.face_embedding_encrypted, sealedField.face(row.id));
    } catch (error) {
      // a row sealed under another key (CUSTOMER_DATA_KEY changed) cannot be matched: skip it
      this.onError(error, { task: 'decrypt face', storeId, customerId: row.id });
      return;
    }
    entry.index ??= new FaceIndex(embedding.length, { initialCapacity: 64 });
    if (entry.index.dimensions !== embedding.length) {
      this.onError(new Error(`a face of ${embedding.length} numbers in an index of ${entry.index.dimensions}`), {
        task: 'index face',
        storeId,
        customerId: row.id,
      });
      return;
    }
    entry.index.add(row.id, embedding);
    entry.versions.set(row.id, row.embedding_updated_at.getTime());
  }
}
