// The database: Kysely over PGlite in-process (default) or a PostgreSQL server (DATABASE_URL).
// One SQL dialect, one set of migrations and queries for both.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PgliteDialect } from './pglite-dialect.js';
import type { DB } from './schema.js';

export type Database = Kysely<DB>;

export interface DatabaseHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

const INT8_OID = 20;
const DATE_OID = 1082;

// Counts and money sums come back as int8; every amount here fits in a double, so read them as numbers.
pg.types.setTypeParser(INT8_OID, (value) => Number(value));
// A calendar date (a store's local day) is not an instant: keep it as 'YYYY-MM-DD'.
pg.types.setTypeParser(DATE_OID, (value) => value);
const pgliteParsers = { [INT8_OID]: (value: string) => Number(value) };

export interface DatabaseOptions {
  /** told about connection errors the pool survives (a restart, a failover, a network cut) */
  onConnectionError?: (error: Error) => void;
}

export async function openDatabase(databaseUrl: string | undefined, dataDir: string, options: DatabaseOptions = {}): Promise<DatabaseHandle> {
  if (databaseUrl && !databaseUrl.startsWith('memory:')) {
    // a connect attempt gives up after 5 s, so a request waits at most that long for a server that is
    // away before it is answered 503 (database_unavailable)
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 20, connectionTimeoutMillis: 5_000, keepAlive: true });
    // When PostgreSQL restarts, every connection in the pool gets an error. Unheard, an 'error' event
    // ends the process; heard, the pool drops the broken connection and opens a new one on next use.
    const onConnectionError = options.onConnectionError ?? (() => {});
    pool.on('error', onConnectionError); // an idle connection's error
    pool.on('connect', (client) => client.on('error', onConnectionError)); // one checked out between queries
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    await sql`select 1`.execute(db);
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  let location: string | undefined;
  let unlock = () => {};
  if (!databaseUrl) {
    location = path.join(dataDir, 'pglite');
    fs.mkdirSync(location, { recursive: true });
    unlock = lockDataDir(location);
  }
  try {
    const pglite = new PGlite(location, { parsers: pgliteParsers });
    const db = new Kysely<DB>({ dialect: new PgliteDialect(pglite) });
    await sql`select 1`.execute(db);
    return {
      db,
      kind: 'pglite',
      close: async () => {
        try {
          await db.destroy();
        } finally {
          unlock();
        }
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

/** a second process opening the same PGlite folder */
export class DataDirInUseError extends Error {}

/**
 * PGlite's files are one process's own: a second server (or `pinokio migrate`) on the same folder
 * would abort deep inside the WebAssembly module with no word of why. A lock file holding the
 * owner's process id turns that into a plain message; a lock left by a process that died is taken over.
 */
function lockDataDir(location: string): () => void {
  const lockFile = path.join(location, 'pinokio.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      const release = () => {
        process.off('exit', release);
        try {
          if (fs.readFileSync(lockFile, 'utf8') === String(process.pid)) fs.rmSync(lockFile);
        } catch {} // gone already
      };
      process.on('exit', release); // a process that ends without closing still leaves the folder free
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(fs.readFileSync(lockFile, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
        throw new DataDirInUseError(
          `the embedded database in ${location} is in use by another Pinokio process (pid ${owner}): stop it first, or give this one another DATA_DIR`,
        );
      }
      fs.rmSync(lockFile, { force: true }); // its owner is gone
    }
  }
  throw new DataDirInUseError(`could not lock ${location}: another Pinokio process is starting on it`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // running, as another user
  }
}
