import { Type } from 'typebox';
import { DateTime, StoreParams, Uuid, errorResponses } from '../../platform/http/common-schemas.js';
import { ALLERGEN_CODES, MAX_CAFFEINE_MG, MAX_KCAL, MAX_SUGAR_G } from './menu-facts.js';

// Names are one line of text; a description may have line breaks. No other control character
// (a NUL cannot even be stored in PostgreSQL text).
const ONE_LINE = '^[^\\u0000-\\u001F\\u007F]*$';
const TEXT = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$';

const CategoryName = Type.String({ minLength: 1, maxLength: 20, pattern: ONE_LINE, description: '1 to 20 characters' });
const ItemName = Type.String({ minLength: 1, maxLength: 40, pattern: ONE_LINE, description: '1 to 40 characters' });
const Description = Type.String({ maxLength: 200, pattern: TEXT, description: 'up to 200 characters' });
const Price = Type.Integer({ minimum: 0, maximum: 10_000_000, description: 'in won' });
// one type list rather than anyOf, so that the validator's type coercion never turns null into 0
const Stock = Type.Unsafe<number | null>({
  type: ['integer', 'null'],
  minimum: 0,
  maximum: 1_000_000,
  description: 'units left; null: not counted. 0 marks the item sold out, a positive number clears sold out',
});
// menu facts (menu-facts.ts): per item as served by default; options do not change them
const nullableCount = (maximum: number, description: string) =>
  Type.Unsafe<number | null>({ type: ['integer', 'null'], minimum: 0, maximum, description: `${description}; null: unknown` });
const factInputs = {
  caffeineMg: Type.Optional(nullableCount(MAX_CAFFEINE_MG, 'caffeine in mg; 0: caffeine-free')),
  sugarG: Type.Optional(nullableCount(MAX_SUGAR_G, 'sugar in g')),
  kcal: Type.Optional(nullableCount(MAX_KCAL, 'energy in kcal')),
  allergens: Type.Optional(
    Type.Array(Type.String({ maxLength: 20 }), {
      maxItems: ALLERGEN_CODES.length,
      description: `allergen codes of the Korean food-labelling list, replaced as a whole: ${ALLERGEN_CODES.join(', ')}; another code is 400 unknown_allergen`,
    }),
  ),
};
const factOutputs = {
  caffeineMg: Type.Union([Type.Integer(), Type.Null()], { description: 'caffeine in mg; null: unknown' }),
  sugarG: Type.Union([Type.Integer(), Type.Null()], { description: 'sugar in g; null: unknown' }),
  kcal: Type.Union([Type.Integer(), Type.Null()], { description: 'energy in kcal; null: unknown' }),
  allergens: Type.Array(Type.String(), { description: `allergen codes, in the label's order: ${ALLERGEN_CODES.join(', ')}` }),
  caffeineFree: Type.Boolean({ description: 'caffeineMg is 0 (unknown caffeine is not caffeine-free)' }),
};
const ItemDiningSchema = Type.Union([Type.Literal('any'), Type.Literal('eat_in_only'), Type.Literal('take_out_only')], {
  description: 'which orders the item is offered for; an order of the other kind is refused (409 item_not_offered_for_dining)',
});
const OptionName = Type.String({ minLength: 1, maxLength: 30, pattern: ONE_LINE });
const PriceDelta = Type.Integer({ minimum: -10_000_000, maximum: 10_000_000, description: 'added to the price, in won; may be negative' });
const OptionGroupKind = Type.Union([Type.Literal('single'), Type.Literal('multiple')]);

export const CategorySchema = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    position: Type.Integer(),
    itemCount: Type.Integer({ description: 'items in the category that are not deleted' }),
  },
  { title: 'Category' },
);

const OptionSchema = Type.Object({ id: Uuid, name: Type.String(), priceDelta: Type.Integer() }, { title: 'Option' });
const OptionGroupSchema = Type.Object(
  { id: Uuid, name: Type.String(), kind: OptionGroupKind, required: Type.Boolean(), options: Type.Array(OptionSchema) },
  { title: 'OptionGroup' },
);

const pictures = {
  imageUrl: Type.String({ description: 'the photo, at most 640x640; the default picture when there is none' }),
  thumbUrl: Type.String({ description: 'the photo, at most 200x200; the default picture when there is none' }),
};

export const ItemSchema = Type.Object(
  {
    id: Uuid,
    categoryId: Uuid,
    name: Type.String(),
    description: Type.String(),
    price: Type.Integer(),
    stock: Type.Union([Type.Integer(), Type.Null()]),
    dining: ItemDiningSchema,
    shownOnKiosk: Type.Boolean(),
    soldOut: Type.Boolean(),
    hasPhoto: Type.Boolean(),
    ...pictures,
    optionGroups: Type.Array(OptionGroupSchema),
    ...factOutputs,
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { title: 'Item' },
);

const MenuItemSchema = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    description: Type.String(),
    price: Type.Integer(),
    stock: Type.Union([Type.Integer(), Type.Null()]),
    dining: ItemDiningSchema,
    soldOut: Type.Boolean({ description: 'shown, but cannot be ordered' }),
    ...pictures,
    optionGroups: Type.Array(OptionGroupSchema),
    ...factOutputs,
  },
  { title: 'MenuItem' },
);

export const MenuSchema = Type.Object(
  {
    categories: Type.Array(Type.Object({ id: Uuid, name: Type.String(), items: Type.Array(MenuItemSchema) }, { title: 'MenuCategory' })),
  },
  { title: 'Menu' },
);

