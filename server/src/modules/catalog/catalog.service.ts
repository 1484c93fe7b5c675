// A store's catalog: categories in the owner's order, items with their option groups and photos,
// and the menu a kiosk shows. Every operation is scoped to one store; another store's category or
// item is simply not found.
//
// Stock and sold out: stock null means not counted. Stock 0 always means sold out; setting a
// positive stock clears sold out (unless the same change sets it); an owner may mark an item with
// stock, or without, sold out by hand.
import { randomBytes } from 'node:crypto';
import type { Database } from '../../platform/db/database.js';
import type { ItemDining, OptionGroupKind } from '../../platform/db/schema.js';
import { DomainError } from '../../platform/http/errors.js';
import type { Storage } from '../../platform/storage/storage.js';
import { DEFAULT_ITEM_PICTURE_URL, fileUrl } from '../files/files.service.js';
import { CatalogRepository, type Category, type Item, type ItemValues, type NewOptionGroup, type OptionGroup } from './catalog.repository.js';
import { renderItemPhoto } from './item-photo.js';
import { type AllergenCode, cleanAllergens, isCaffeineFree } from './menu-facts.js';

export const MAX_CATEGORIES_PER_STORE = 50;
export const MAX_ITEMS_PER_STORE = 500;

export interface OptionGroupInput {
  name: string;
  kind: OptionGroupKind;
  required?: boolean | undefined;
  options: Array<{ name: string; priceDelta?: number | undefined }>;
}

export interface ItemInput {
  categoryId: string;
  name: string;
  description?: string | undefined;
  price: number;
  stock?: number | null | undefined;
  /** which orders it is offered for; packaging choices need nothing new: they are option groups */
  dining?: ItemDining | undefined;
  shownOnKiosk?: boolean | undefined;
  soldOut?: boolean | undefined;
  optionGroups?: OptionGroupInput[] | undefined;
  // menu facts: null is unknown (menu-facts.ts)
  caffeineMg?: number | null | undefined;
  sugarG?: number | null | undefined;
  kcal?: number | null | undefined;
  allergens?: string[] | undefined;
}

export type ItemPatch = Partial<ItemInput>;

interface Pictures {
  hasPhoto: boolean;
  imageUrl: string;
  thumbUrl: string;
}

export type ItemView = Omit<Item, 'storeId' | 'imageKey'> & Pictures & { optionGroups: OptionGroup[]; caffeineFree: boolean };

export interface MenuItem {
  id: string;
  name: string;
  description: string;
  price: number;
  stock: number | null;
  dining: ItemDining;
  soldOut: boolean;
  imageUrl: string;
  thumbUrl: string;
  optionGroups: OptionGroup[];
  caffeineMg: number | null;
  sugarG: number | null;
  kcal: number | null;
  allergens: AllergenCode[];
  caffeineFree: boolean;
}

export interface Menu {
  categories: Array<{ id: string; name: string; items: MenuItem[] }>;
}

export class CatalogService {
  constructor(
    private readonly db: Database,
    private readonly storage: Storage,
  ) {}

  // ---- categories

  listCategories(storeId: string): Promise<Category[]> {
    return new CatalogRepository(this.db).listCategories(storeId);
  }

  async createCategory(storeId: string, name: string): Promise<Category> {
    const clean = cleanText(name, 'invalid_category_name', 'Give the category a name.');
    return this.db
      .transaction()
      .execute(async (trx) => {
        const repository = new CatalogRepository(trx);
        await repository.lockStore(storeId);
        if ((await repository.countCategories(storeId)) >= MAX_CATEGORIES_PER_STORE) {
          throw new DomainError('conflict', 'category_limit_reached', `A store can have at most ${MAX_CATEGORIES_PER_STORE} categories.`);
        }
        return repository.insertCategory(storeId, clean);
      })
      .catch(nameTakenOnUniqueViolation(clean));
  }

  async renameCategory(storeId: string, categoryId: string, name: string): Promise<Category> {
    const clean = cleanText(name, 'invalid_category_name', 'Give the category a name.');
    const repository = new CatalogRepository(this.db);
    const renamed = await repository.renameCategory(storeId, categoryId, clean).catch(nameTakenOnUniqueViolation(clean));
    const category = renamed && (await repository.findCategory(storeId, categoryId));
    if (!category) throw categoryNotFound();
    return category;
  }

