// THE AUTHORIZATION WALK. Every /api route of the running server (from its OpenAPI document and
// its route table) must be listed in `routes` below with who may call it. For each route the walk
// checks the refusals: no token, a bad token, a revoked token -> 401; each role the route does
// not allow -> 403 forbidden_role; for a route under /api/stores/{storeId}, an owner of another
// store (same brand, other brand; a caller of each allowed role) -> 403 forbidden_store; and that
// no refusal changed a single row of any table.
// Then it checks that each allowed role really gets through, and that public routes work
// without a token (and ignore a bad one). A route missing from the table fails the walk.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import {
  codeIn,
  createBrand,
  roomyLimits,
  signUp,
  startTestServer,
  uniqueEmail,
  type ApiResponse,
  type SignedUp,
  type TestServer,
} from '../support/test-server.js';

type Role = 'owner' | 'counselor' | 'kiosk' | 'kitchen' | 'pickup';
const ROLES: readonly Role[] = ['owner', 'counselor', 'kiosk', 'kitchen', 'pickup'];
type ScreenRole = 'kitchen' | 'pickup';

interface Sample {
  /** values for path parameters that differ from the defaults */
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** what the call answers when it is let through */
  status: number;
  /** the error code, when the let-through call still ends in an error the route itself gives */
  code?: string;
  /** a server-sent event stream: the let-through call checks the opening and hangs up */
  stream?: boolean;
}

interface RouteRule {
  /** 'public', or the roles that may call it */
  access: 'public' | readonly Role[];
  /** the path names a store that must be the caller's own */
  storeScoped?: boolean;
  /** a request that the route accepts from an allowed caller; made fresh for every call */
  sample: () => Promise<Sample> | Sample;
}

interface World {
  brand: { id: string; name: string; code: string };
  otherBrand: { id: string; name: string; code: string };
  owner: SignedUp;
  counselor: SignedUp;
  /** the owner's kiosk that logs in as the kiosk principal */
  kiosk: { id: string; loginId: string; secret: string };
  /** the owner's kiosk named in kiosk paths */
  targetKiosk: { id: string; loginId: string; secret: string };
  neighbour: SignedUp;
  foreigner: SignedUp;
  /** the counselor whose password the public reset walk resets */
  resetCounselor: SignedUp;
  tokens: Record<Role, string>;
  revokedToken: string;
  /** kiosks of the neighbour's and the foreigner's stores, logged in */
  neighbourKioskToken: string;
  foreignKioskToken: string;
  /** the owner's kitchen screen and pickup board (they sign in like kiosks), and those of the other stores, logged in */
  screens: Record<ScreenRole, { id: string; loginId: string; secret: string }>;
  neighbourScreenTokens: Record<ScreenRole, string>;
  foreignScreenTokens: Record<ScreenRole, string>;
  /** a category with an item in the owner's store, and an order placed by the kiosk */
  category: { id: string };
  item: { id: string };
  order: { id: string };
}

let server: TestServer;
let world: World;

async function provisionKiosk(owner: SignedUp, name: string, kind: 'kiosk' | ScreenRole = 'kiosk'): Promise<{ id: string; loginId: string; secret: string }> {
  const response = await server.api('POST', `/api/stores/${owner.profile.store.id}/kiosks`, { token: owner.accessToken, body: { name, kind } });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return { id: response.body.kiosk.id, ...response.body.credentials };
}

/** a new session for a role: a fresh access token, so that a let-through logout ends nothing else */
async function freshSession(role: Role): Promise<{ accessToken: string; refreshToken: string }> {
  const screen = role === 'kiosk' ? world.kiosk : role === 'kitchen' || role === 'pickup' ? world.screens[role] : undefined;
  const response = screen
    ? await server.api('POST', '/api/auth/kiosk-login', { body: { loginId: screen.loginId, secret: screen.secret } })
    : role === 'owner' || role === 'counselor'
      ? await server.api('POST', '/api/auth/login', {
          body: { role, email: world[role].email, password: world[role].password },
        })
      : assert.fail(role);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body;
}

async function verificationToken(email: string): Promise<string> {
  assert.equal((await server.api('POST', '/api/email-codes', { body: { email } })).status, 202);
  const code = codeIn((await server.lastMailTo(email))?.text);
  const verified = await server.api('POST', '/api/email-codes/verify', { body: { email, code } });
  assert.equal(verified.status, 200);
  return verified.body.verificationToken;
}

let serial = 0;
/** short unique names (category names are at most 20 characters and unique in a store) */
function nextName(prefix: string): string {
  serial += 1;
  return `${prefix} ${serial}`;
}

