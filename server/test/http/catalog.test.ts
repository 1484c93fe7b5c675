// The catalog through the HTTP API: a store owner's categories and items (with option groups,
// stock and sold out, search), item photos (checked by their bytes, re-encoded, replaced and
// removed without leftovers), the public file route, and the menu a kiosk reads. One store never
// sees or touches another's catalog.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import sharp, { type Metadata } from 'sharp';
import { createBrand, roomyLimits, signUp, startTestServer, type ApiResponse, type SignedUp, type TestServer } from '../support/test-server.js';

let server: TestServer;
let brand: { id: string; name: string; code: string };

before(async () => {
  server = await startTestServer({ env: roomyLimits });
  brand = await createBrand(server, 'Catalog Coffee');
});
after(() => server?.close());

function assertError(response: ApiResponse, status: number, code: string): void {
  assert.equal(response.status, status, `expected ${status} ${code}, got ${response.status} ${JSON.stringify(response.body)}`);
  assert.equal(response.body?.error?.code, code);
  assert.equal(typeof response.body.error.message, 'string');
}

const newOwner = () => signUp(server, 'owner', { brandCode: brand.code });
const storePath = (owner: SignedUp) => `/api/stores/${owner.profile.store.id}`;

async function createCategory(owner: SignedUp, name: string): Promise<{ id: string; name: string; position: number }> {
  const response = await server.api('POST', `${storePath(owner)}/categories`, { token: owner.accessToken, body: { name } });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
}

async function createItem(owner: SignedUp, body: Record<string, unknown>): Promise<any> {
  const response = await server.api('POST', `${storePath(owner)}/items`, { token: owner.accessToken, body: { price: 3000, ...body } });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
}

const listCategories = async (owner: SignedUp) =>
  (await server.api('GET', `${storePath(owner)}/categories`, { token: owner.accessToken })).body.categories as Array<{
    id: string;
    name: string;
    position: number;
    itemCount: number;
  }>;

const getItem = (owner: SignedUp, itemId: string) => server.api('GET', `${storePath(owner)}/items/${itemId}`, { token: owner.accessToken });
const patchItem = (owner: SignedUp, itemId: string, body: unknown) =>
  server.api('PATCH', `${storePath(owner)}/items/${itemId}`, { token: owner.accessToken, body });

async function searchNames(owner: SignedUp, query: string): Promise<string[]> {
  const response = await server.api('GET', `${storePath(owner)}/items?${query}`, { token: owner.accessToken });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body.items.map((item: { name: string }) => item.name).sort();
}

async function provisionKiosk(owner: SignedUp): Promise<string> {
  const provisioned = await server.api('POST', `${storePath(owner)}/kiosks`, { token: owner.accessToken, body: { name: 'Front' } });
  const login = await server.api('POST', '/api/auth/kiosk-login', { body: provisioned.body.credentials });
  assert.equal(login.status, 200);
  return login.body.accessToken;
}

// ---- photos: multipart uploads and binary downloads over real HTTP

interface FilePart {
  field: string;
  filename: string;
  type: string;
  data: Buffer;
}

type Part = FilePart | { field: string; value: string };

/** PUT .../photo as multipart/form-data, by the owner, to the owner's own store */
function upload(owner: SignedUp, itemId: string, ...parts: Part[]): Promise<ApiResponse> {
  return uploadAs(owner, `${storePath(owner)}/items/${itemId}/photo`, ...parts);
}

function uploadAs(caller: SignedUp, path: string, ...parts: Part[]): Promise<ApiResponse> {
  const form = new FormData();
  for (const part of parts) {
    if ('value' in part) form.append(part.field, part.value);
    else form.append(part.field, new Blob([new Uint8Array(part.data)], { type: part.type }), part.filename);
  }
  return send(caller, 'PUT', path, { body: form });
}

const photo = (data: Buffer, filename = 'photo.jpg', type = 'image/jpeg'): FilePart => ({ field: 'photo', filename, type, data });

async function send(owner: SignedUp, method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string> }): Promise<ApiResponse> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    body: init.body ?? null,
    headers: { authorization: `Bearer ${owner.accessToken}`, ...init.headers },
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