  /** `categoryIds` must be exactly the store's categories, each once */
  async reorderCategories(storeId: string, categoryIds: string[]): Promise<Category[]> {
    await this.db.transaction().execute(async (trx) => {
      const repository = new CatalogRepository(trx);
      await repository.lockStore(storeId); // no category is added while the order is rewritten
      const existing = new Set(await repository.categoryIds(storeId));
      const given = new Set(categoryIds.map((id) => id.toLowerCase()));
      const exact = given.size === categoryIds.length && given.size === existing.size && [...given].every((id) => existing.has(id));
      if (!exact) {
        throw new DomainError('invalid', 'category_order_mismatch', "List every one of the store's categories, each once, in the new order.", {
          expected: existing.size,
          given: categoryIds.length,
        });
      }
      await repository.setCategoryOrder(storeId, [...given]);
    });
    return this.listCategories(storeId);
  }

  /** refused while items are in it; items deleted earlier do not count */
  async deleteCategory(storeId: string, categoryId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const repository = new CatalogRepository(trx);
      const category = await repository.findCategory(storeId, categoryId, 'update');
      if (!category) throw categoryNotFound();
      if (category.itemCount > 0) {
        throw new DomainError('conflict', 'category_not_empty', `"${category.name}" still has ${category.itemCount} item(s). Move or delete them first.`, {
          itemCount: category.itemCount,
        });
      }
      await repository.markCategoryDeleted(storeId, categoryId);
    });
  }

  // ---- items

  async listItems(storeId: string, filter: { q?: string | undefined; categoryId?: string | undefined } = {}): Promise<ItemView[]> {
    const repository = new CatalogRepository(this.db);
    const items = await repository.listItems(storeId, { q: filter.q?.trim(), categoryId: filter.categoryId });
    const groups = await repository.optionGroupsOf(items.map((item) => item.id));
    return items.map((item) => itemView(item, groups.get(item.id) ?? []));
  }

  getItem(storeId: string, itemId: string): Promise<ItemView> {
    return readItem(new CatalogRepository(this.db), storeId, itemId);
  }

  async createItem(storeId: string, input: ItemInput): Promise<ItemView> {
    const values: ItemValues = {
      categoryId: input.categoryId,
      name: cleanText(input.name, 'invalid_item_name', 'Give the item a name.'),
      description: (input.description ?? '').trim(),
      price: input.price,
      stock: input.stock ?? null,
      dining: input.dining ?? 'any',
      shownOnKiosk: input.shownOnKiosk ?? true,
      soldOut: soldOutAfter({ stock: null, soldOut: false }, input),
      caffeineMg: input.caffeineMg ?? null,
      sugarG: input.sugarG ?? null,
      kcal: input.kcal ?? null,
      allergens: cleanAllergens(input.allergens ?? []),
    };
    const groups = cleanOptionGroups(input.optionGroups ?? []);
    return this.db.transaction().execute(async (trx) => {
      const repository = new CatalogRepository(trx);
      await repository.lockStore(storeId);
      await this.requireCategory(repository, storeId, values.categoryId);
      if ((await repository.countItems(storeId)) >= MAX_ITEMS_PER_STORE) {
        throw new DomainError('conflict', 'item_limit_reached', `A store can have at most ${MAX_ITEMS_PER_STORE} items.`);
      }
      const item = await repository.insertItem(storeId, values);
      await repository.replaceOptionGroups(item.id, groups);
      return readItem(repository, storeId, item.id);
    });
  }

  async updateItem(storeId: string, itemId: string, patch: ItemPatch): Promise<ItemView> {
    const changes: Partial<ItemValues> = {};
    if (patch.name !== undefined) changes.name = cleanText(patch.name, 'invalid_item_name', 'Give the item a name.');
    if (patch.description !== undefined) changes.description = patch.description.trim();
    if (patch.price !== undefined) changes.price = patch.price;
    if (patch.stock !== undefined) changes.stock = patch.stock;
    if (patch.shownOnKiosk !== undefined) changes.shownOnKiosk = patch.shownOnKiosk;
    if (patch.dining !== undefined) changes.dining = patch.dining;
    if (patch.caffeineMg !== undefined) changes.caffeineMg = patch.caffeineMg;
    if (patch.sugarG !== undefined) changes.sugarG = patch.sugarG;
    if (patch.kcal !== undefined) changes.kcal = patch.kcal;
    if (patch.allergens !== undefined) changes.allergens = cleanAllergens(patch.allergens);
    const groups = patch.optionGroups && cleanOptionGroups(patch.optionGroups);
    return this.db.transaction().execute(async (trx) => {
      const repository = new CatalogRepository(trx);
      const item = await repository.findItem(storeId, itemId, { lock: true });
      if (!item) throw itemNotFound();
      if (patch.categoryId !== undefined && patch.categoryId !== item.categoryId) {
        await this.requireCategory(repository, storeId, patch.categoryId);
        changes.categoryId = patch.categoryId;
      }
      changes.soldOut = soldOutAfter(item, patch);
      await repository.updateItem(storeId, itemId, changes);
      if (groups) await repository.replaceOptionGroups(itemId, groups);
      return readItem(repository, storeId, itemId);
    });
  }

  /** soft delete (past orders keep naming it); its photo is deleted from the storage */
  async deleteItem(storeId: string, itemId: string): Promise<void> {
    const imageKey = await this.db.transaction().execute(async (trx) => {
      const repository = new CatalogRepository(trx);
      const item = await repository.findItem(storeId, itemId, { lock: true });
      if (!item) throw itemNotFound();
      await repository.markItemDeleted(storeId, itemId);
      return item.imageKey;
    });
    if (imageKey) await this.removePhotoObjects(imageKey);
  }

  // ---- photos

  /**
   * Sets the item's photo from the uploaded bytes. In order: check, re-encode, store the new
   * objects, point the item at them, delete the previous ones. A failure at any step leaves the
   * item with its previous photo (and at worst unreferenced new objects, never a broken one).
   */
  async setItemPhoto(storeId: string, itemId: string, bytes: Buffer): Promise<ItemView> {
    if (!(await new CatalogRepository(this.db).findItem(storeId, itemId))) throw itemNotFound();
    const photo = await renderItemPhoto(bytes);
    const imageKey = `items/${storeId}/${itemId}-${randomBytes(8).toString('hex')}`;
    await this.storage.put(cardKey(imageKey), photo.card, photo.contentType);
    try {
      await this.storage.put(thumbKey(imageKey), photo.thumb, photo.contentType);
    } catch (error) {
      await this.removePhotoObjects(imageKey);
      throw error;
    }
    let replaced: { previous: string | null; item: ItemView };
    try {
      replaced = await this.replaceImageKey(storeId, itemId, imageKey);
    } catch (error) {
      await this.removePhotoObjects(imageKey);
      throw error;
    }
    if (replaced.previous) await this.removePhotoObjects(replaced.previous);
    return replaced.item;
  }

  async removeItemPhoto(storeId: string, itemId: string): Promise<ItemView> {
    const { previous, item } = await this.replaceImageKey(storeId, itemId, null);
    if (previous) await this.removePhotoObjects(previous);
    return item;
  }

  // ---- the kiosk's menu

  /** categories in order, each with its items shown on kiosks (sold-out ones too): three queries in all */
  async menu(storeId: string): Promise<Menu> {
    const repository = new CatalogRepository(this.db);
    const categories = await repository.listCategories(storeId);
    const items = await repository.listItems(storeId, { shownOnly: true });
    const groups = await repository.optionGroupsOf(items.map((item) => item.id));
    const byCategory = new Map<string, MenuItem[]>(categories.map((category) => [category.id, []]));
    for (const item of items) {
      byCategory.get(item.categoryId)?.push({
        id: item.id,
        name: item.name,
        description: item.description,
        price: item.price,
        stock: item.stock,
        dining: item.dining,
        soldOut: item.soldOut,
        ...pictures(item.imageKey),
        optionGroups: groups.get(item.id) ?? [],
        caffeineMg: item.caffeineMg,
        sugarG: item.sugarG,
        kcal: item.kcal,
        allergens: item.allergens,
        caffeineFree: isCaffeineFree(item.caffeineMg),
      });
    }
    return { categories: categories.map((category) => ({ id: category.id, name: category.name, items: byCategory.get(category.id) ?? [] })) };
  }

  // ---- helpers

  private async requireCategory(repository: CatalogRepository, storeId: string, categoryId: string): Promise<void> {
    // locked: the category cannot be deleted under an item being put in it
    if (!(await repository.findCategory(storeId, categoryId, 'key-share'))) {
      throw new DomainError('invalid', 'unknown_category', 'There is no such category in this store.');
    }
  }

  /** points the item at a new photo (or none); returns the previous one and the item as it now is */
  private replaceImageKey(storeId: string, itemId: string, imageKey: string | null): Promise<{ previous: string | null; item: ItemView }> {
    return this.db.transaction().execute(async (trx) => {
      const repository = new CatalogRepository(trx);
      const item = await repository.findItem(storeId, itemId, { lock: true });
      if (!item) throw itemNotFound();
      await repository.setImageKey(storeId, itemId, imageKey);
      return { previous: item.imageKey, item: await readItem(repository, storeId, itemId) };
    });
  }

  /**
   * Deletes a photo's objects. Nothing points at them any more, so a failure only leaves an
   * unreachable object behind (keys are never reused): it must not fail the request that got here.
   */
  private async removePhotoObjects(imageKey: string): Promise<void> {
    await Promise.allSettled([this.storage.delete(cardKey(imageKey)), this.storage.delete(thumbKey(imageKey))]);
  }
}