const OptionGroupInput = Type.Object(
  {
    name: OptionName,
    kind: OptionGroupKind,
    required: Type.Optional(Type.Boolean({ default: false, description: 'a choice must be made (at least one option)' })),
    options: Type.Array(Type.Object({ name: OptionName, priceDelta: Type.Optional(PriceDelta) }, { additionalProperties: false }), { maxItems: 20 }),
  },
  { additionalProperties: false },
);

const itemFields = {
  categoryId: Uuid,
  name: ItemName,
  description: Type.Optional(Description),
  price: Price,
  stock: Type.Optional(Stock),
  dining: Type.Optional(ItemDiningSchema),
  shownOnKiosk: Type.Optional(Type.Boolean()),
  soldOut: Type.Optional(Type.Boolean()),
  optionGroups: Type.Optional(Type.Array(OptionGroupInput, { maxItems: 10, description: 'replaced as a whole' })),
  ...factInputs,
};

const CategoryParams = Type.Object({ storeId: Uuid, categoryId: Uuid });
const ItemParams = Type.Object({ storeId: Uuid, itemId: Uuid });
const security = [{ bearer: [] }];

// ---- categories

export const ListCategoriesRoute = {
  tags: ['catalog'],
  summary: "The store's categories, in order",
  security,
  params: StoreParams,
  response: { 200: Type.Object({ categories: Type.Array(CategorySchema) }), ...errorResponses(400, 401, 403) },
};

export const CreateCategoryRoute = {
  tags: ['catalog'],
  summary: 'Add a category, last in order; names are unique in a store, whatever their case',
  security,
  params: StoreParams,
  body: Type.Object({ name: CategoryName }, { additionalProperties: false }),
  response: { 201: CategorySchema, ...errorResponses(400, 401, 403, 409) },
};

export const RenameCategoryRoute = {
  tags: ['catalog'],
  summary: 'Rename a category',
  security,
  params: CategoryParams,
  body: Type.Object({ name: CategoryName }, { additionalProperties: false }),
  response: { 200: CategorySchema, ...errorResponses(400, 401, 403, 404, 409) },
};

export const ReorderCategoriesRoute = {
  tags: ['catalog'],
  summary: "Put the categories in a new order: every one of the store's categories, each once",
  security,
  params: StoreParams,
  body: Type.Object({ categoryIds: Type.Array(Uuid, { maxItems: 200 }) }, { additionalProperties: false }),
  response: { 200: Type.Object({ categories: Type.Array(CategorySchema) }), ...errorResponses(400, 401, 403) },
};

export const DeleteCategoryRoute = {
  tags: ['catalog'],
  summary: 'Remove a category; refused while items are in it',
  security,
  params: CategoryParams,
  response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
};

// ---- items

export const ListItemsRoute = {
  tags: ['catalog'],
  summary: "The store's items, by category order; search by name, filter by category",
  security,
  params: StoreParams,
  querystring: Type.Object(
    {
      q: Type.Optional(Type.String({ maxLength: 40, description: 'a part of the name, any case' })),
      categoryId: Type.Optional(Uuid),
    },
    { additionalProperties: false },
  ),
  response: { 200: Type.Object({ items: Type.Array(ItemSchema) }), ...errorResponses(400, 401, 403) },
};

export const CreateItemRoute = {
  tags: ['catalog'],
  summary: 'Add an item to a category of the store',
  security,
  params: StoreParams,
  body: Type.Object(itemFields, { additionalProperties: false }),
  response: { 201: ItemSchema, ...errorResponses(400, 401, 403, 409) },
};

export const GetItemRoute = {
  tags: ['catalog'],
  summary: 'An item',
  security,
  params: ItemParams,
  response: { 200: ItemSchema, ...errorResponses(400, 401, 403, 404) },
};

export const UpdateItemRoute = {
  tags: ['catalog'],
  summary: 'Change an item: only the fields given; optionGroups, when given, replace all of them',
  security,
  params: ItemParams,
  body: Type.Partial(Type.Object(itemFields), { additionalProperties: false }),
  response: { 200: ItemSchema, ...errorResponses(400, 401, 403, 404, 409) },
};

export const DeleteItemRoute = {
  tags: ['catalog'],
  summary: 'Remove an item (past orders keep it); its photo is deleted',
  security,
  params: ItemParams,
  response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
};

export const PutItemPhotoRoute = {
  tags: ['catalog'],
  summary: "Set the item's photo",
  description:
    'multipart/form-data with one file field `photo`: a JPEG, PNG or WebP of at most 5 MB and 40 megapixels. ' +
    'It is turned upright, stripped of metadata and stored as WebP (640x640 and 200x200 at most); the previous photo is deleted.',
  security,
  consumes: ['multipart/form-data'],
  params: ItemParams,
  response: { 200: ItemSchema, ...errorResponses(400, 401, 403, 404, 413, 415) },
};

export const DeleteItemPhotoRoute = {
  tags: ['catalog'],
  summary: "Remove the item's photo: the default picture is shown again",
  security,
  params: ItemParams,
  response: { 200: ItemSchema, ...errorResponses(400, 401, 403, 404) },
};

// ---- the kiosk's menu

export const MenuRoute = {
  tags: ['catalog'],
  summary: "The store's menu as a kiosk shows it: categories in order, each with its shown items (sold-out ones flagged)",
  security,
  params: StoreParams,
  response: { 200: MenuSchema, ...errorResponses(400, 401, 403) },
};
