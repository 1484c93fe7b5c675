import type { Database } from '../../platform/db/database.js';
import type { ScreenKind } from '../../platform/db/schema.js';

export interface Kiosk {
  id: string;
  storeId: string;
  name: string;
  loginId: string;
  /** a kiosk, or a store screen that signs in like one: the kitchen display, the pickup board */
  kind: ScreenKind;
  createdAt: Date;
  /** the screen's visible height and its bottom edge above the floor, in cm (both or neither) */
  screenHeightCm: number | null;
  screenBottomCm: number | null;
  /** false while the kiosk reports that it cannot speak (the POS's kiosk list shows it) */
  speechAvailable: boolean;
}

/** what the owner may change on a kiosk; an absent field stays as it is */
export interface KioskChanges {
  name?: string;
  screenHeightCm?: number | null;
  screenBottomCm?: number | null;
}

const columns = ['id', 'store_id', 'name', 'login_id', 'kind', 'created_at', 'screen_height_cm', 'screen_bottom_cm', 'speech_unavailable_since'] as const;

function toKiosk(row: {
  id: string;
  store_id: string;
  name: string;
  login_id: string;
  kind: ScreenKind;
  created_at: Date;
  screen_height_cm: number | null;
  screen_bottom_cm: number | null;
  speech_unavailable_since: Date | null;
}): Kiosk {
  return {
    id: row.id,
    storeId: row.store_id,
    name: row.name,
    loginId: row.login_id,
    kind: row.kind,
    createdAt: row.created_at,
    screenHeightCm: row.screen_height_cm,
    screenBottomCm: row.screen_bottom_cm,
    speechAvailable: row.speech_unavailable_since === null,
  };
}

export class KiosksRepository {
  constructor(private readonly db: Database) {}

  async lockStore(storeId: string): Promise<void> {
    await this.db.selectFrom('stores').select('id').where('id', '=', storeId).forNoKeyUpdate().executeTakeFirst();
  }

  async listOfStore(storeId: string): Promise<Kiosk[]> {
    const rows = await this.db
      .selectFrom('kiosks')
      .select(columns)
      .where('store_id', '=', storeId)
      .where('deleted_at', 'is', null)
      .orderBy('created_at')
      .orderBy('name')
      .execute();
    return rows.map(toKiosk);
  }

  async find(storeId: string, id: string): Promise<Kiosk | undefined> {
    const row = await this.db
      .selectFrom('kiosks')
      .select(columns)
      .where('id', '=', id)
      .where('store_id', '=', storeId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return row && toKiosk(row);
  }

  async findWithStore(id: string): Promise<(Kiosk & { storeName: string; brandId: string; brandName: string }) | undefined> {
    const row = await this.db
      .selectFrom('kiosks')
      .innerJoin('stores', 'stores.id', 'kiosks.store_id')
      .innerJoin('brands', 'brands.id', 'stores.brand_id')
      .select([
        'kiosks.id',
        'kiosks.store_id',
        'kiosks.name',
        'kiosks.login_id',
        'kiosks.kind',
        'kiosks.created_at',
        'kiosks.screen_height_cm',
        'kiosks.screen_bottom_cm',
        'kiosks.speech_unavailable_since',
        'stores.name as store_name',
        'brands.id as brand_id',
        'brands.name as brand_name',
      ])
      .where('kiosks.id', '=', id)
      .where('kiosks.deleted_at', 'is', null)
      .executeTakeFirst();
    return row && { ...toKiosk(row), storeName: row.store_name, brandId: row.brand_id, brandName: row.brand_name };
  }

  async insert(storeId: string, name: string, loginId: string, secretHash: string, kind: ScreenKind = 'kiosk'): Promise<Kiosk> {
    const row = await this.db
      .insertInto('kiosks')
      .values({ store_id: storeId, name, login_id: loginId, secret_hash: secretHash, kind })
      .returning(columns)
      .executeTakeFirstOrThrow();
    return toKiosk(row);
  }

  async update(storeId: string, id: string, changes: KioskChanges): Promise<Kiosk | undefined> {
    const row = await this.db
      .updateTable('kiosks')
      .set({
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.screenHeightCm !== undefined ? { screen_height_cm: changes.screenHeightCm } : {}),
        ...(changes.screenBottomCm !== undefined ? { screen_bottom_cm: changes.screenBottomCm } : {}),
      })
      .where('id', '=', id)
      .where('store_id', '=', storeId)
      .where('deleted_at', 'is', null)
      .returning(columns)
      .executeTakeFirst();
    return row && toKiosk(row);
  }

  /** soft delete: orders keep pointing at the kiosk they came from */
  async markDeleted(storeId: string, id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('kiosks')
      .set({ deleted_at: new Date() })
      .where('id', '=', id)
      .where('store_id', '=', storeId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async markAllDeleted(storeId: string): Promise<string[]> {
    const rows = await this.db
      .updateTable('kiosks')
      .set({ deleted_at: new Date() })
      .where('store_id', '=', storeId)
      .where('deleted_at', 'is', null)
      .returning('id')
      .execute();
    return rows.map((row) => row.id);
  }
}