const cardKey = (imageKey: string) => `${imageKey}-card.webp`;
const thumbKey = (imageKey: string) => `${imageKey}-thumb.webp`;

function pictures(imageKey: string | null): Pictures {
  if (!imageKey) return { hasPhoto: false, imageUrl: DEFAULT_ITEM_PICTURE_URL, thumbUrl: DEFAULT_ITEM_PICTURE_URL };
  return { hasPhoto: true, imageUrl: fileUrl(cardKey(imageKey)), thumbUrl: fileUrl(thumbKey(imageKey)) };
}

/** the item with its option groups, read through `repository` (so inside its transaction, if any) */
async function readItem(repository: CatalogRepository, storeId: string, itemId: string): Promise<ItemView> {
  const item = await repository.findItem(storeId, itemId);
  if (!item) throw itemNotFound();
  const groups = await repository.optionGroupsOf([item.id]);
  return itemView(item, groups.get(item.id) ?? []);
}

function itemView(item: Item, optionGroups: OptionGroup[]): ItemView {
  const { storeId: _store, imageKey, ...visible } = item;
  return { ...visible, ...pictures(imageKey), optionGroups, caffeineFree: isCaffeineFree(item.caffeineMg) };
}

/** whether the item is sold out after a change (see the top of this file) */
function soldOutAfter(
  current: { stock: number | null; soldOut: boolean },
  change: { stock?: number | null | undefined; soldOut?: boolean | undefined },
): boolean {
  const stock = change.stock !== undefined ? change.stock : current.stock;
  if (stock === 0) {
    if (change.soldOut === false) {
      throw new DomainError('conflict', 'out_of_stock', 'The stock is 0: set a stock above 0 (or stop counting it) to sell this item again.');
    }
    return true;
  }
  if (change.soldOut !== undefined) return change.soldOut;
  if (change.stock !== undefined && change.stock !== null && change.stock > 0) return false;
  return current.soldOut;
}

