// A store ready to take orders, made over HTTP the way people make one: an owner signs up (with
// support/owner.ts), adds a category and three menu items whose stock is not counted (so nothing
// sells out), provisions a kiosk, and the kiosk logs in.
import { signUpOwner } from './owner.js';

export interface BenchStore {
  storeId: string;
  ownerToken: string;
  kioskToken: string;
  itemIds: string[];
  /** a three-line order body: one of each item */
  orderBody: string;
  /** its total, in won */
  orderTotal: number;
}

async function call(url: string, method: string, path: string, token: string | undefined, body?: unknown): Promise<any> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export async function storeWithKiosk(url: string, brandCode: string): Promise<BenchStore> {
  const owner = await signUpOwner(url, brandCode);
  const storeId = await storeIdOf(url, owner.accessToken);
  const category = await call(url, 'POST', `/api/stores/${storeId}/categories`, owner.accessToken, { name: 'Coffee' });
  const prices = [4500, 5000, 3200];
  const itemIds: string[] = [];
  for (const [i, price] of prices.entries()) {
    const item = await call(url, 'POST', `/api/stores/${storeId}/items`, owner.accessToken, {
      categoryId: category.id,
      name: ['Americano', 'Latte', 'Croissant'][i],
      price,
      stock: null,
    });
    itemIds.push(item.id);
  }
  const kiosk = await addKiosk(url, storeId, owner.accessToken);
  const orderBody = JSON.stringify({ lines: itemIds.map((itemId) => ({ itemId, quantity: 1 })), paymentMethod: 'counter' });
  return { storeId, ownerToken: owner.accessToken, kioskToken: kiosk.token, itemIds, orderBody, orderTotal: prices.reduce((a, b) => a + b, 0) };
}

/** the id of the store an owner signed up with */
export async function storeIdOf(url: string, ownerToken: string): Promise<string> {
  const me = await call(url, 'GET', '/api/me', ownerToken);
  return me.store.id as string;
}

/** a kiosk provisioned by the store's owner and logged in with its credentials */
export async function addKiosk(url: string, storeId: string, ownerToken: string, name = 'Bench kiosk'): Promise<{ id: string; token: string }> {
  const provisioned = await call(url, 'POST', `/api/stores/${storeId}/kiosks`, ownerToken, { name });
  const login = await call(url, 'POST', '/api/auth/kiosk-login', undefined, provisioned.credentials);
  return { id: login.kioskId as string, token: login.accessToken as string };
}

/**
 * The counter takes the payment of every unpaid order of the store over the given local days (sales
 * count paid money: docs/payments.md), 16 at a time, each with its own Idempotency-Key. Returns how many.
 */
export async function payAllUnpaid(url: string, store: Pick<BenchStore, 'storeId' | 'ownerToken'>, from: string, to: string): Promise<number> {
  let paid = 0;
  for (;;) {
    const page = await call(
      url,
      'GET',
      `/api/stores/${store.storeId}/orders?from=${from}&to=${to}&paymentStatus=unpaid&status=placed&pageSize=100`,
      store.ownerToken,
    );
    const orders = page.orders as Array<{ id: string; total: number }>;
    if (orders.length === 0) return paid;
    for (let i = 0; i < orders.length; i += 16) {
      await Promise.all(
        orders.slice(i, i + 16).map(async (order) => {
          const response = await fetch(`${url}/api/stores/${store.storeId}/orders/${order.id}/payments`, {
            method: 'POST',
            headers: { authorization: `Bearer ${store.ownerToken}`, 'content-type': 'application/json', 'idempotency-key': `bench-pay-${order.id}` },
            body: JSON.stringify({ method: 'counter_cash', amount: order.total }),
          });
          if (response.status !== 200) throw new Error(`payment of ${order.id}: ${response.status} ${await response.text()}`);
        }),
      );
    }
    paid += orders.length;
  }
}

/** orders counted in the store's sales figures for the given local days (paid ones: see payAllUnpaid) */
export async function ordersCounted(url: string, store: BenchStore, from: string, to: string): Promise<{ orderCount: number; total: number }> {
  const sales = await call(url, 'GET', `/api/stores/${store.storeId}/sales?from=${from}&to=${to}&period=day`, store.ownerToken);
  let orderCount = 0;
  let total = 0;
  for (const bucket of sales.buckets as Array<{ orderCount: number; total: number }>) {
    orderCount += bucket.orderCount;
    total += bucket.total;
  }
  return { orderCount, total };
}

/** orders stored for the store over the given local days (GET /api/stores/:id/orders, its `total`) */
export async function ordersStored(url: string, store: BenchStore, from: string, to: string): Promise<number> {
  const listed = await call(url, 'GET', `/api/stores/${store.storeId}/orders?from=${from}&to=${to}&pageSize=1`, store.ownerToken);
  return listed.total as number;
}

/** places one order and checks it was taken (201) */
export async function placeOne(url: string, store: BenchStore, idempotencyKey: string): Promise<void> {
  const response = await fetch(`${url}/api/stores/${store.storeId}/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${store.kioskToken}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
    body: store.orderBody,
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST /api/stores/:id/orders: ${response.status} ${text}`);
  const { order } = JSON.parse(text) as { order: { total: number; lines: unknown[] } };
  if (order.total !== store.orderTotal || order.lines.length !== 3) throw new Error(`unexpected order: ${text}`);
}
