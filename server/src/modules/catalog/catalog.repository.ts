import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { ItemDining, OptionGroupKind } from '../../platform/db/schema.js';
import type { AllergenCode } from './menu-facts.js';

export interface Category {
  id: string;
  name: string;
  position: number;
  /** items in it that are not deleted */
  itemCount: number;
}

export interface Item {
  id: string;
  storeId: string;
  categoryId: string;
  name: string;
  description: string;
  price: number;
  stock: number | null;
  /** where its photo is in the storage (the base of the card and thumb keys); null: no photo */
  imageKey: string | null;
  /** which orders it is offered for: any, eat-in only or take-out only */
  dining: ItemDining;
  shownOnKiosk: boolean;
  soldOut: boolean;
  // menu facts (menu-facts.ts)
  caffeineMg: number | null;
  sugarG: number | null;
  kcal: number | null;
  allergens: AllergenCode[];
  createdAt: Date;
  updatedAt: Date;
}

export interface Option {
  id: string;
  name: string;
  priceDelta: number;
}

export interface OptionGroup {
  id: string;
  name: string;
  kind: OptionGroupKind;
  required: boolean;
  options: Option[];
}

export type NewOptionGroup = Omit<OptionGroup, 'id' | 'options'> & { options: Array<Omit<Option, 'id'>> };

export interface ItemValues {
  categoryId: string;
  name: string;
  description: string;
  price: number;
  stock: number | null;
  dining: ItemDining;
  shownOnKiosk: boolean;
  soldOut: boolean;
  caffeineMg: number | null;
  sugarG: number | null;
  kcal: number | null;
  allergens: AllergenCode[];
}

export interface ItemFilter {
  /** a part of the name, matched case-insensitively and literally (% and _ are plain characters) */
  q?: string | undefined;
  categoryId?: string | undefined;
  /** only items a kiosk shows */
  shownOnly?: boolean;
}

const itemColumns = [
  'items.id',
  'items.store_id',
  'items.category_id',
  'items.name',
  'items.description',
  'items.price',
  'items.stock',
  'items.image_key',
  'items.dining',
  'items.shown_on_kiosk',
  'items.sold_out',
  'items.caffeine_mg',
  'items.sugar_g',
  'items.kcal',
  'items.allergens',
  'items.created_at',
  'items.updated_at',
] as const;

interface ItemRow {
  id: string;
  store_id: string;
  category_id: string;
  name: string;
  description: string;
  price: number;
  stock: number | null;
  image_key: string | null;
  dining: ItemDining;
  shown_on_kiosk: boolean;
  sold_out: boolean;
  caffeine_mg: number | null;
  sugar_g: number | null;
  kcal: number | null;
  allergens: string[];
  created_at: Date;
  updated_at: Date;
}