function cleanOptionGroups(groups: OptionGroupInput[]): NewOptionGroup[] {
  const groupNames = new Set<string>();
  return groups.map((group) => {
    const name = cleanText(group.name, 'invalid_option_name', 'Give every option group a name.');
    if (groupNames.has(name.toLowerCase())) {
      throw new DomainError('invalid', 'duplicate_option_group', `There are two option groups named "${name}".`);
    }
    groupNames.add(name.toLowerCase());
    const required = group.required ?? false;
    if (required && group.options.length === 0) {
      throw new DomainError('invalid', 'required_group_without_options', `"${name}" must be chosen from, so it needs at least one option.`);
    }
    const optionNames = new Set<string>();
    const options = group.options.map((option) => {
      const optionName = cleanText(option.name, 'invalid_option_name', `Give every option of "${name}" a name.`);
      if (optionNames.has(optionName.toLowerCase())) {
        throw new DomainError('invalid', 'duplicate_option', `"${name}" has two options named "${optionName}".`);
      }
      optionNames.add(optionName.toLowerCase());
      return { name: optionName, priceDelta: option.priceDelta ?? 0 };
    });
    return { name, kind: group.kind, required, options };
  });
}

function cleanText(text: string, code: string, message: string): string {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw new DomainError('invalid', code, message);
  return trimmed;
}

function nameTakenOnUniqueViolation(name: string) {
  return (error: unknown): never => {
    if (typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505') {
      throw new DomainError('conflict', 'category_name_taken', `There is already a category named "${name}".`);
    }
    throw error;
  };
}

function categoryNotFound(): DomainError {
  return new DomainError('not_found', 'category_not_found', 'There is no such category in this store.');
}

function itemNotFound(): DomainError {
  return new DomainError('not_found', 'item_not_found', 'There is no such item in this store.');
}
