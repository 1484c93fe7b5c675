// Small factories for test data. People and kiosks are made through the API (as users do);
// menu rows are inserted directly where a test is about orders rather than the catalog.
import type { TestServer } from './test-server.js';
import { createBrand, signUp } from './test-server.js';

export interface StoreFixture {
  brand: { id: string; name: string; code: string };
  storeId: string;
  ownerToken: string;
  kioskToken: string;
  kioskId: string;
}

export async function storeWithKiosk(server: TestServer, brand?: { id: string; name: string; code: string }): Promise<StoreFixture> {
  const theBrand = brand ?? (await createBrand(server));
  const owner = await signUp(server, 'owner', { brandCode: theBrand.code });
  const storeId = owner.profile.store.id as string;
  const kiosk = await server.api('POST', `/api/stores/${storeId}/kiosks`, { token: owner.accessToken, body: { name: 'kiosk' } });
  const login = await server.api('POST', '/api/auth/kiosk-login', { body: kiosk.body.credentials });
  return { brand: theBrand, storeId, ownerToken: owner.accessToken, kioskToken: login.body.accessToken, kioskId: login.body.kioskId };
}

export interface ItemFixture {
  id: string;
  name: string;
  price: number;
  options: Record<string, string>; // option name -> id
}

export async function menuItem(
  server: TestServer,
  storeId: string,
  fields: {
    name?: string;
    price?: number;
    stock?: number | null;
    shownOnKiosk?: boolean;
    soldOut?: boolean;
    groups?: Array<{ name: string; kind: 'single' | 'multiple'; required?: boolean; options: Array<{ name: string; priceDelta: number }> }>;
  } = {},
): Promise<ItemFixture> {
  const db = server.app.database.db;
  let category = await db.selectFrom('categories').select('id').where('store_id', '=', storeId).executeTakeFirst();
  if (!category) {
    category = await db.insertInto('categories').values({ store_id: storeId, name: '커피', position: 0 }).returning('id').executeTakeFirstOrThrow();
  }
  const name = fields.name ?? `아메리카노 ${Math.random().toString(36).slice(2, 6)}`;
  const price = fields.price ?? 4500;
  const item = await db
    .insertInto('items')
    .values({
      store_id: storeId,
      category_id: category.id,
      name,
      price,
      stock: fields.stock ?? null,
      shown_on_kiosk: fields.shownOnKiosk ?? true,
      sold_out: fields.soldOut ?? false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const options: Record<string, string> = {};
  for (const [groupIndex, group] of (fields.groups ?? []).entries()) {
    const row = await db
      .insertInto('option_groups')
      .values({ item_id: item.id, name: group.name, kind: group.kind, required: group.required ?? false, position: groupIndex })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [optionIndex, option] of group.options.entries()) {
      const created = await db
        .insertInto('options')
        .values({ group_id: row.id, name: option.name, price_delta: option.priceDelta, position: optionIndex })
        .returning('id')
        .executeTakeFirstOrThrow();
      options[option.name] = created.id;
    }
  }
  return { id: item.id, name, price, options };
}

/**
 * The POS takes the payment of an order at the counter (docs/payments.md): the order becomes paid
 * and is counted in the sales figures. Orders are placed unpaid (paymentMethod 'counter'), so a
 * test that reads sales pays them first.
 */
export async function payAtCounter(
  server: TestServer,
  store: { storeId: string; ownerToken: string },
  order: { id: string; total: number },
  options: { method?: 'counter_cash' | 'counter_card'; key?: string } = {},
): Promise<Record<string, any>> {
  const response = await server.api('POST', `/api/stores/${store.storeId}/orders/${order.id}/payments`, {
    token: store.ownerToken,
    headers: { 'idempotency-key': options.key ?? `pay-${order.id}` },
    body: { method: options.method ?? 'counter_cash', amount: order.total },
  });
  if (response.status !== 200) throw new Error(`payment of ${order.id} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}