function toItem(row: ItemRow): Item {
  return {
    id: row.id,
    storeId: row.store_id,
    categoryId: row.category_id,
    name: row.name,
    description: row.description,
    price: row.price,
    stock: row.stock,
    imageKey: row.image_key,
    dining: row.dining,
    shownOnKiosk: row.shown_on_kiosk,
    soldOut: row.sold_out,
    caffeineMg: row.caffeine_mg,
    sugarG: row.sugar_g,
    kcal: row.kcal,
    allergens: row.allergens as AllergenCode[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRowValues(values: Partial<ItemValues>) {
  return {
    ...(values.categoryId !== undefined && { category_id: values.categoryId }),
    ...(values.name !== undefined && { name: values.name }),
    ...(values.description !== undefined && { description: values.description }),
    ...(values.price !== undefined && { price: values.price }),
    ...(values.stock !== undefined && { stock: values.stock }),
    ...(values.dining !== undefined && { dining: values.dining }),
    ...(values.shownOnKiosk !== undefined && { shown_on_kiosk: values.shownOnKiosk }),
    ...(values.soldOut !== undefined && { sold_out: values.soldOut }),
    ...(values.caffeineMg !== undefined && { caffeine_mg: values.caffeineMg }),
    ...(values.sugarG !== undefined && { sugar_g: values.sugarG }),
    ...(values.kcal !== undefined && { kcal: values.kcal }),
    ...(values.allergens !== undefined && { allergens: values.allergens }),
  };
}

/** `text` for LIKE: its %, _ and \ match only themselves */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** Every query names the store: one store's rows are never read or written through another's. */
export class CatalogRepository {
  constructor(private readonly db: Database) {}

  /**
   * Holds the store's row until the transaction ends, so that the catalog writes of one store that
   * count or number rows go one at a time. A no-key lock: rows that merely reference the store
   * (orders...) are not held up.
   */
  async lockStore(storeId: string): Promise<void> {
    await this.db.selectFrom('stores').select('id').where('id', '=', storeId).forNoKeyUpdate().executeTakeFirst();
  }

  // ---- categories

  async listCategories(storeId: string): Promise<Category[]> {
    return this.db
      .selectFrom('categories')
      .select((eb) => [
        'categories.id',
        'categories.name',
        'categories.position',
        eb
          .selectFrom('items')
          .select(eb.fn.countAll<number>().as('count'))
          .whereRef('items.category_id', '=', 'categories.id')
          .where('items.store_id', '=', storeId)
          .where('items.deleted_at', 'is', null)
          .as('itemCount'),
      ])
      .where('categories.store_id', '=', storeId)
      .where('categories.deleted_at', 'is', null)
      .orderBy('categories.position')
      .orderBy('categories.created_at')
      .execute()
      .then((rows) => rows.map((row) => ({ ...row, itemCount: Number(row.itemCount ?? 0) })));
  }

  /** lock 'key-share': it cannot be deleted until the transaction ends; 'update': about to be deleted */
  async findCategory(storeId: string, id: string, lock?: 'key-share' | 'update'): Promise<Category | undefined> {
    let query = this.db
      .selectFrom('categories')
      .select(['id', 'name', 'position'])
      .where('id', '=', id)
      .where('store_id', '=', storeId)
      .where('deleted_at', 'is', null);
    if (lock === 'key-share') query = query.forKeyShare();
    if (lock === 'update') query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (!row) return undefined;
    return { ...row, itemCount: await this.countItemsInCategory(storeId, id) };
  }

  async countCategories(storeId: string): Promise<number> {
    const row = await this.db
      .selectFrom('categories')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('store_id', '=', storeId)
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async insertCategory(storeId: string, name: string): Promise<Category> {
    const row = await this.db
      .insertInto('categories')
      .values((eb) => ({
        store_id: storeId,
        name,
        position: eb.selectFrom('categories').select(sql<number>`coalesce(max(position) + 1, 0)`.as('next')).where('store_id', '=', storeId),
      }))
      .returning(['id', 'name', 'position'])
      .executeTakeFirstOrThrow();
    return { ...row, itemCount: 0 };
  }

  async renameCategory(storeId: string, id: string, name: string): Promise<boolean> {
    const result = await this.db
      .updateTable('categories')
      .set({ name })
      .where('id', '=', id)
      .where('store_id', '=', storeId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async categoryIds(storeId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('categories').select('id').where('store_id', '=', storeId).where('deleted_at', 'is', null).forNoKeyUpdate().execute();
    return rows.map((row) => row.id);
  }

  /** positions 0, 1, 2... in the order of `ids` */
  async setCategoryOrder(storeId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('categories')
      .set({ position: sql<number>`array_position(${sql.val(ids)}::uuid[], id) - 1` })
      .where('store_id', '=', storeId)
      .where('id', 'in', ids)
      .execute();
  }

  async countItemsInCategory(storeId: string, categoryId: string): Promise<number> {
    const row = await this.db
      .selectFrom('items')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('store_id', '=', storeId)
      .where('category_id', '=', categoryId)
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** soft delete: the deleted items that past orders name keep their category */
  async markCategoryDeleted(storeId: string, id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('categories')
      .set({ deleted_at: new Date() })
      .where('id', '=', id)
      .where('store_id', '=', storeId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  // ---- items (deleted items are invisible here: they stay only for the orders that name them)

  async listItems(storeId: string, filter: ItemFilter = {}): Promise<Item[]> {
    let query = this.db
      .selectFrom('items')
      .innerJoin('categories', 'categories.id', 'items.category_id')
      .select(itemColumns)
      .where('items.store_id', '=', storeId)
      .where('items.deleted_at', 'is', null);
    if (filter.categoryId) query = query.where('items.category_id', '=', filter.categoryId);
    if (filter.q) query = query.where('items.name', 'ilike', `%${escapeLike(filter.q)}%`);
    if (filter.shownOnly) query = query.where('items.shown_on_kiosk', '=', true);
    const rows = await query
      .orderBy('categories.position')
      .orderBy('categories.created_at')
      .orderBy('items.position')
      .orderBy('items.created_at')
      .orderBy('items.id')
      .execute();
    return rows.map(toItem);
  }

  /** lock: held against other changes until the transaction ends (orders may still reference it meanwhile) */
  async findItem(storeId: string, id: string, options: { lock?: boolean } = {}): Promise<Item | undefined> {
    let query = this.db
      .selectFrom('items')
      .select(itemColumns)
      .where('items.id', '=', id)
      .where('items.store_id', '=', storeId)
      .where('items.deleted_at', 'is', null);
    if (options.lock) query = query.forNoKeyUpdate();
    const row = await query.executeTakeFirst();
    return row && toItem(row);
  }

  async countItems(storeId: string): Promise<number> {
    const row = await this.db
      .selectFrom('items')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('store_id', '=', storeId)
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** a new item goes last in its category */
  async insertItem(storeId: string, values: ItemValues): Promise<Item> {
    const row = await this.db
      .insertInto('items')
      .values((eb) => ({
        store_id: storeId,
        category_id: values.categoryId,
        name: values.name,
        description: values.description,
        price: values.price,
        stock: values.stock,
        dining: values.dining,
        shown_on_kiosk: values.shownOnKiosk,
        sold_out: values.soldOut,
        caffeine_mg: values.caffeineMg,
        sugar_g: values.sugarG,
        kcal: values.kcal,
        allergens: values.allergens,
        position: eb
          .selectFrom('items')
          .select(sql<number>`coalesce(max(position) + 1, 0)`.as('next'))
          .where('store_id', '=', storeId)
          .where('category_id', '=', values.categoryId),
      }))
      .returning(itemColumns)
      .executeTakeFirstOrThrow();
    return toItem(row);
  }

  async updateItem(storeId: string, id: string, values: Partial<ItemValues>): Promise<boolean> {
    const result = await this.db
      .updateTable('items')
      .set({ ...toRowValues(values), updated_at: new Date() })
      .where('id', '=', id)
      .where('store_id', '=', storeId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async setImageKey(storeId: string, id: string, imageKey: string | null): Promise<boolean> {
    const result = await this.db
      .updateTable('items')
      .set({ image_key: imageKey, updated_at: new Date() })
      .where('id', '=', id)
      .where('store_id', '=', storeId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** soft delete: orders keep pointing at the item; its photo reference goes */
  async markItemDeleted(storeId: string, id: string): Promise<boolean> {
    const now = new Date();
    const result = await this.db
      .updateTable('items')
      .set({ deleted_at: now, updated_at: now, image_key: null })
      .where('id', '=', id)
      .where('store_id', '=', storeId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  // ---- option groups (owned by an item, so reached through items already filtered by store)

  /** the option groups of each item, in order, each with its options in order: one query */
  async optionGroupsOf(itemIds: string[]): Promise<Map<string, OptionGroup[]>> {
    const byItem = new Map<string, OptionGroup[]>();
    if (itemIds.length === 0) return byItem;
    const rows = await this.db
      .selectFrom('option_groups as g')
      .leftJoin('options as o', 'o.group_id', 'g.id')
      .select(['g.id as group_id', 'g.item_id', 'g.name as group_name', 'g.kind', 'g.required', 'o.id as option_id', 'o.name as option_name', 'o.price_delta'])
      .where('g.item_id', 'in', itemIds)
      .orderBy('g.item_id')
      .orderBy('g.position')
      .orderBy('o.position')
      .execute();
    const groups = new Map<string, OptionGroup>();
    for (const row of rows) {
      let group = groups.get(row.group_id);
      if (!group) {
        group = { id: row.group_id, name: row.group_name, kind: row.kind, required: row.required, options: [] };
        groups.set(row.group_id, group);
        const list = byItem.get(row.item_id) ?? [];
        list.push(group);
        byItem.set(row.item_id, list);
      }
      if (row.option_id !== null) {
        group.options.push({ id: row.option_id, name: row.option_name ?? '', priceDelta: row.price_delta ?? 0 });
      }
    }
    return byItem;
  }

  /** the item's option groups become exactly `groups` (new ids: orders keep names and prices, not ids) */
  async replaceOptionGroups(itemId: string, groups: NewOptionGroup[]): Promise<void> {
    await this.db.deleteFrom('option_groups').where('item_id', '=', itemId).execute();
    if (groups.length === 0) return;
    const groupRows = groups.map((group, position) => ({
      id: randomUUID(),
      item_id: itemId,
      name: group.name,
      kind: group.kind,
      required: group.required,
      position,
    }));
    await this.db.insertInto('option_groups').values(groupRows).execute();
    const optionRows = groups.flatMap((group, index) =>
      group.options.map((option, position) => ({
        group_id: groupRows[index]!.id,
        name: option.name,
        price_delta: option.priceDelta,
        position,
      })),
    );
    if (optionRows.length > 0) await this.db.insertInto('options').values(optionRows).execute();
  }
}
