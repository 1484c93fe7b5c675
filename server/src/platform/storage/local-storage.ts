// The embedded storage: a folder. Each object is its raw bytes at <dir>/<key>, so the folder can
// be served as static files; its content type is kept in <dir>/.meta/<key>.json. Keys cannot reach
// dot-folders and @fastify/static ignores them by default, so metadata and temp files stay private.
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Storage, StoredObject } from './storage.js';

const MAX_KEY_LENGTH = 1024; // S3's limit, so a key accepted here is accepted at scale
// Segments of letters, digits, '.', '_' and '-', never starting with '.': this rules out '..',
// absolute paths, backslashes and the private dot-folders, on every platform.
const KEY_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(?:\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;
const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/** The key rules of every Storage, so a key that works embedded also works on S3 and vice versa. */
export function assertValidStorageKey(key: string): void {
  if (key.length > MAX_KEY_LENGTH || !KEY_PATTERN.test(key)) {
    throw new Error(`invalid storage key "${key}": use path segments of letters, digits, '.', '_' and '-'`);
  }
}

// A key that names a folder ('items' when 'items/a.webp' exists) or passes through a file is
// missing too, as it would be on S3.
const MISSING_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

function isMissing(error: unknown): boolean {
  return MISSING_CODES.has((error as NodeJS.ErrnoException).code ?? '');
}

async function removeFile(file: string): Promise<void> {
  try {
    await fs.unlink(file);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
}

export class LocalStorage implements Storage {
  private readonly dir: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    assertValidStorageKey(key);
    // Metadata first: a crash in between leaves an orphan .json (harmless), never a file without one.
    await this.writeAtomically(this.metaPath(key), JSON.stringify({ contentType }));
    await this.writeAtomically(this.filePath(key), body);
  }

  async get(key: string): Promise<StoredObject | undefined> {
    assertValidStorageKey(key);
    let body: Buffer;
    try {
      body = await fs.readFile(this.filePath(key));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    return { body, contentType: await this.readContentType(key) };
  }

  async delete(key: string): Promise<void> {
    assertValidStorageKey(key);
    // The file first: once it is gone, get() answers undefined whatever happens to the metadata.
    await removeFile(this.filePath(key));
    await removeFile(this.metaPath(key));
  }

  async ping(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    await fs.access(this.dir, constants.R_OK | constants.W_OK);
  }

  private filePath(key: string): string {
    return path.join(this.dir, key);
  }

  private metaPath(key: string): string {
    return path.join(this.dir, '.meta', `${key}.json`);
  }

  private async readContentType(key: string): Promise<string> {
    try {
      const meta = JSON.parse(await fs.readFile(this.metaPath(key), 'utf8')) as { contentType?: unknown };
      return typeof meta.contentType === 'string' ? meta.contentType : DEFAULT_CONTENT_TYPE;
    } catch (error) {
      // A file dropped into the folder by hand has no metadata.
      if (isMissing(error)) return DEFAULT_CONTENT_TYPE;
      throw error;
    }
  }

  /** temp file + rename: readers see the old content or the new, never a half-written file */
  private async writeAtomically(target: string, data: Buffer | string): Promise<void> {
    // Temp files live inside the folder, so the rename never crosses file systems.
    const tempDir = path.join(this.dir, '.tmp');
    const tempFile = path.join(tempDir, randomUUID());
    await Promise.all([fs.mkdir(tempDir, { recursive: true }), fs.mkdir(path.dirname(target), { recursive: true })]);
    try {
      await fs.writeFile(tempFile, data);
      await fs.rename(tempFile, target);
    } catch (error) {
      await fs.rm(tempFile, { force: true });
      throw error;
    }
  }
}
