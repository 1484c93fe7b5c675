import type { Database } from '../../platform/db/database.js';
import type { AccountRole } from '../../platform/db/schema.js';

export interface AccountProfile {
  id: string;
  role: AccountRole;
  email: string;
  displayName: string;
  brand: { id: string; name: string; code: string };
  store: { id: string; name: string; timeZone: string } | null;
  createdAt: Date;
}

export class AccountsRepository {
  constructor(private readonly db: Database) {}

  async emailInUse(role: AccountRole, email: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('accounts')
      .select('id')
      .where('role', '=', role)
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst();
    return row !== undefined;
  }

  async insertStore(brandId: string, name: string): Promise<string> {
    const row = await this.db.insertInto('stores').values({ brand_id: brandId, name }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  async insertAccount(values: {
    role: AccountRole;
    email: string;
    passwordHash: string;
    displayName: string;
    brandId: string;
    storeId: string | null;
  }): Promise<string> {
    const row = await this.db
      .insertInto('accounts')
      .values({
        role: values.role,
        email: values.email,
        password_hash: values.passwordHash,
        display_name: values.displayName,
        brand_id: values.brandId,
        store_id: values.storeId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async findProfile(id: string): Promise<AccountProfile | undefined> {
    const row = await this.db
      .selectFrom('accounts')
      .innerJoin('brands', 'brands.id', 'accounts.brand_id')
      .leftJoin('stores', 'stores.id', 'accounts.store_id')
      .select([
        'accounts.id',
        'accounts.role',
        'accounts.email',
        'accounts.display_name',
        'accounts.created_at',
        'brands.id as brand_id',
        'brands.name as brand_name',
        'brands.code as brand_code',
        'stores.id as store_id',
        'stores.name as store_name',
        'stores.time_zone',
      ])
      .where('accounts.id', '=', id)
      .where('accounts.withdrawn_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      role: row.role,
      email: row.email,
      displayName: row.display_name,
      createdAt: row.created_at,
      brand: { id: row.brand_id, name: row.brand_name, code: row.brand_code },
      store: row.store_id ? { id: row.store_id, name: row.store_name ?? '', timeZone: row.time_zone ?? 'Asia/Seoul' } : null,
    };
  }

  /** what a password check needs (kept out of findProfile, which /api/me reads on every call) */
  async findCredentials(id: string): Promise<{ id: string; passwordHash: string; storeId: string | null } | undefined> {
    const row = await this.db
      .selectFrom('accounts')
      .select(['id', 'password_hash', 'store_id'])
      .where('id', '=', id)
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst();
    return row && { id: row.id, passwordHash: row.password_hash, storeId: row.store_id };
  }

  async findIdByEmail(role: AccountRole, email: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('accounts')
      .select('id')
      .where('role', '=', role)
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst();
    return row?.id;
  }

  async updatePasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.db.updateTable('accounts').set({ password_hash: passwordHash }).where('id', '=', id).execute();
  }

  /** erases what identifies the person; the row stays so that records pointing at it keep meaning */
  async anonymize(id: string): Promise<void> {
    await this.db
      .updateTable('accounts')
      .set({ withdrawn_at: new Date(), email: `withdrawn-${id}@invalid`, display_name: '', password_hash: '' })
      .where('id', '=', id)
      .execute();
  }

  async closeStore(storeId: string): Promise<void> {
    await this.db.updateTable('stores').set({ closed_at: new Date() }).where('id', '=', storeId).execute();
  }
}
