// A fresh database for a bench that talks SQL directly: a new PostgreSQL database (pg pool, as the
// server opens it) or PGlite persisted in a new DATA_DIR (as `pinokio serve` opens it by default),
// each with the cleanup that drops or deletes it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type DatabaseHandle } from '../../server/src/platform/db/database.js';
import { createPostgresDatabase } from '../../server/test/support/test-server.js';
import { dropWhenIdle, withTimeout } from './measure.js';

export interface BenchDatabase {
  handle: DatabaseHandle;
  note: string;
  cleanup(): Promise<void>;
}

const tempDir = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `pinokio-bench-${name}-`));

export async function freshPostgres(name: string): Promise<BenchDatabase> {
  const database = await withTimeout(createPostgresDatabase(), 5000, 'PostgreSQL');
  const dataDir = tempDir(`${name}-pg`);
  try {
    const handle = await openDatabase(database.url, dataDir);
    return {
      handle,
      note: 'a fresh database, pg pool (as the server opens it)',
      cleanup: async () => {
        await handle.close();
        await dropWhenIdle(database);
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

export async function freshPglite(name: string): Promise<BenchDatabase> {
  const dataDir = tempDir(`${name}-pglite`);
  const handle = await openDatabase(undefined, dataDir);
  return {
    handle,
    note: 'persisted in a fresh DATA_DIR, as `pinokio serve` opens it by default',
    cleanup: async () => {
      await handle.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
