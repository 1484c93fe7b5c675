// Files kept in the Storage (item photos), read back for the public /api/files/* route. Every key
// written is new (it carries a random part), so an answer can be cached for ever.
import { assertValidStorageKey } from '../../platform/storage/local-storage.js';
import type { Storage, StoredObject } from '../../platform/storage/storage.js';

export const FILES_PATH = '/api/files';
/** the built-in picture of an item without a photo */
export const DEFAULT_ITEM_PICTURE_URL = `${FILES_PATH}/default-item.svg`;

/** the public address of a stored object */
export function fileUrl(key: string): string {
  return `${FILES_PATH}/${key}`;
}

export class FilesService {
  constructor(private readonly storage: Storage) {}

  /** undefined when there is no such object, or when the key could never name one */
  async get(key: string): Promise<StoredObject | undefined> {
    try {
      assertValidStorageKey(key);
    } catch {
      return undefined;
    }
    return this.storage.get(key);
  }
}
