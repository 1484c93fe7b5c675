import type { Database } from './database.js';

/** a secret named `name`: the first instance to start creates it, every later one reads the same */
export async function serverSecret(db: Database, name: string, generate: () => string): Promise<string> {
  await db
    .insertInto('server_secrets')
    .values({ name, value: generate() })
    .onConflict((conflict) => conflict.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}
