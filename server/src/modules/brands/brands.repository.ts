import type { Database } from '../../platform/db/database.js';

export interface Brand {
  id: string;
  name: string;
  code: string;
}

export class BrandsRepository {
  constructor(private readonly db: Database) {}

  async findByCode(code: string): Promise<Brand | undefined> {
    return this.db.selectFrom('brands').select(['id', 'name', 'code']).where('code', '=', code.toUpperCase()).executeTakeFirst();
  }

  async findById(id: string): Promise<Brand | undefined> {
    return this.db.selectFrom('brands').select(['id', 'name', 'code']).where('id', '=', id).executeTakeFirst();
  }

  async insert(name: string, code: string): Promise<Brand> {
    return this.db.insertInto('brands').values({ name, code }).returning(['id', 'name', 'code']).executeTakeFirstOrThrow();
  }

  async list(): Promise<Brand[]> {
    return this.db.selectFrom('brands').select(['id', 'name', 'code']).orderBy('name').execute();
  }
}