async function createCategory(): Promise<{ id: string }> {
  const response = await server.api('POST', `/api/stores/${world.owner.profile.store.id}/categories`, {
    token: world.owner.accessToken,
    body: { name: nextName('Walk') },
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
}

async function createItem(categoryId = world.category.id): Promise<{ id: string }> {
  const response = await server.api('POST', `/api/stores/${world.owner.profile.store.id}/items`, {
    token: world.owner.accessToken,
    body: { categoryId, name: nextName('Walk item'), price: 1000 },
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
}

async function placeOrder(): Promise<{ id: string }> {
  const response = await server.api('POST', `/api/stores/${world.owner.profile.store.id}/orders`, {
    token: world.tokens.kiosk,
    body: { lines: [{ itemId: world.item.id, quantity: 1 }], paymentMethod: 'counter' },
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body.order;
}

/** a kiosk order paid by phone: its payment id (the checkout's key) and amount */
async function mobilePayment(): Promise<{ paymentId: string; amount: number }> {
  const response = await server.api('POST', `/api/stores/${world.owner.profile.store.id}/orders`, {
    token: world.tokens.kiosk,
    body: { lines: [{ itemId: world.item.id, quantity: 1 }], paymentMethod: 'mobile' },
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return { paymentId: response.body.payment.paymentId, amount: response.body.order.total };
}

/** a date range around today, wide enough for any store's time zone */
function around(): { from: string; to: string } {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  return { from: day(-2), to: day(2) };
}

// ---------------------------------------------------------------------------------------------
// The table: every /api route, who may call it, and a request it accepts.
// ---------------------------------------------------------------------------------------------
const everyone = 'public' as const;
const signedIn: readonly Role[] = ['owner', 'counselor', 'kiosk'];
/** the kitchen display (and the owner on its page) */
const kitchenScreens: readonly Role[] = ['owner', 'kitchen'];
const storeScreens: readonly Role[] = ['owner', 'kitchen', 'pickup'];
const people: readonly Role[] = ['owner', 'counselor'];
const owners: readonly Role[] = ['owner'];
const kiosks: readonly Role[] = ['kiosk'];
/** each walked registration uses a new phone number */
let walkPhones = 0;

const routes: Record<string, RouteRule> = {
  'POST /api/auth/login': {
    access: everyone,
    sample: () => ({ body: { role: 'owner', email: world.owner.email, password: world.owner.password }, status: 200 }),
  },
  'POST /api/auth/kiosk-login': {
    access: everyone,
    sample: () => ({ body: { loginId: world.kiosk.loginId, secret: world.kiosk.secret }, status: 200 }),
  },
  'POST /api/auth/refresh': {
    access: everyone,
    sample: async () => ({ body: { refreshToken: (await freshSession('counselor')).refreshToken }, status: 200 }),
  },
  'POST /api/auth/logout': { access: [...signedIn, 'kitchen', 'pickup'], sample: () => ({ status: 204 }) },
  'POST /api/email-codes': { access: everyone, sample: () => ({ body: { email: uniqueEmail('walk-code') }, status: 202 }) },
  'POST /api/email-codes/verify': {
    access: everyone,
    sample: async () => {
      const email = uniqueEmail('walk-verify');
      assert.equal((await server.api('POST', '/api/email-codes', { body: { email } })).status, 202);
      return { body: { email, code: codeIn((await server.lastMailTo(email))?.text) }, status: 200 };
    },
  },
  'GET /api/brands/{code}': { access: everyone, sample: () => ({ params: { code: world.brand.code }, status: 200 }) },
  'GET /api/accounts/email-availability': {
    access: everyone,
    sample: () => ({ query: { role: 'owner', email: world.owner.email }, status: 200 }),
  },
  'POST /api/accounts/owners': {
    access: everyone,
    sample: async () => {
      const email = uniqueEmail('walk-owner');
      return {
        body: { email, password: 'walk password 1', brandCode: world.brand.code, storeName: 'Walk store', verificationToken: await verificationToken(email) },
        status: 201,
      };
    },
  },
  'POST /api/accounts/counselors': {
    access: everyone,
    sample: async () => {
      const email = uniqueEmail('walk-counselor');
      return {
        body: { email, password: 'walk password 1', brandCode: world.brand.code, verificationToken: await verificationToken(email) },
        status: 201,
      };
    },
  },
  'GET /api/me': { access: signedIn, sample: () => ({ status: 200 }) },
  'PUT /api/me/password': {
    access: people,
    // a wrong current password: let through by the policy, refused by the route itself
    sample: () => ({ body: { currentPassword: 'not the password', newPassword: 'walk new password' }, status: 403, code: 'wrong_password' }),
  },
  'POST /api/me/withdraw': {
    access: people,
    sample: () => ({ body: { password: 'not the password' }, status: 403, code: 'wrong_password' }),
  },
  'POST /api/password-resets': {
    access: everyone,
    sample: () => ({ body: { role: 'counselor', email: world.resetCounselor.email }, status: 202 }),
  },
  'POST /api/password-resets/confirm': {
    access: everyone,
    sample: async () => {
      const email = world.resetCounselor.email;
      assert.equal((await server.api('POST', '/api/password-resets', { body: { role: 'counselor', email } })).status, 202);
      const code = codeIn((await server.lastMailTo(email))?.text);
      return { body: { role: 'counselor', email, code, newPassword: world.resetCounselor.password }, status: 204 };
    },
  },
  'GET /api/stores/{storeId}/kiosks': { access: owners, storeScoped: true, sample: () => ({ status: 200 }) },
  'POST /api/stores/{storeId}/kiosks': { access: owners, storeScoped: true, sample: () => ({ body: { name: 'Walked in' }, status: 201 }) },
  'PATCH /api/stores/{storeId}/kiosks/{kioskId}': {
    access: owners,
    storeScoped: true,
    sample: () => ({ body: { name: 'Walked over' }, status: 200 }),
  },
  'DELETE /api/stores/{storeId}/kiosks/{kioskId}': {
    access: owners,
    storeScoped: true,
    // the let-through call deletes a kiosk of its own, not the one every other call names
    sample: async () => ({ params: { kioskId: (await provisionKiosk(world.owner, 'To delete')).id }, status: 204 }),
  },

  // ---- catalog
  'GET /api/stores/{storeId}/categories': { access: owners, storeScoped: true, sample: () => ({ status: 200 }) },
  'POST /api/stores/{storeId}/categories': {
    access: owners,
    storeScoped: true,
    sample: () => ({ body: { name: nextName('Walk') }, status: 201 }),
  },
  'PUT /api/stores/{storeId}/categories/order': {
    access: owners,
    storeScoped: true,
    sample: async () => {
      const listed = await server.api('GET', `/api/stores/${world.owner.profile.store.id}/categories`, { token: world.owner.accessToken });
      const ids = (listed.body.categories as Array<{ id: string }>).map((category) => category.id);
      return { body: { categoryIds: ids.reverse() }, status: 200 };
    },
  },
  'PATCH /api/stores/{storeId}/categories/{categoryId}': {
    access: owners,
    storeScoped: true,
    sample: () => ({ body: { name: nextName('Renamed') }, status: 200 }),
  },
  'DELETE /api/stores/{storeId}/categories/{categoryId}': {
    access: owners,
    storeScoped: true,
    // an empty category of its own: the shared one has items, and a category with items stays
    sample: async () => ({ params: { categoryId: (await createCategory()).id }, status: 204 }),
  },
  'GET /api/stores/{storeId}/items': { access: owners, storeScoped: true, sample: () => ({ status: 200 }) },
  'POST /api/stores/{storeId}/items': {
    access: owners,
    storeScoped: true,
    sample: () => ({ body: { categoryId: world.category.id, name: nextName('Walk item'), price: 2500 }, status: 201 }),
  },
  'GET /api/stores/{storeId}/items/{itemId}': { access: owners, storeScoped: true, sample: () => ({ status: 200 }) },
  'PATCH /api/stores/{storeId}/items/{itemId}': {
    access: owners,
    storeScoped: true,
    sample: () => ({ body: { description: 'walked' }, status: 200 }),
  },
  'DELETE /api/stores/{storeId}/items/{itemId}': {
    access: owners,
    storeScoped: true,
    sample: async () => ({ params: { itemId: (await createItem()).id }, status: 204 }),
  },
  'PUT /api/stores/{storeId}/items/{itemId}/photo': {
    access: owners,
    storeScoped: true,
    // no multipart body: let through by the policy, refused by the route itself
    sample: () => ({ status: 415, code: 'unsupported_media_type' }),
  },
  'DELETE /api/stores/{storeId}/items/{itemId}/photo': { access: owners, storeScoped: true, sample: () => ({ status: 200 }) },
  'GET /api/stores/{storeId}/menu': { access: ['owner', 'kiosk'], storeScoped: true, sample: () => ({ status: 200 }) },

  // ---- files (pictures are public: they are shown on kiosks and in img tags)
  'GET /api/files/default-item.svg': { access: everyone, sample: () => ({ status: 200 }) },
  'GET /api/files/{*}': {
    access: everyone,
    sample: () => ({ params: { '*': 'walk-no-such-file.webp' }, status: 404, code: 'file_not_found' }),
  },

  // ---- orders
  'POST /api/stores/{storeId}/orders': {
    access: kiosks,
    storeScoped: true,
    sample: () => ({ body: { lines: [{ itemId: world.item.id, quantity: 2 }], paymentMethod: 'counter' }, status: 201 }),
  },
  'GET /api/stores/{storeId}/orders': { access: owners, storeScoped: true, sample: () => ({ query: around(), status: 200 }) },
  'GET /api/stores/{storeId}/orders/first-date': { access: owners, storeScoped: true, sample: () => ({ status: 200 }) },
  'GET /api/stores/{storeId}/orders/live': { access: owners, storeScoped: true, sample: () => ({ status: 200, stream: true }) },
  'GET /api/stores/{storeId}/orders/{orderId}': { access: owners, storeScoped: true, sample: () => ({ status: 200 }) },
  'POST /api/stores/{storeId}/orders/{orderId}/status': {
    access: owners,
    storeScoped: true,
    sample: async () => ({ params: { orderId: (await placeOrder()).id }, body: { status: 'preparing' }, status: 200 }),
  },
  'POST /api/stores/{storeId}/orders/{orderId}/cancel': {
    access: owners,
    storeScoped: true,
    sample: async () => ({ params: { orderId: (await placeOrder()).id }, body: { reason: 'walk' }, status: 200 }),
  },
  // ---- payments (payments.test.ts)
  'POST /api/stores/{storeId}/orders/{orderId}/payments': {
    access: owners,
    storeScoped: true,
    sample: async () => {
      const order = await placeOrder();
      return { params: { orderId: order.id }, body: { method: 'counter_cash', amount: (order as { total?: number }).total }, status: 200 };
    },
  },
  'POST /api/stores/{storeId}/orders/{orderId}/refunds': {
    access: owners,
    storeScoped: true,
    // an unpaid order: let through by the policy, refused by the service
    sample: async () => ({ params: { orderId: (await placeOrder()).id }, body: { amount: 100, reason: 'walk' }, status: 409, code: 'order_not_paid' }),
  },
  'GET /api/stores/{storeId}/orders/{orderId}/refunds': { access: owners, storeScoped: true, sample: () => ({ status: 200 }) },
  'GET /api/stores/{storeId}/payment-settings': { access: owners, storeScoped: true, sample: () => ({ status: 200 }) },
  'PUT /api/stores/{storeId}/payment-settings': {
    access: owners,
    storeScoped: true,
    sample: () => ({
      body: { kitchenStartsUnpaid: true, unpaidExpiryMinutes: 30, business: { name: null, registrationNumber: null, address: null, phone: null } },
      status: 200,
    }),
  },
  'GET /api/stores/{storeId}/kiosk-orders/{orderId}': { access: kiosks, storeScoped: true, sample: () => ({ status: 200 }) },
  // no payment under way for the walk's order: let through by the policy, refused by the service
  'POST /api/stores/{storeId}/kiosk-orders/{orderId}/payment/cancel': {
    access: kiosks,
    storeScoped: true,
    sample: () => ({ status: 404, code: 'payment_not_found' }),
  },
  // ---- reconciliation (reconciliation.test.ts)
  'GET /api/stores/{storeId}/reconciliation': {
    access: owners,
    storeScoped: true,
    sample: () => ({ query: { date: '2020-01-01' }, status: 404, code: 'not_reconciled' }),
  },
  'POST /api/stores/{storeId}/reconciliation': { access: owners, storeScoped: true, sample: () => ({ body: { date: '2020-01-01' }, status: 200 }) },
  // ---- receipts (receipts.test.ts)
  'GET /api/receipts/{token}': {
    access: everyone,
    sample: async () => ({
      params: { token: (await server.app.services.receipts.issue(world.owner.profile.store.id, world.order.id, {})).token },
      status: 200,
    }),
  },
  // no device is connected: let through by the policy, refused by the service
  'POST /api/stores/{storeId}/orders/{orderId}/receipt-prints': {
    access: owners,
    storeScoped: true,
    sample: () => ({ body: {}, status: 409, code: 'printer_unavailable' }),
  },
  'POST /api/stores/{storeId}/kiosk-orders/{orderId}/receipt': { access: kiosks, storeScoped: true, sample: () => ({ status: 200 }) },
  // ---- mobile payments (mobile-payments.test.ts): the phone's checkout, keyed by the payment id in the QR code
  'GET /api/mobile-payments/{paymentId}': { access: everyone, sample: async () => ({ params: { paymentId: (await mobilePayment()).paymentId }, status: 200 }) },
  'POST /api/mobile-payments/{paymentId}/confirmation': {
    access: everyone,
    // a key the (fake) gateway does not know: let through, declined by the gateway
    sample: async () => {
      const { paymentId, amount } = await mobilePayment();
      return { params: { paymentId }, body: { paymentKey: 'walk_unknown', amount }, status: 200 };
    },
  },
  'POST /api/mobile-payments/{paymentId}/failure': {
    access: everyone,
    sample: async () => ({ params: { paymentId: (await mobilePayment()).paymentId }, body: { code: 'PAY_PROCESS_CANCELED' }, status: 200 }),
  },
  'GET /api/stores/{storeId}/customers/{customerId}/recommendations': {
    access: kiosks,
    storeScoped: true,
    sample: () => ({ status: 200 }),
  },

  // ---- customers (customers.test.ts)
  'POST /api/stores/{storeId}/customers': {
    access: kiosks,
    storeScoped: true,
    sample: async () => {
      walkPhones += 1;
      const analysisId = await server.app.services.customers.holdAnalysis({
        kioskId: world.kiosk.id,
        storeId: world.owner.profile.store.id,
        embedding: Float32Array.from({ length: 128 }, () => Math.random() - 0.5),
        age: null,
        gender: null,
      });
      return { body: { analysisId, phone: `010-5555-${String(walkPhones).padStart(4, '0')}`, consent: { accepted: true, version: 'walk' } }, status: 201 };
    },
  },
  'GET /api/stores/{storeId}/customers': { access: owners, storeScoped: true, sample: () => ({ status: 200 }) },
  'GET /api/stores/{storeId}/customers/privacy-notice': { access: ['owner', 'kiosk'], storeScoped: true, sample: () => ({ status: 200 }) },
  // (member-confirmation.test.ts): an unknown id is answered like wrong digits
  'POST /api/stores/{storeId}/member-confirmations/{confirmationId}': {
    access: kiosks,
    storeScoped: true,
    sample: () => ({ params: { confirmationId: 'no-such-confirmation' }, body: { lastDigits: '1234' }, status: 200 }),
  },
  'POST /api/stores/{storeId}/customers/lookup': {
    access: kiosks,
    storeScoped: true,
    sample: () => ({ body: { phone: '010-0000-0000' }, status: 404, code: 'customer_not_found' }),
  },
  'POST /api/stores/{storeId}/customers/{customerId}/forget-face': {
    access: kiosks,
    storeScoped: true,
    sample: () => ({ body: { phone: '010-0000-0000' }, status: 404, code: 'customer_not_found' }),
  },
  'DELETE /api/stores/{storeId}/customers/{customerId}/face': {
    access: owners,
    storeScoped: true,
    sample: () => ({ status: 404, code: 'customer_not_found' }),
  },
  'GET /api/stores/{storeId}/customers/{customerId}/ready-notice': {
    access: kiosks,
    storeScoped: true,
    sample: () => ({ status: 404, code: 'customer_not_found' }),
  },
  'POST /api/stores/{storeId}/customers/{customerId}/ready-notice/revoke': {
    access: kiosks,
    storeScoped: true,
    sample: () => ({ body: { phone: '010-0000-0000' }, status: 404, code: 'customer_not_found' }),
  },
  'DELETE /api/stores/{storeId}/customers/{customerId}/ready-notice': {
    access: owners,
    storeScoped: true,
    sample: () => ({ status: 404, code: 'customer_not_found' }),
  },
  'DELETE /api/stores/{storeId}/customers/{customerId}': { access: owners, storeScoped: true, sample: () => ({ status: 404, code: 'customer_not_found' }) },

  // ---- sales
  'GET /api/stores/{storeId}/sales': { access: owners, storeScoped: true, sample: () => ({ query: { ...around(), period: 'day' }, status: 200 }) },
  'GET /api/stores/{storeId}/sales/best-sellers': { access: owners, storeScoped: true, sample: () => ({ query: around(), status: 200 }) },
  'GET /api/stores/{storeId}/sales/standing': { access: owners, storeScoped: true, sample: () => ({ status: 200 }) },

  // ---- consultations (the socket, /ws, authorises at its handshake: consultations.test.ts)
  'GET /api/consultations/mine': { access: ['counselor'], sample: () => ({ status: 200 }) },
  'GET /api/stores/{storeId}/consultations': { access: owners, storeScoped: true, sample: () => ({ query: around(), status: 200 }) },
  'PUT /api/counselors/me/capacity': { access: ['counselor'], sample: () => ({ body: { capacity: 2 }, status: 200 }) },

  // ---- kiosk devices (the gRPC side authorises every call itself: grpc/devices.test.ts)
  'GET /api/stores/{storeId}/device-settings': { access: owners, storeScoped: true, sample: () => ({ status: 200 }) },
  'PUT /api/stores/{storeId}/device-settings': {
    access: owners,
    storeScoped: true,
    sample: () => ({
      body: {
        sampleIntervalMs: 100,
        arriveBelowCm: 80,
        arriveConsecutive: 5,
        arriveToleranceCm: 5,
        leaveAfterMs: 5000,
        framesPerCapture: 3,
        frameIntervalMs: 200,
      },
      status: 200,
    }),
  },
  'GET /api/stores/{storeId}/kiosks/{kioskId}/device-settings': { access: owners, storeScoped: true, sample: () => ({ status: 200 }) },
  'PUT /api/stores/{storeId}/kiosks/{kioskId}/device-settings': {
    access: owners,
    storeScoped: true,
    sample: () => ({ body: { arriveBelowCm: 70, framesPerCapture: 2 }, status: 200 }),
  },
  'DELETE /api/stores/{storeId}/kiosks/{kioskId}/device-settings': { access: owners, storeScoped: true, sample: () => ({ status: 200 }) },
  // ---- kitchen display and pickup board
  'GET /api/store-screen': { access: storeScreens, sample: () => ({ status: 200 }) },
  'GET /api/stores/{storeId}/kitchen/tickets': { access: kitchenScreens, storeScoped: true, sample: () => ({ status: 200 }) },
  'POST /api/stores/{storeId}/kitchen/tickets/{orderId}/bump': {
    access: kitchenScreens,
    storeScoped: true,
    sample: async () => ({ params: { orderId: (await placeOrder()).id }, body: { from: 'placed' }, status: 200 }),
  },
  'GET /api/stores/{storeId}/pickup': { access: storeScreens, storeScoped: true, sample: () => ({ status: 200 }) },
  'GET /api/stores/{storeId}/kitchen/settings': { access: storeScreens, storeScoped: true, sample: () => ({ status: 200 }) },
  'PUT /api/stores/{storeId}/kitchen/settings': {
    access: owners,
    storeScoped: true,
    sample: () => ({ body: { lateAfterMinutes: 7, pickupHoldMinutes: 10 }, status: 200 }),
  },
  'GET /api/stores/{storeId}/kitchen/stations': { access: kitchenScreens, storeScoped: true, sample: () => ({ status: 200 }) },
  'POST /api/stores/{storeId}/kitchen/stations': {
    access: owners,
    storeScoped: true,
    sample: () => ({ body: { name: nextName('Bar'), categoryIds: [world.category.id] }, status: 200 }),
  },
  'DELETE /api/stores/{storeId}/kitchen/stations/{stationId}': {
    access: owners,
    storeScoped: true,
    sample: async () => {
      const station = await server.api('POST', `/api/stores/${world.owner.profile.store.id}/kitchen/stations`, {
        token: world.owner.accessToken,
        body: { name: nextName('Oven'), categoryIds: [] },
      });
      return { params: { stationId: station.body.id }, status: 204 };
    },
  },
  'GET /api/stores/{storeId}/kitchen/live': { access: kitchenScreens, storeScoped: true, sample: () => ({ status: 200, stream: true }) },
  'GET /api/stores/{storeId}/pickup/live': { access: storeScreens, storeScoped: true, sample: () => ({ status: 200, stream: true }) },

  'GET /api/stores/{storeId}/kiosks/{kioskId}/live': {
    access: kiosks,
    storeScoped: true,
    // a kiosk reads its own screen's stream only (another kiosk of the store: kiosk-live.test.ts)
    sample: () => ({ params: { kioskId: world.kiosk.id }, status: 200, stream: true }),
  },

  // ---- speech (the kiosk's voice mode)
  'POST /api/stores/{storeId}/speech': {
    access: kiosks,
    storeScoped: true,
    sample: () => ({ body: { text: '안녕하세요', lang: 'ko', rate: 1 }, status: 200 }),
  },
  'PUT /api/stores/{storeId}/kiosks/{kioskId}/speech-status': {
    access: kiosks,
    storeScoped: true,
    // a kiosk reports its own status only (another kiosk of the store: speech.test.ts)
    sample: () => ({ params: { kioskId: world.kiosk.id }, body: { available: true }, status: 204 }),
  },

  // ---- staff calls
  'POST /api/stores/{storeId}/staff-calls': {
    access: kiosks,
    storeScoped: true,
    // a new call (201): an open one from the same kiosk would merge it (200)
    sample: async () => {
      await acknowledgeOpenStaffCalls();
      return { body: { reason: 'requested', mode: 'standard' }, status: 201 };
    },
  },
  'POST /api/stores/{storeId}/staff-calls/{callId}/acknowledge': {
    access: owners,
    storeScoped: true,
    sample: async () => {
      const called = await server.api('POST', `/api/stores/${world.owner.profile.store.id}/staff-calls`, {
        token: world.tokens.kiosk,
        body: { reason: 'stalled', mode: 'large' },
      });
      assert.ok(called.status === 201 || called.status === 200, JSON.stringify(called.body));
      return { params: { callId: called.body.id }, status: 200 };
    },
  },
  'GET /api/stores/{storeId}/staff-calls': { access: owners, storeScoped: true, sample: () => ({ status: 200 }) },
  'GET /api/stores/{storeId}/staff-calls/settings': { access: ['owner', 'kiosk'], storeScoped: true, sample: () => ({ status: 200 }) },
  'PUT /api/stores/{storeId}/staff-calls/settings': { access: owners, storeScoped: true, sample: () => ({ body: { stallAlertSeconds: 90 }, status: 200 }) },
};

/** the owner acknowledges the store's open staff calls, so that the kiosk's next one is new */
async function acknowledgeOpenStaffCalls(): Promise<void> {
  const storeId = world.owner.profile.store.id;
  const listed = await server.api('GET', `/api/stores/${storeId}/staff-calls`, { token: world.owner.accessToken });
  assert.equal(listed.status, 200, JSON.stringify(listed.body));
  for (const open of listed.body.calls.filter((each: { acknowledgedAt: string | null }) => each.acknowledgedAt === null)) {
    const done = await server.api('POST', `/api/stores/${storeId}/staff-calls/${open.id}/acknowledge`, { token: world.owner.accessToken });
    assert.equal(done.status, 200, JSON.stringify(done.body));
  }
}

// ---------------------------------------------------------------------------------------------

before(async () => {
  server = await startTestServer({ env: roomyLimits });
  const brand = await createBrand(server, 'Walk Coffee');
  const otherBrand = await createBrand(server, 'Other Walk Coffee');
  const owner = await signUp(server, 'owner', { brandCode: brand.code, storeName: 'Walk home' });
  const counselor = await signUp(server, 'counselor', { brandCode: brand.code });
  const neighbour = await signUp(server, 'owner', { brandCode: brand.code, storeName: 'Next door' });
  const foreigner = await signUp(server, 'owner', { brandCode: otherBrand.code, storeName: 'Abroad' });
  const resetCounselor = await signUp(server, 'counselor', { brandCode: brand.code });
  const kiosk = await provisionKiosk(owner, 'Walker');
  const targetKiosk = await provisionKiosk(owner, 'Target');
  const neighbourKiosk = await provisionKiosk(neighbour, 'Neighbour kiosk');
  const foreignKiosk = await provisionKiosk(foreigner, 'Foreign kiosk');
  const kioskLogin = async (credentials: { loginId: string; secret: string }) => {
    const response = await server.api('POST', '/api/auth/kiosk-login', { body: { loginId: credentials.loginId, secret: credentials.secret } });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body.accessToken as string;
  };
  const kioskSession = { body: { accessToken: await kioskLogin(kiosk) } };
  const screens = { kitchen: await provisionKiosk(owner, 'Kitchen', 'kitchen'), pickup: await provisionKiosk(owner, 'Pickup', 'pickup') };
  const screenTokens = async (of: SignedUp) => ({
    kitchen: await kioskLogin(await provisionKiosk(of, 'Kitchen', 'kitchen')),
    pickup: await kioskLogin(await provisionKiosk(of, 'Pickup', 'pickup')),
  });
  const revoked = await server.api('POST', '/api/auth/login', { body: { role: 'owner', email: owner.email, password: owner.password } });
  assert.equal((await server.api('POST', '/api/auth/logout', { token: revoked.body.accessToken })).status, 204);
  world = {
    brand,
    otherBrand,
    owner,
    counselor,
    kiosk,
    targetKiosk,
    neighbour,
    foreigner,
    resetCounselor,
    tokens: {
      owner: owner.accessToken,
      counselor: counselor.accessToken,
      kiosk: kioskSession.body.accessToken,
      kitchen: await kioskLogin(screens.kitchen),
      pickup: await kioskLogin(screens.pickup),
    },
    screens,
    neighbourScreenTokens: await screenTokens(neighbour),
    foreignScreenTokens: await screenTokens(foreigner),
    revokedToken: revoked.body.accessToken,
    neighbourKioskToken: await kioskLogin(neighbourKiosk),
    foreignKioskToken: await kioskLogin(foreignKiosk),
    category: { id: '' },
    item: { id: '' },
    order: { id: '' },
  };
  world.category = await createCategory();
  world.item = await createItem();
  world.order = await placeOrder();
});
after(() => server?.close());

/** "GET /api/x/{id}" for every /api route the running server has: documented, and in Fastify's tree */
async function liveRoutes(): Promise<{ documented: Set<string>; routed: Set<string> }> {
  const documented = new Set<string>();
  const document = await server.api('GET', '/openapi.json');
  assert.equal(document.status, 200);
  for (const [path, operations] of Object.entries(document.body.paths as Record<string, Record<string, unknown>>)) {
    if (!path.startsWith('/api/')) continue;
    for (const method of Object.keys(operations)) {
      // the document names the files wildcard {key} (a valid OpenAPI parameter); Fastify's tree says *
      if (['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'].includes(method))
        documented.add(`${method.toUpperCase()} ${path.replace(/^\/api\/files\/\{key\}$/, '/api/files/{*}')}`);
    }
  }
  // Fastify's own route tree also holds routes hidden from the document (schema.hide)
  const routed = new Set<string>();
  // the radix tree as Fastify prints it: a route's path is its nodes' segments joined
  const tree = server.app.http.printRoutes();
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    const path = stack
      .join('')
      .replace(/:([A-Za-z0-9_]+)/g, '{$1}')
      .replace(/\*$/, '{*}');
    if (!path.startsWith('/api/') || !match[3]) continue;
    for (const method of match[3].split(', ')) {
      // Fastify answers HEAD for every GET by itself; the walk sends HEAD along with GET
      if (method !== 'HEAD') routed.add(`${method} ${path}`);
    }
  }
  return { documented, routed };
}

test('every /api route of the running server is in the walk table, and every table entry is a live route', async () => {
  const { documented, routed } = await liveRoutes();
  // the two sources agree on what is documented (this also proves the route-tree reading works)
  assert.deepEqual(
    [...documented].filter((route) => !routed.has(route)),
    [],
    'documented routes not found in the route tree',
  );
  const live = new Set([...documented, ...routed]);
  const unwalked = [...live].filter((route) => !(route in routes));
  assert.deepEqual(unwalked, [], `routes missing from the authorization table in ${import.meta.url}: add them with their roles`);
  const unscoped = Object.entries(routes)
    .filter(([route, rule]) => route.includes('{storeId}') && !rule.storeScoped)
    .map(([route]) => route);
  assert.deepEqual(unscoped, [], 'routes naming a store must be walked as own-store-only (storeScoped: true)');
  const stale = Object.keys(routes).filter((route) => !live.has(route));
  assert.deepEqual(stale, [], 'table entries for routes the server does not have');
});

function fill(path: string, params: Record<string, string> = {}): string {
  const defaults: Record<string, string> = {
    storeId: world.owner.profile.store.id,
    kioskId: world.targetKiosk.id,
    code: world.brand.code,
    categoryId: world.category.id,
    itemId: world.item.id,
    orderId: world.order.id,
    customerId: '0f1e2d3c-4b5a-4697-8877-665544332211',
  };
  return path.replace(/\{([^}]+)\}/g, (_whole, name: string) => {
    const value = params[name] ?? defaults[name];
    if (value === undefined) throw new Error(`the walk has no value for path parameter {${name}} in ${path}: add one to fill()`);
    return encodeURIComponent(value);
  });
}

function call(method: string, path: string, sample: Sample, headers: Record<string, string> = {}, token?: string): Promise<ApiResponse> {
  const query = sample.query ? `?${new URLSearchParams(sample.query).toString()}` : '';
  return server.api(method, `${fill(path, sample.params)}${query}`, { body: sample.body, headers, token });
}

const policyCodes = ['authentication_required', 'invalid_token', 'token_expired', 'session_revoked', 'forbidden_role', 'forbidden_store'];

function assertRefused(response: ApiResponse, status: number, code: string, what: string): void {
  assert.equal(response.status, status, `${what}: expected ${status} ${code}, got ${response.status} ${JSON.stringify(response.body)}`);
  assert.equal(response.body?.error?.code, code, what);
  assert.equal(typeof response.body.error.message, 'string', what);
  assert.ok(response.headers.get('x-request-id'), `${what}: x-request-id`);
}

function assertLetThrough(response: ApiResponse, sample: Sample, what: string): void {
  assert.equal(response.status, sample.status, `${what}: expected ${sample.status}, got ${response.status} ${JSON.stringify(response.body)}`);
  const code = response.body?.error?.code;
  assert.ok(!policyCodes.includes(code), `${what}: refused by the access policy (${code})`);
  if (sample.code) assert.equal(code, sample.code, what);
}

/** every row of every table: what a refused call must not have changed */
async function snapshot(): Promise<string> {
  const db = server.app.database.db;
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const dump: Record<string, string[]> = {};
  for (const { name } of tables.rows) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
    dump[name] = rows.rows.map((row) => JSON.stringify(row)).sort();
  }
  return JSON.stringify(dump);
}

/** opens a server-sent event stream, checks its first answer, and hangs up */
async function openStream(method: string, path: string, sample: Sample, token: string): Promise<ApiResponse> {
  const query = sample.query ? `?${new URLSearchParams(sample.query).toString()}` : '';
  const abort = new AbortController();
  const response = await fetch(`${server.url}${fill(path, sample.params)}${query}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
    signal: abort.signal,
  });
  let body: unknown = null;
  if (response.status === 200) {
    assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
    const reader = response.body!.getReader();
    const first = await reader.read(); // the stream's opening lines
    body = new TextDecoder().decode(first.value);
    abort.abort();
    await reader.cancel().catch(() => undefined);
  } else {
    body = await response.json();
  }
  return { status: response.status, body, headers: response.headers };
}

/** callers of an allowed role that belong to another store: of the same brand, of another brand */
function outsiders(role: Role): Array<[string, string]> {
  switch (role) {
    case 'owner':
      return [
        ['the owner of another store of the brand', world.neighbour.accessToken],
        ['the owner of a store of another brand', world.foreigner.accessToken],
      ];
    case 'kiosk':
      return [
        ['a kiosk of another store of the brand', world.neighbourKioskToken],
        ['a kiosk of a store of another brand', world.foreignKioskToken],
      ];
    case 'counselor':
      return [['a counselor (who has no store)', world.counselor.accessToken]];
    case 'kitchen':
    case 'pickup':
      return [
        [`a ${role} screen of another store of the brand`, world.neighbourScreenTokens[role]],
        [`a ${role} screen of a store of another brand`, world.foreignScreenTokens[role]],
      ];
  }
}

for (const [route, rule] of Object.entries(routes)) {
  const [method, path] = route.split(' ') as [string, string];

  test(`walk: ${route} (${rule.access === 'public' ? 'public' : rule.access.join(', ')}${rule.storeScoped ? ', own store only' : ''})`, async () => {
    if (rule.access === 'public') {
      // works without a token, and a bad token does not get in the way
      const headerSets: Array<Record<string, string>> = [{}, { authorization: 'Bearer not-a-token' }];
      for (const headers of headerSets) {
        const sample = await rule.sample();
        assertLetThrough(await call(method, path, sample, headers), sample, `${route} ${JSON.stringify(headers)}`);
      }
      if (method === 'GET') {
        const sample = await rule.sample();
        const head = await call('HEAD', path, sample);
        assert.equal(head.status, sample.status, `HEAD ${path} without a token`);
      }
      return;
    }

    const allowed = rule.access;
    const sample = await rule.sample();
    const before = await snapshot();

    assertRefused(await call(method, path, sample), 401, 'authentication_required', `${route} without a token`);
    assertRefused(await call(method, path, sample, {}, 'not-a-token'), 401, 'invalid_token', `${route} with a bad token`);
    assertRefused(await call(method, path, sample, {}, world.revokedToken), 401, 'session_revoked', `${route} with a logged-out token`);
    if (method === 'GET') {
      const head = await call('HEAD', path, sample);
      assert.equal(head.status, 401, `HEAD ${path} without a token`);
    }
    for (const role of ROLES.filter((r) => !allowed.includes(r))) {
      assertRefused(await call(method, path, sample, {}, world.tokens[role]), 403, 'forbidden_role', `${route} as ${role}`);
    }
    if (rule.storeScoped) {
      for (const role of allowed) {
        for (const [who, token] of outsiders(role)) {
          assertRefused(await call(method, path, sample, {}, token), 403, 'forbidden_store', `${route} by ${who}`);
        }
      }
    }
    assert.equal(await snapshot(), before, `${route}: a refused call changed something`);

    for (const role of allowed) {
      const session = await freshSession(role);
      const letThrough = await rule.sample();
      const response = letThrough.stream
        ? await openStream(method, path, letThrough, session.accessToken)
        : await call(method, path, letThrough, {}, session.accessToken);
      assertLetThrough(response, letThrough, `${route} as ${role}`);
    }
  });
}