async function download(url: string): Promise<{ status: number; type: string | null; cacheControl: string | null; bytes: Buffer; body: any }> {
  const response = await fetch(`${server.url}${url}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  const type = response.headers.get('content-type');
  return {
    status: response.status,
    type,
    cacheControl: response.headers.get('cache-control'),
    bytes,
    body: type?.startsWith('application/json') ? JSON.parse(bytes.toString('utf8')) : undefined,
  };
}

const jpeg = (width: number, height: number, options: { orientation?: number } = {}) =>
  sharp({ create: { width, height, channels: 3, background: { r: 180, g: 120, b: 70 } } })
    .jpeg({ quality: 90 })
    .withMetadata(options.orientation ? { orientation: options.orientation } : {})
    .toBuffer();
const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 4, background: { r: 20, g: 90, b: 160, alpha: 0.8 } } })
    .png()
    .toBuffer();

describe('categories', () => {
  test('are listed in the order they were added, renamed, and unique in a store whatever the case', async () => {
    const owner = await newOwner();
    assert.deepEqual(await listCategories(owner), []);
    const coffee = await createCategory(owner, '커피');
    const tea = await createCategory(owner, ' Tea ');
    assert.equal(tea.name, 'Tea', 'the name is trimmed');
    assert.deepEqual(
      (await listCategories(owner)).map((c) => [c.name, c.itemCount]),
      [
        ['커피', 0],
        ['Tea', 0],
      ],
    );

    const token = owner.accessToken;
    assertError(await server.api('POST', `${storePath(owner)}/categories`, { token, body: { name: 'TEA' } }), 409, 'category_name_taken');
    assertError(await server.api('PATCH', `${storePath(owner)}/categories/${coffee.id}`, { token, body: { name: 'tea' } }), 409, 'category_name_taken');

    const renamed = await server.api('PATCH', `${storePath(owner)}/categories/${tea.id}`, { token, body: { name: '차' } });
    assert.equal(renamed.status, 200);
    assert.deepEqual(renamed.body, { id: tea.id, name: '차', position: tea.position, itemCount: 0 });
    // renaming to its own name in another case is not a clash with itself
    assert.equal((await server.api('PATCH', `${storePath(owner)}/categories/${coffee.id}`, { token, body: { name: '커피' } })).status, 200);

    // another store of the brand may use the same names
    const neighbour = await newOwner();
    await createCategory(neighbour, '커피');
  });

  test('the same name asked for several times at once is created once; the others are 409', async () => {
    const owner = await newOwner();
    const results = await Promise.all(
      ['Brunch', 'BRUNCH', 'brunch', 'Brunch'].map((name) =>
        server.api('POST', `${storePath(owner)}/categories`, { token: owner.accessToken, body: { name } }),
      ),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 409, 409, 409]);
    for (const refused of results.filter((r) => r.status === 409)) assertError(refused, 409, 'category_name_taken');
    assert.equal((await listCategories(owner)).length, 1);
  });

  test('names: 1 to 20 characters, not blank, one line', async () => {
    const owner = await newOwner();
    const post = (name: unknown) => server.api('POST', `${storePath(owner)}/categories`, { token: owner.accessToken, body: { name } });
    assertError(await post(''), 400, 'validation_failed');
    assertError(await post('가'.repeat(21)), 400, 'validation_failed');
    assertError(await post('   '), 400, 'invalid_category_name');
    assertError(await post('a\u0000b'), 400, 'invalid_characters');
    assertError(await post('two\nlines'), 400, 'validation_failed');
    assertError(
      await server.api('POST', `${storePath(owner)}/categories`, { token: owner.accessToken, body: { name: 'x', position: 3 } }),
      400,
      'validation_failed',
    );
    assert.equal((await post('가'.repeat(20))).status, 201);
    assert.equal((await listCategories(owner)).length, 1);
  });

  test('are reordered with the full list of their ids; any other list is 400 category_order_mismatch', async () => {
    const owner = await newOwner();
    const [a, b, c] = [await createCategory(owner, 'A'), await createCategory(owner, 'B'), await createCategory(owner, 'C')];
    const neighbourCategory = await createCategory(await newOwner(), 'Theirs');
    const reorder = (categoryIds: string[]) => server.api('PUT', `${storePath(owner)}/categories/order`, { token: owner.accessToken, body: { categoryIds } });

    const reordered = await reorder([c.id, a.id, b.id]);
    assert.equal(reordered.status, 200);
    assert.deepEqual(
      reordered.body.categories.map((x: { name: string }) => x.name),
      ['C', 'A', 'B'],
    );
    assert.deepEqual(
      (await listCategories(owner)).map((x) => x.name),
      ['C', 'A', 'B'],
    );

    for (const wrong of [
      [a.id, b.id], // one missing
      [c.id, a.id, b.id, b.id], // one twice
      [c.id, a.id, neighbourCategory.id], // another store's
      [c.id, a.id, b.id, randomUUID()], // one that is no category
      [],
    ]) {
      assertError(await reorder(wrong), 400, 'category_order_mismatch');
    }
    assertError(await reorder(['nope']), 400, 'validation_failed');
    assert.deepEqual(
      (await listCategories(owner)).map((x) => x.name),
      ['C', 'A', 'B'],
      'unchanged by the refusals',
    );
  });

  test('deleting one is refused while it holds items, and allowed once they are deleted', async () => {
    const owner = await newOwner();
    const category = await createCategory(owner, 'Seasonal');
    const other = await createCategory(owner, 'Other');
    const item = await createItem(owner, { categoryId: category.id, name: 'Pumpkin latte' });
    assert.equal((await listCategories(owner)).find((c) => c.id === category.id)?.itemCount, 1);

    const path = `${storePath(owner)}/categories/${category.id}`;
    const refused = await server.api('DELETE', path, { token: owner.accessToken });
    assertError(refused, 409, 'category_not_empty');
    assert.match(refused.body.error.message, /Seasonal/);
    assert.match(refused.body.error.message, /1 item/);

    assert.equal((await server.api('DELETE', `${storePath(owner)}/items/${item.id}`, { token: owner.accessToken })).status, 204);
    assert.equal((await server.api('DELETE', path, { token: owner.accessToken })).status, 204);
    assert.deepEqual(
      (await listCategories(owner)).map((c) => c.id),
      [other.id],
    );
    assertError(await server.api('DELETE', path, { token: owner.accessToken }), 404, 'category_not_found');
    assertError(await server.api('PATCH', path, { token: owner.accessToken, body: { name: 'Back' } }), 404, 'category_not_found');
  });

  test('an item moved to another category empties the first one', async () => {
    const owner = await newOwner();
    const from = await createCategory(owner, 'From');
    const to = await createCategory(owner, 'To');
    const item = await createItem(owner, { categoryId: from.id, name: 'Mover' });
    const moved = await patchItem(owner, item.id, { categoryId: to.id });
    assert.equal(moved.status, 200);
    assert.equal(moved.body.categoryId, to.id);
    assert.equal((await server.api('DELETE', `${storePath(owner)}/categories/${from.id}`, { token: owner.accessToken })).status, 204);
  });
});

describe('items', () => {
  const groups = [
    {
      name: '온도',
      kind: 'single',
      required: true,
      options: [
        { name: 'HOT', priceDelta: 0 },
        { name: 'ICE', priceDelta: 500 },
      ],
    },
    {
      name: '추가',
      kind: 'multiple',
      required: false,
      options: [
        { name: '샷 추가', priceDelta: 500 },
        { name: '시럽 빼기', priceDelta: -100 },
      ],
    },
  ];

  test('are created with their option groups, read, changed in part, and have their groups replaced whole', async () => {
    const owner = await newOwner();
    const category = await createCategory(owner, '커피');
    const created = await server.api('POST', `${storePath(owner)}/items`, {
      token: owner.accessToken,
      body: { categoryId: category.id, name: ' 아메리카노 ', description: '진한 에스프레소에 물', price: 4500, optionGroups: groups },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const item = created.body;
    assert.equal(item.name, '아메리카노');
    assert.equal(item.categoryId, category.id);
    assert.equal(item.price, 4500);
    assert.equal(item.stock, null);
    assert.equal(item.shownOnKiosk, true);
    assert.equal(item.soldOut, false);
    assert.equal(item.hasPhoto, false);
    assert.equal(item.imageUrl, '/api/files/default-item.svg');
    assert.equal(item.thumbUrl, '/api/files/default-item.svg');
    assert.ok(!Number.isNaN(Date.parse(item.createdAt)));
    assert.deepEqual(
      item.optionGroups.map((g: any) => ({ name: g.name, kind: g.kind, required: g.required, options: g.options.map((o: any) => [o.name, o.priceDelta]) })),
      [
        {
          name: '온도',
          kind: 'single',
          required: true,
          options: [
            ['HOT', 0],
            ['ICE', 500],
          ],
        },
        {
          name: '추가',
          kind: 'multiple',
          required: false,
          options: [
            ['샷 추가', 500],
            ['시럽 빼기', -100],
          ],
        },
      ],
    );
    assert.equal((item as Record<string, unknown>).storeId, undefined);
    assert.equal((item as Record<string, unknown>).imageKey, undefined);

    assert.deepEqual((await getItem(owner, item.id)).body, item);

    // a partial change keeps everything else, option groups included
    const repriced = await patchItem(owner, item.id, { price: 4800 });
    assert.equal(repriced.status, 200);
    assert.deepEqual({ ...repriced.body, updatedAt: item.updatedAt }, { ...item, price: 4800 });

    // groups given are the new groups, all of them
    const regrouped = await patchItem(owner, item.id, {
      optionGroups: [{ name: '사이즈', kind: 'single', options: [{ name: 'Tall' }, { name: 'Grande', priceDelta: 500 }] }],
    });
    assert.equal(regrouped.status, 200);
    assert.deepEqual(
      regrouped.body.optionGroups.map((g: any) => [g.name, g.required, g.options.map((o: any) => `${o.name}${o.priceDelta}`)]),
      [['사이즈', false, ['Tall0', 'Grande500']]],
    );
    const cleared = await patchItem(owner, item.id, { optionGroups: [], description: '' });
    assert.deepEqual(cleared.body.optionGroups, []);
    assert.equal(cleared.body.description, '');

    const listed = await server.api('GET', `${storePath(owner)}/items`, { token: owner.accessToken });
    assert.deepEqual(listed.body.items, [cleared.body]);
  });

  test('bad values are refused with 400 and nothing is written', async () => {
    const owner = await newOwner();
    const category = await createCategory(owner, 'Bakery');
    const neighbourCategory = await createCategory(await newOwner(), 'Theirs');
    const post = (body: Record<string, unknown>) =>
      server.api('POST', `${storePath(owner)}/items`, { token: owner.accessToken, body: { categoryId: category.id, name: 'Scone', price: 3000, ...body } });

    assertError(await post({ price: -1 }), 400, 'validation_failed');
    assertError(await post({ price: 10_000_001 }), 400, 'validation_failed');
    assertError(await post({ price: 12.5 }), 400, 'validation_failed');
    assertError(await post({ name: '' }), 400, 'validation_failed');
    assertError(await post({ name: '   ' }), 400, 'invalid_item_name');
    assertError(await post({ name: 'n'.repeat(41) }), 400, 'validation_failed');
    assertError(await post({ name: 'Nul\u0000' }), 400, 'invalid_characters');
    assertError(await post({ description: 'd'.repeat(201) }), 400, 'validation_failed');
    assertError(await post({ stock: -1 }), 400, 'validation_failed');
    assertError(await post({ categoryId: randomUUID() }), 400, 'unknown_category');
    assertError(await post({ categoryId: neighbourCategory.id }), 400, 'unknown_category');
    assertError(await post({ surprise: true }), 400, 'validation_failed');
    assertError(await post({ optionGroups: [{ name: '온도', kind: 'single', required: true, options: [] }] }), 400, 'required_group_without_options');
    assertError(await post({ optionGroups: [{ name: 'Size', kind: 'several', options: [] }] }), 400, 'validation_failed');
    assertError(
      await post({
        optionGroups: [
          { name: 'A', kind: 'multiple', options: [] },
          { name: 'a', kind: 'single', options: [] },
        ],
      }),
      400,
      'duplicate_option_group',
    );
    assertError(await post({ optionGroups: [{ name: 'A', kind: 'multiple', options: [{ name: 'x' }, { name: 'X' }] }] }), 400, 'duplicate_option');
    const elevenGroups = Array.from({ length: 11 }, (_, i) => ({ name: `G${i}`, kind: 'multiple', options: [] }));
    assertError(await post({ optionGroups: elevenGroups }), 400, 'validation_failed');
    const twentyOneOptions = Array.from({ length: 21 }, (_, i) => ({ name: `O${i}` }));
    assertError(await post({ optionGroups: [{ name: 'Many', kind: 'multiple', options: twentyOneOptions }] }), 400, 'validation_failed');
    assert.deepEqual((await server.api('GET', `${storePath(owner)}/items`, { token: owner.accessToken })).body.items, []);

    // the limits themselves are fine
    const edge = await post({
      name: 'n'.repeat(40),
      price: 10_000_000,
      description: 'line one\nline two',
      optionGroups: [...elevenGroups.slice(1)].map((g, i) => (i === 0 ? { ...g, options: twentyOneOptions.slice(1) } : g)),
    });
    assert.equal(edge.status, 201, JSON.stringify(edge.body));
    assert.equal(edge.body.optionGroups.length, 10);
    assert.equal(edge.body.optionGroups[0].options.length, 20);
    assert.equal((await post({ price: 0 })).status, 201, 'a free item');

    // a change is checked the same way, and a refused change changes nothing
    const item = edge.body;
    assertError(await patchItem(owner, item.id, { price: -5 }), 400, 'validation_failed');
    assertError(await patchItem(owner, item.id, { categoryId: neighbourCategory.id }), 400, 'unknown_category');
    assertError(await patchItem(owner, item.id, { name: ' ' }), 400, 'invalid_item_name');
    assertError(await patchItem(owner, item.id, { imageKey: 'items/elsewhere' }), 400, 'validation_failed');
    assert.deepEqual((await getItem(owner, item.id)).body, item);
  });

  test('stock: 0 marks sold out, a positive stock clears it, null stops counting; shown on kiosk toggles', async () => {
    const owner = await newOwner();
    const category = await createCategory(owner, 'Cakes');
    const item = await createItem(owner, { categoryId: category.id, name: 'Cheesecake', stock: 0 });
    assert.equal(item.stock, 0);
    assert.equal(item.soldOut, true, 'no stock, sold out');

    let changed = await patchItem(owner, item.id, { stock: 5 });
    assert.deepEqual([changed.body.stock, changed.body.soldOut], [5, false]);
    changed = await patchItem(owner, item.id, { soldOut: true });
    assert.deepEqual([changed.body.stock, changed.body.soldOut], [5, true], 'sold out by hand with stock left');
    changed = await patchItem(owner, item.id, { stock: 3 });
    assert.deepEqual([changed.body.stock, changed.body.soldOut], [3, false]);
    changed = await patchItem(owner, item.id, { stock: 0 });
    assert.deepEqual([changed.body.stock, changed.body.soldOut], [0, true]);
    assertError(await patchItem(owner, item.id, { soldOut: false }), 409, 'out_of_stock');
    changed = await patchItem(owner, item.id, { stock: null });
    assert.deepEqual([changed.body.stock, changed.body.soldOut], [null, true], 'not counted any more; still marked sold out');
    changed = await patchItem(owner, item.id, { soldOut: false });
    assert.deepEqual([changed.body.stock, changed.body.soldOut], [null, false]);
    changed = await patchItem(owner, item.id, { stock: 7, soldOut: true });
    assert.deepEqual([changed.body.stock, changed.body.soldOut], [7, true], 'an explicit soldOut in the same change wins');

    changed = await patchItem(owner, item.id, { shownOnKiosk: false });
    assert.equal(changed.body.shownOnKiosk, false);
    changed = await patchItem(owner, item.id, { shownOnKiosk: true });
    assert.equal(changed.body.shownOnKiosk, true);

    const uncounted = await createItem(owner, { categoryId: category.id, name: 'Cookie', stock: null, soldOut: true });
    assert.deepEqual([uncounted.stock, uncounted.soldOut], [null, true]);
  });

  test('search by a part of the name: any case, Korean, and % or _ taken literally; filter by category', async () => {
    const owner = await newOwner();
    const coffee = await createCategory(owner, 'Coffee');
    const juice = await createCategory(owner, 'Juice');
    for (const name of ['아메리카노', '아이스 아메리카노', '카페라떼', 'Vanilla Latte']) await createItem(owner, { categoryId: coffee.id, name });
    for (const name of ['100% 오렌지', '1000 오렌지', 'snake_case 주스', 'snakeXcase 주스']) await createItem(owner, { categoryId: juice.id, name });
    // another store's items never show
    const neighbour = await newOwner();
    await createItem(neighbour, { categoryId: (await createCategory(neighbour, 'Coffee')).id, name: '아메리카노' });

    assert.deepEqual(await searchNames(owner, `q=${encodeURIComponent('아메')}`), ['아메리카노', '아이스 아메리카노']);
    assert.deepEqual(await searchNames(owner, 'q=LATTE'), ['Vanilla Latte']);
    assert.deepEqual(await searchNames(owner, `q=${encodeURIComponent('%')}`), ['100% 오렌지']);
    assert.deepEqual(await searchNames(owner, `q=${encodeURIComponent('0%')}`), ['100% 오렌지']);
    assert.deepEqual(await searchNames(owner, `q=${encodeURIComponent('e_c')}`), ['snake_case 주스']);
    assert.deepEqual(await searchNames(owner, `q=${encodeURIComponent('\\')}`), []);
    assert.deepEqual(await searchNames(owner, `q=${encodeURIComponent('  라떼 ')}`), ['카페라떼'], 'the query is trimmed');
    assert.deepEqual(await searchNames(owner, 'q=zzz'), []);
    assert.deepEqual(await searchNames(owner, `categoryId=${juice.id}`), ['100% 오렌지', '1000 오렌지', 'snakeXcase 주스', 'snake_case 주스']);
    assert.deepEqual(await searchNames(owner, `categoryId=${coffee.id}&q=${encodeURIComponent('아이스')}`), ['아이스 아메리카노']);
    assert.deepEqual(await searchNames(owner, `categoryId=${randomUUID()}`), []);
    assertError(await server.api('GET', `${storePath(owner)}/items?q=${'x'.repeat(41)}`, { token: owner.accessToken }), 400, 'validation_failed');

    // listed by category order, then in the order they were added
    await server.api('PUT', `${storePath(owner)}/categories/order`, { token: owner.accessToken, body: { categoryIds: [juice.id, coffee.id] } });
    const all = await server.api('GET', `${storePath(owner)}/items`, { token: owner.accessToken });
    assert.deepEqual(
      all.body.items.map((i: { name: string }) => i.name),
      ['100% 오렌지', '1000 오렌지', 'snake_case 주스', 'snakeXcase 주스', '아메리카노', '아이스 아메리카노', '카페라떼', 'Vanilla Latte'],
    );
  });

  test('a deleted item is gone from lists, search and the menu, and cannot be changed', async () => {
    const owner = await newOwner();
    const category = await createCategory(owner, 'Coffee');
    const item = await createItem(owner, { categoryId: category.id, name: 'Mocha' });
    const kept = await createItem(owner, { categoryId: category.id, name: 'Mocha Frappe' });
    const path = `${storePath(owner)}/items/${item.id}`;
    assert.equal((await server.api('DELETE', path, { token: owner.accessToken })).status, 204);
    assertError(await getItem(owner, item.id), 404, 'item_not_found');
    assertError(await patchItem(owner, item.id, { price: 1 }), 404, 'item_not_found');
    assertError(await server.api('DELETE', path, { token: owner.accessToken }), 404, 'item_not_found');
    assert.deepEqual(await searchNames(owner, 'q=mocha'), ['Mocha Frappe']);
    const menu = await server.api('GET', `${storePath(owner)}/menu`, { token: owner.accessToken });
    assert.deepEqual(
      menu.body.categories[0].items.map((i: { id: string }) => i.id),
      [kept.id],
    );
  });
});

describe('stores and roles', () => {
  test("another store's owner of the same brand is refused with 403 forbidden_store, and nothing changes", async () => {
    const owner = await newOwner();
    const intruder = await newOwner();
    const category = await createCategory(owner, 'Mine');
    const item = await createItem(owner, { categoryId: category.id, name: 'Latte' });
    const base = storePath(owner);
    const token = intruder.accessToken;
    const calls: Array<[string, string, unknown?]> = [
      ['GET', `${base}/categories`],
      ['POST', `${base}/categories`, { name: 'Planted' }],
      ['PATCH', `${base}/categories/${category.id}`, { name: 'Hijacked' }],
      ['PUT', `${base}/categories/order`, { categoryIds: [category.id] }],
      ['DELETE', `${base}/categories/${category.id}`],
      ['GET', `${base}/items`],
      ['POST', `${base}/items`, { categoryId: category.id, name: 'Planted', price: 1 }],
      ['GET', `${base}/items/${item.id}`],
      ['PATCH', `${base}/items/${item.id}`, { price: 1 }],
      ['DELETE', `${base}/items/${item.id}`],
      ['DELETE', `${base}/items/${item.id}/photo`],
      ['GET', `${base}/menu`],
    ];
    for (const [method, path, body] of calls) {
      assertError(await server.api(method, path, { token, ...(body === undefined ? {} : { body }) }), 403, 'forbidden_store');
    }
    assertError(await uploadAs(intruder, `${base}/items/${item.id}/photo`, photo(await jpeg(10, 10))), 403, 'forbidden_store');
    assert.deepEqual((await getItem(owner, item.id)).body, item);
    assert.deepEqual(
      (await listCategories(owner)).map((c) => c.name),
      ['Mine'],
    );
  });

  test("another store's item or category under your own store's path is not found, and stays as it was", async () => {
    const owner = await newOwner();
    const neighbour = await newOwner();
    const theirCategory = await createCategory(neighbour, 'Theirs');
    const theirItem = await createItem(neighbour, { categoryId: theirCategory.id, name: 'Their latte' });
    const base = storePath(owner);
    const token = owner.accessToken;
    assertError(await server.api('GET', `${base}/items/${theirItem.id}`, { token }), 404, 'item_not_found');
    assertError(await server.api('PATCH', `${base}/items/${theirItem.id}`, { token, body: { price: 1 } }), 404, 'item_not_found');
    assertError(await server.api('DELETE', `${base}/items/${theirItem.id}`, { token }), 404, 'item_not_found');
    assertError(await server.api('DELETE', `${base}/items/${theirItem.id}/photo`, { token }), 404, 'item_not_found');
    assertError(await upload(owner, theirItem.id, photo(await jpeg(10, 10))), 404, 'item_not_found');
    assertError(await server.api('PATCH', `${base}/categories/${theirCategory.id}`, { token, body: { name: 'Mine' } }), 404, 'category_not_found');
    assertError(await server.api('DELETE', `${base}/categories/${theirCategory.id}`, { token }), 404, 'category_not_found');
    assert.deepEqual((await getItem(neighbour, theirItem.id)).body, theirItem);
    assert.deepEqual(
      (await listCategories(neighbour)).map((c) => c.name),
      ['Theirs'],
    );
    assert.deepEqual((await server.api('GET', `${base}/items`, { token })).body.items, []);
  });

  test("the store's kiosk reads the menu: categories in order, shown items with sold out flagged, hidden ones absent", async () => {
    const owner = await newOwner();
    const kioskToken = await provisionKiosk(owner);
    const coffee = await createCategory(owner, 'Coffee');
    const dessert = await createCategory(owner, 'Dessert');
    const empty = await createCategory(owner, 'Empty');
    await server.api('PUT', `${storePath(owner)}/categories/order`, { token: owner.accessToken, body: { categoryIds: [dessert.id, coffee.id, empty.id] } });
    const latte = await createItem(owner, {
      categoryId: coffee.id,
      name: 'Latte',
      price: 5000,
      description: 'Milk and espresso',
      optionGroups: [
        { name: 'Temp', kind: 'single', required: true, options: [{ name: 'Hot' }, { name: 'Iced', priceDelta: 300 }] },
        { name: 'Extras', kind: 'multiple', options: [{ name: 'Shot', priceDelta: 500 }] },
      ],
    });
    const soldOut = await createItem(owner, { categoryId: coffee.id, name: 'Flat white', stock: 0 });
    await createItem(owner, { categoryId: coffee.id, name: 'Secret menu', shownOnKiosk: false });
    const cake = await createItem(owner, { categoryId: dessert.id, name: 'Cake', stock: 2 });

    const menu = await server.api('GET', `${storePath(owner)}/menu`, { token: kioskToken });
    assert.equal(menu.status, 200, JSON.stringify(menu.body));
    assert.deepEqual(
      menu.body.categories.map((c: any) => [c.name, c.items.map((i: any) => `${i.name}${i.soldOut ? ' (sold out)' : ''}`)]),
      [
        ['Dessert', ['Cake']],
        ['Coffee', ['Latte', 'Flat white (sold out)']],
        ['Empty', []],
      ],
    );
    const menuLatte = menu.body.categories[1].items[0];
    assert.deepEqual(menuLatte, {
      id: latte.id,
      name: 'Latte',
      description: 'Milk and espresso',
      price: 5000,
      stock: null,
      dining: 'any',
      soldOut: false,
      imageUrl: latte.imageUrl,
      thumbUrl: latte.thumbUrl,
      optionGroups: latte.optionGroups,
      caffeineMg: null,
      sugarG: null,
      kcal: null,
      allergens: [],
      caffeineFree: false,
    });
    assert.equal(menu.body.categories[0].items[0].stock, 2);
    assert.equal(menu.body.categories[1].items[1].id, soldOut.id);
    assert.equal(menu.body.categories[0].items[0].id, cake.id);

    // the owner sees the same menu
    assert.deepEqual((await server.api('GET', `${storePath(owner)}/menu`, { token: owner.accessToken })).body, menu.body);
  });

  test('a kiosk cannot manage the catalog (403 forbidden_role), nor read another store’s menu (403 forbidden_store)', async () => {
    const owner = await newOwner();
    const kioskToken = await provisionKiosk(owner);
    const category = await createCategory(owner, 'Coffee');
    const base = storePath(owner);
    assertError(
      await server.api('POST', `${base}/items`, { token: kioskToken, body: { categoryId: category.id, name: 'x', price: 1 } }),
      403,
      'forbidden_role',
    );
    assertError(await server.api('POST', `${base}/categories`, { token: kioskToken, body: { name: 'x' } }), 403, 'forbidden_role');
    assertError(await server.api('GET', `${base}/items`, { token: kioskToken }), 403, 'forbidden_role');
    assertError(await server.api('GET', `${storePath(await newOwner())}/menu`, { token: kioskToken }), 403, 'forbidden_store');
    const counselor = await signUp(server, 'counselor', { brandCode: brand.code });
    assertError(await server.api('GET', `${base}/menu`, { token: counselor.accessToken }), 403, 'forbidden_role');
    assertError(await server.api('GET', `${base}/menu`), 401, 'authentication_required');
    assert.deepEqual(
      (await listCategories(owner)).map((c) => c.name),
      ['Coffee'],
    );
  });
});

describe('photos', () => {
  async function itemFor(owner: SignedUp, name = 'Photo latte'): Promise<any> {
    const category = await createCategory(owner, `Cat ${randomUUID().slice(0, 8)}`);
    return createItem(owner, { categoryId: category.id, name });
  }

  async function assertWebp(url: string, maxSide: number): Promise<Metadata> {
    const file = await download(url);
    assert.equal(file.status, 200, `${url}: ${file.status}`);
    assert.equal(file.type, 'image/webp');
    assert.equal(file.cacheControl, 'public, max-age=31536000, immutable');
    const metadata = await sharp(file.bytes).metadata();
    assert.equal(metadata.format, 'webp');
    assert.ok(metadata.width! <= maxSide && metadata.height! <= maxSide, `${metadata.width}x${metadata.height} > ${maxSide}`);
    assert.equal(metadata.exif, undefined, 'no EXIF kept');
    assert.equal(metadata.icc, undefined, 'no profile kept');
    return metadata;
  }

  test('an item without a photo shows the built-in picture, a cup drawn in SVG', async () => {
    const file = await download('/api/files/default-item.svg');
    assert.equal(file.status, 200);
    assert.match(file.type ?? '', /^image\/svg\+xml/);
    assert.match(file.bytes.toString('utf8'), /<svg[^>]*viewBox/);
    assert.equal((await sharp(file.bytes).metadata()).format, 'svg');
  });

  test('a JPEG is turned upright, resized to 640 and 200 at most, and served as WebP without metadata', async () => {
    const owner = await newOwner();
    const item = await itemFor(owner);
    // 1600x900 stored sideways: EXIF orientation 6 means "rotate 90° clockwise to view"
    const response = await upload(owner, item.id, photo(await jpeg(1600, 900, { orientation: 6 })));
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body.hasPhoto, true);
    const prefix = `/api/files/items/${owner.profile.store.id}/${item.id}-`;
    assert.ok(response.body.imageUrl.startsWith(prefix) && response.body.imageUrl.endsWith('-card.webp'), response.body.imageUrl);
    assert.ok(response.body.thumbUrl.startsWith(prefix) && response.body.thumbUrl.endsWith('-thumb.webp'), response.body.thumbUrl);
    const card = await assertWebp(response.body.imageUrl, 640);
    assert.deepEqual([card.width, card.height], [360, 640], 'portrait after the EXIF rotation');
    const thumb = await assertWebp(response.body.thumbUrl, 200);
    assert.equal(thumb.height, 200);
    assert.ok(thumb.width! >= 112 && thumb.width! <= 113, `thumb width ${thumb.width}`);
    assert.deepEqual((await getItem(owner, item.id)).body, response.body);
  });

  test('a real photograph and a PNG with transparency are accepted; replacing a photo deletes the old one', async () => {
    const owner = await newOwner();
    const item = await itemFor(owner);
    const real = await upload(owner, item.id, photo(fs.readFileSync(new URL('../fixtures/notebook.jpg', import.meta.url)), 'notebook.jpg'));
    assert.equal(real.status, 200, JSON.stringify(real.body));
    const card = await assertWebp(real.body.imageUrl, 640);
    assert.deepEqual([card.width, card.height], [640, 546], '902x770 fitted into 640x640');

    const replaced = await upload(owner, item.id, photo(await png(300, 200), 'logo.png', 'image/png'));
    assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
    assert.notEqual(replaced.body.imageUrl, real.body.imageUrl, 'a new key: caches never serve the old photo');
    const small = await assertWebp(replaced.body.imageUrl, 640);
    assert.deepEqual([small.width, small.height, small.hasAlpha], [300, 200, true], 'never enlarged; transparency kept');
    for (const old of [real.body.imageUrl, real.body.thumbUrl]) {
      const gone = await download(old);
      assert.equal(gone.status, 404);
      assert.equal(gone.body.error.code, 'file_not_found');
    }
  });

  test('a WebP is accepted', async () => {
    const owner = await newOwner();
    const item = await itemFor(owner);
    const webp = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#884422' } })
      .webp()
      .toBuffer();
    const response = await upload(owner, item.id, photo(webp, 'x.webp', 'image/webp'));
    assert.equal(response.status, 200, JSON.stringify(response.body));
    await assertWebp(response.body.imageUrl, 640);
  });

  test('a file that is not an image is 415 whatever its name and declared type; a damaged image is 400; the photo stays', async () => {
    const owner = await newOwner();
    const item = await itemFor(owner);
    const first = await upload(owner, item.id, photo(await jpeg(400, 400)));
    assert.equal(first.status, 200);

    assertError(await upload(owner, item.id, photo(Buffer.from('just some text, honestly\n'.repeat(20)), 'menu.jpg', 'image/jpeg')), 415, 'unsupported_image');
    assertError(
      await upload(owner, item.id, photo(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'x.svg', 'image/svg+xml')),
      415,
      'unsupported_image',
    );
    const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .gif()
      .toBuffer();
    assertError(await upload(owner, item.id, photo(gif, 'x.gif', 'image/gif')), 415, 'unsupported_image');
    assertError(await upload(owner, item.id, photo(Buffer.alloc(0))), 415, 'unsupported_image');

    const whole = await jpeg(800, 600);
    assertError(await upload(owner, item.id, photo(whole.subarray(0, Math.floor(whole.length * 0.6)))), 400, 'corrupt_image');
    const wholePng = await png(300, 300);
    assertError(await upload(owner, item.id, photo(wholePng.subarray(0, 100), 'x.png', 'image/png')), 400, 'corrupt_image');

    const after = await getItem(owner, item.id);
    assert.equal(after.body.imageUrl, first.body.imageUrl, 'the item still has its photo');
    await assertWebp(first.body.imageUrl, 640);
    await assertWebp(first.body.thumbUrl, 200);
  });

  test('a file over 5 MB is 413 image_too_large; so is an image of too many pixels', async () => {
    const owner = await newOwner();
    const item = await itemFor(owner);
    const big = Buffer.alloc(5 * 1024 * 1024 + 1, 7);
    big.set([0xff, 0xd8, 0xff, 0xe0]);
    assertError(await upload(owner, item.id, photo(big)), 413, 'image_too_large');
    // 8000x6000 (48 MP) of one colour: a small file that would decode to 192 MB
    const bomb = await sharp({ create: { width: 8000, height: 6000, channels: 3, background: '#fff' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    assert.ok(bomb.length < 5 * 1024 * 1024);
    assertError(await upload(owner, item.id, photo(bomb, 'bomb.png', 'image/png')), 413, 'image_too_large');
    assert.equal((await getItem(owner, item.id)).body.hasPhoto, false);
  });

  test('the body must be multipart with one file field "photo" and nothing else', async () => {
    const owner = await newOwner();
    const item = await itemFor(owner);
    const image = await jpeg(50, 50);
    const path = `${storePath(owner)}/items/${item.id}/photo`;
    assertError(await upload(owner, item.id, { ...photo(image), field: 'picture' }), 400, 'photo_missing');
    assertError(await upload(owner, item.id), 400, 'photo_missing');
    assertError(await upload(owner, item.id, photo(image), { field: 'caption', value: 'hello' }), 400, 'malformed_multipart');
    assertError(await upload(owner, item.id, photo(image), { ...photo(image), field: 'photo2' }), 400, 'malformed_multipart');
    assertError(
      await send(owner, 'PUT', path, {
        body: '--xyz\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\n\r\nabc',
        headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      }),
      400,
      'malformed_multipart',
    );
    assertError(await send(owner, 'PUT', path, { body: 'abc', headers: { 'content-type': 'multipart/form-data' } }), 400, 'malformed_multipart');
    assertError(
      await send(owner, 'PUT', path, { body: JSON.stringify({ photo: 'x' }), headers: { 'content-type': 'application/json' } }),
      415,
      'unsupported_media_type',
    );
    assertError(await send(owner, 'PUT', path, { body: new Uint8Array(image), headers: { 'content-type': 'image/jpeg' } }), 415, 'unsupported_media_type');
    assert.equal((await getItem(owner, item.id)).body.hasPhoto, false);
    // and the route still works after all that
    assert.equal((await upload(owner, item.id, photo(image))).status, 200);
  });

  test('photos uploaded at the same moment leave exactly one photo and no other file behind', async () => {
    const owner = await newOwner();
    const item = await itemFor(owner);
    const results = await Promise.all([120, 140, 160, 180].map(async (side) => upload(owner, item.id, photo(await jpeg(side, side)))));
    assert.deepEqual(
      results.map((r) => r.status),
      [200, 200, 200, 200],
    );
    const final = (await getItem(owner, item.id)).body;
    await assertWebp(final.imageUrl, 640);
    const urls = results.flatMap((r) => [r.body.imageUrl, r.body.thumbUrl]);
    assert.equal(new Set(urls).size, 8, 'every upload got keys of its own');
    for (const url of urls) {
      const expected = url === final.imageUrl || url === final.thumbUrl ? 200 : 404;
      assert.equal((await download(url)).status, expected, url);
    }
  });

  test('removing the photo, or the item, deletes its files', async () => {
    const owner = await newOwner();
    const item = await itemFor(owner);
    const first = (await upload(owner, item.id, photo(await jpeg(100, 100)))).body;
    const removed = await server.api('DELETE', `${storePath(owner)}/items/${item.id}/photo`, { token: owner.accessToken });
    assert.equal(removed.status, 200);
    assert.equal(removed.body.hasPhoto, false);
    assert.equal(removed.body.imageUrl, '/api/files/default-item.svg');
    assert.equal((await download(first.imageUrl)).status, 404);
    assert.equal((await download(first.thumbUrl)).status, 404);
    // removing it again is harmless
    assert.equal((await server.api('DELETE', `${storePath(owner)}/items/${item.id}/photo`, { token: owner.accessToken })).status, 200);

    const second = (await upload(owner, item.id, photo(await jpeg(100, 100)))).body;
    assert.equal((await download(second.imageUrl)).status, 200);
    assert.equal((await server.api('DELETE', `${storePath(owner)}/items/${item.id}`, { token: owner.accessToken })).status, 204);
    assert.equal((await download(second.imageUrl)).status, 404);
    assert.equal((await download(second.thumbUrl)).status, 404);
  });

  test('the file route answers 404 file_not_found for unknown keys and for keys that could name nothing', async () => {
    for (const path of ['/api/files/items/nothing-here.webp', '/api/files/.meta/x.json', '/api/files/items/..%2F..%2Fetc%2Fpasswd', '/api/files/a//b']) {
      const file = await download(path);
      assert.equal(file.status, 404, path);
      assert.equal(file.body.error.code, 'file_not_found', path);
    }
  });
});

describe('menu facts', () => {
  test('caffeine, sugar, kcal and allergens are set, read back, changed in part and cleared; 0 mg is caffeine-free', async () => {
    const owner = await newOwner();
    const category = await createCategory(owner, '음료');
    const plain = await createItem(owner, { categoryId: category.id, name: '물' });
    assert.deepEqual(
      { caffeineMg: plain.caffeineMg, sugarG: plain.sugarG, kcal: plain.kcal, allergens: plain.allergens, caffeineFree: plain.caffeineFree },
      { caffeineMg: null, sugarG: null, kcal: null, allergens: [], caffeineFree: false },
      'unknown until the owner says',
    );

    const latte = await createItem(owner, {
      categoryId: category.id,
      name: '카페라떼',
      caffeineMg: 120,
      sugarG: 20,
      kcal: 250,
      allergens: ['soy', 'milk', 'milk'],
    });
    assert.equal(latte.caffeineMg, 120);
    assert.equal(latte.sugarG, 20);
    assert.equal(latte.kcal, 250);
    assert.deepEqual(latte.allergens, ['milk', 'soy'], "each once, in the label's order");
    assert.equal(latte.caffeineFree, false);
    assert.deepEqual((await getItem(owner, latte.id)).body, latte);

    const decaf = await patchItem(owner, latte.id, { caffeineMg: 0 });
    assert.equal(decaf.status, 200, JSON.stringify(decaf.body));
    assert.equal(decaf.body.caffeineMg, 0);
    assert.equal(decaf.body.caffeineFree, true);
    assert.equal(decaf.body.sugarG, 20, 'a partial change keeps the other facts');
    assert.deepEqual(decaf.body.allergens, ['milk', 'soy']);

    const cleared = await patchItem(owner, latte.id, { caffeineMg: null, sugarG: null, kcal: 0, allergens: [] });
    assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
    assert.deepEqual(
      [cleared.body.caffeineMg, cleared.body.sugarG, cleared.body.kcal, cleared.body.allergens, cleared.body.caffeineFree],
      [null, null, 0, [], false],
    );
  });

  test('bad facts are refused with a clear 400 and nothing is written', async () => {
    const owner = await newOwner();
    const category = await createCategory(owner, '음료');
    const post = (body: Record<string, unknown>) =>
      server.api('POST', `${storePath(owner)}/items`, { token: owner.accessToken, body: { categoryId: category.id, name: '라떼', price: 5000, ...body } });
    for (const bad of [
      { caffeineMg: -1 },
      { caffeineMg: 1001 },
      { caffeineMg: 12.5 },
      { sugarG: -3 },
      { sugarG: 301 },
      { kcal: 3001 },
      { kcal: 'lots' },
      { allergens: 'milk, soy' },
    ]) {
      assertError(await post(bad), 400, 'validation_failed');
    }
    const unknown = await post({ allergens: ['milk', 'gluten'] });
    assertError(unknown, 400, 'unknown_allergen');
    assert.match(unknown.body.error.message, /"gluten"/);
    assert.deepEqual(unknown.body.error.details.unknown, ['gluten']);
    assert.ok(unknown.body.error.details.allowed.includes('pine_nut'));
    assert.deepEqual((await server.api('GET', `${storePath(owner)}/items`, { token: owner.accessToken })).body.items, []);

    // the limits themselves are fine
    const edge = await post({
      caffeineMg: 1000,
      sugarG: 300,
      kcal: 3000,
      allergens: [
        'egg',
        'milk',
        'buckwheat',
        'peanut',
        'soy',
        'wheat',
        'mackerel',
        'crab',
        'shrimp',
        'pork',
        'peach',
        'tomato',
        'sulfites',
        'walnut',
        'chicken',
        'beef',
        'squid',
        'shellfish',
        'pine_nut',
      ],
    });
    assert.equal(edge.status, 201, JSON.stringify(edge.body));
    assert.equal(edge.body.allergens.length, 19);

    // a refused change changes nothing
    const item = edge.body;
    assertError(await patchItem(owner, item.id, { caffeineMg: -5 }), 400, 'validation_failed');
    assertError(await patchItem(owner, item.id, { kcal: 10, allergens: ['nuts'] }), 400, 'unknown_allergen');
    assert.deepEqual((await getItem(owner, item.id)).body, item);
  });

  test("the kiosk's menu carries the facts, and which items are caffeine-free", async () => {
    const owner = await newOwner();
    const kioskToken = await provisionKiosk(owner);
    const category = await createCategory(owner, '음료');
    await createItem(owner, { categoryId: category.id, name: '아메리카노', caffeineMg: 150, sugarG: 0, kcal: 10 });
    await createItem(owner, { categoryId: category.id, name: '유자차', caffeineMg: 0, sugarG: 30, kcal: 140, allergens: [] });
    await createItem(owner, { categoryId: category.id, name: '고구마라떼', caffeineMg: 0, sugarG: 25, kcal: 300, allergens: ['milk'] });
    await createItem(owner, { categoryId: category.id, name: '오늘의 차' });

    const menu = await server.api('GET', `${storePath(owner)}/menu`, { token: kioskToken });
    assert.equal(menu.status, 200, JSON.stringify(menu.body));
    assert.deepEqual(
      menu.body.categories[0].items.map((i: any) => [i.name, i.caffeineMg, i.sugarG, i.kcal, i.allergens, i.caffeineFree]),
      [
        ['아메리카노', 150, 0, 10, [], false],
        ['유자차', 0, 30, 140, [], true],
        ['고구마라떼', 0, 25, 300, ['milk'], true],
        ['오늘의 차', null, null, null, [], false],
      ],
    );
  });
});
