// SQL for the kitchen display and the pickup board: settings, stations and the category -> station
// routing, and who a store screen is. Open orders are read through the orders repository.
import type { Database } from '../../platform/db/database.js';

export interface KitchenSettings {
  lateAfterMinutes: number;
  pickupHoldMinutes: number;
}

export const DEFAULT_KITCHEN_SETTINGS: KitchenSettings = { lateAfterMinutes: 7, pickupHoldMinutes: 10 };

export interface Station {
  id: string;
  name: string;
  categoryIds: string[];
}

export class KitchenRepository {
  constructor(private readonly db: Database) {}

  async settings(storeId: string): Promise<KitchenSettings> {
    const row = await this.db
      .selectFrom('kitchen_settings')
      .select(['late_after_minutes', 'pickup_hold_minutes'])
      .where('store_id', '=', storeId)
      .executeTakeFirst();
    return row ? { lateAfterMinutes: row.late_after_minutes, pickupHoldMinutes: row.pickup_hold_minutes } : { ...DEFAULT_KITCHEN_SETTINGS };
  }

  async saveSettings(storeId: string, settings: KitchenSettings): Promise<void> {
    const values = { late_after_minutes: settings.lateAfterMinutes, pickup_hold_minutes: settings.pickupHoldMinutes, updated_at: new Date() };
    await this.db
      .insertInto('kitchen_settings')
      .values({ store_id: storeId, ...values })
      .onConflict((oc) => oc.column('store_id').doUpdateSet(values))
      .execute();
  }

  async stations(storeId: string): Promise<Station[]> {
    const [stations, routes] = await Promise.all([
      this.db.selectFrom('kitchen_stations').select(['id', 'name']).where('store_id', '=', storeId).orderBy('created_at').orderBy('name').execute(),
      this.db
        .selectFrom('kitchen_category_stations')
        .innerJoin('kitchen_stations', 'kitchen_stations.id', 'kitchen_category_stations.station_id')
        .select(['kitchen_category_stations.station_id', 'kitchen_category_stations.category_id'])
        .where('kitchen_stations.store_id', '=', storeId)
        .execute(),
    ]);
    return stations.map((station) => ({
      id: station.id,
      name: station.name,
      categoryIds: routes.filter((route) => route.station_id === station.id).map((route) => route.category_id),
    }));
  }

  async insertStation(storeId: string, name: string): Promise<string> {
    const row = await this.db.insertInto('kitchen_stations').values({ store_id: storeId, name }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  async renameStation(storeId: string, stationId: string, name: string): Promise<boolean> {
    const result = await this.db.updateTable('kitchen_stations').set({ name }).where('id', '=', stationId).where('store_id', '=', storeId).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** the categories of this store among `categoryIds` */
  async categoriesOfStore(storeId: string, categoryIds: string[]): Promise<string[]> {
    if (categoryIds.length === 0) return [];
    const rows = await this.db.selectFrom('categories').select('id').where('store_id', '=', storeId).where('id', 'in', categoryIds).execute();
    return rows.map((row) => row.id);
  }

  async routeCategories(stationId: string, categoryIds: string[]): Promise<void> {
    await this.db.deleteFrom('kitchen_category_stations').where('station_id', '=', stationId).execute();
    if (categoryIds.length > 0) {
      await this.db
        .insertInto('kitchen_category_stations')
        .values(categoryIds.map((categoryId) => ({ station_id: stationId, category_id: categoryId })))
        .execute();
    }
  }

  async deleteStation(storeId: string, stationId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('kitchen_stations').where('id', '=', stationId).where('store_id', '=', storeId).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** item id -> the stations its category is routed to, for the store's items that are routed anywhere */
  async itemStations(storeId: string): Promise<Map<string, string[]>> {
    const rows = await this.db
      .selectFrom('items')
      .innerJoin('kitchen_category_stations', 'kitchen_category_stations.category_id', 'items.category_id')
      .select(['items.id', 'kitchen_category_stations.station_id'])
      .where('items.store_id', '=', storeId)
      .execute();
    const map = new Map<string, string[]>();
    for (const row of rows) map.set(row.id, [...(map.get(row.id) ?? []), row.station_id]);
    return map;
  }

  async storeName(storeId: string): Promise<string | undefined> {
    return (await this.db.selectFrom('stores').select('name').where('id', '=', storeId).executeTakeFirst())?.name;
  }

  async screenName(kioskId: string): Promise<string | undefined> {
    return (await this.db.selectFrom('kiosks').select('name').where('id', '=', kioskId).where('deleted_at', 'is', null).executeTakeFirst())?.name;
  }
}
