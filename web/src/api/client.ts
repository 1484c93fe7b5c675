// A small typed client for the Pinokio API: JSON in and out, one session per role kept in
// localStorage, one refresh-and-retry when the access token has expired, and a trip to the login
// page when the session cannot be saved. Every request and answer type comes from the server's
// route schemas through openapi.d.ts (`npm run api-types` regenerates it), never a copy by hand.
import type { paths } from './openapi';

/** every role a session may have: a store's kitchen display and pickup board sign in like a kiosk */
export type SessionRole = TokenPair['role'];
/** the roles of the login page */
export type Role = Exclude<SessionRole, 'kitchen' | 'pickup'>;
export type AccountRole = Body<'/api/auth/login', 'post'>['role'];

export const roles: readonly Role[] = ['kiosk', 'owner', 'counselor'];

export function isRole(value: unknown): value is Role {
  return value === 'owner' || value === 'counselor' || value === 'kiosk';
}

/** Every failure: the HTTP status (0 when the server could not be reached) and the server's error. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

// ---- types of the requests and answers, from the route schemas ----

type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
/** the JSON a route answers with the status S */
export type Answer<P extends keyof paths, M extends Method, S extends number = 200> =
  Operation<P, M> extends { responses: infer R } ? (S extends keyof R ? Json<R[S]> : never) : never;
/** the JSON body a route takes */
type Body<P extends keyof paths, M extends Method> = Operation<P, M> extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;
/** the query parameters a route takes */
type Query<P extends keyof paths, M extends Method> = Operation<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export type TokenPair = Answer<'/api/auth/login', 'post'>;
export type Profile = Answer<'/api/me', 'get'>;
export type AccountProfile = Answer<'/api/accounts/owners', 'post', 201>;
export type KioskProfile = Extract<Profile, { role: 'kiosk' }>;
export type Kiosk = Answer<'/api/stores/{storeId}/kiosks/{kioskId}', 'patch'>;
export type ProvisionedKiosk = Answer<'/api/stores/{storeId}/kiosks', 'post', 201>;
export type StoreScreen = Answer<'/api/store-screen', 'get'>;
export type KitchenTicket = Answer<'/api/stores/{storeId}/kitchen/tickets/{orderId}/bump', 'post'>;
export type PickupEntry = Answer<'/api/stores/{storeId}/pickup', 'get'>['entries'][number];

// ---- sessions, one per role ----

const sessionKey = (role: SessionRole) => `pinokio.session.${role}`;

export const sessions = {
  get(role: SessionRole): TokenPair | undefined {
    try {
      const raw = localStorage.getItem(sessionKey(role));
      return raw ? (JSON.parse(raw) as TokenPair) : undefined;
    } catch {
      return undefined;
    }
  },
  set(role: SessionRole, pair: TokenPair): void {
    localStorage.setItem(sessionKey(role), JSON.stringify(pair));
  },
  clear(role: SessionRole): void {
    localStorage.removeItem(sessionKey(role));
  },
  has(role: SessionRole): boolean {
    return sessions.get(role) !== undefined;
  },
};

let onSessionLost: (role: SessionRole) => void = (role) => {
  window.location.assign(`/login?role=${role}`);
};

/** What to do when a session is over (the app navigates to /login?role=… with its router). */
export function setSessionLostHandler(handler: (role: SessionRole) => void): void {
  onSessionLost = handler;
}

// ---- the transport ----

interface RequestOptions {
  /** JSON, or FormData for an upload */
  body?: unknown;
  /** more request headers (e.g. Idempotency-Key) */
  headers?: Record<string, string>;
  /** send this role's access token (and refresh it once when it has expired) */
  role?: SessionRole;
  /** on a dead session, clear it but stay on the page (logout) */
  quietSessionLoss?: boolean;
}

async function send<T>(method: string, path: string, body: unknown, accessToken?: string, extraHeaders?: Record<string, string>): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
  // a FormData body (a photo upload) sets its own multipart content type with its boundary
  const form = typeof FormData !== 'undefined' && body instanceof FormData;
  if (body !== undefined && !form) headers['content-type'] = 'application/json';
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : form ? (body as FormData) : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'network_error', 'The server could not be reached.');
  }
  const text = await response.text();
  let parsed: unknown;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (response.ok) return parsed as T;
  const error = (parsed as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (error && typeof error.code === 'string') {
    const details = error.details && typeof error.details === 'object' ? (error.details as Record<string, unknown>) : undefined;
    throw new ApiError(response.status, error.code, typeof error.message === 'string' ? error.message : '', details);
  }
  throw new ApiError(response.status, response.status >= 500 ? 'internal_error' : 'unknown_error', text.slice(0, 200) || response.statusText);
}

const refreshing = new Map<SessionRole, Promise<boolean>>();

/**
 * Trades the role's refresh token for a new pair; true when the session lives on. One refresh at a
 * time per role, across tabs too (Web Locks where available): the old refresh token dies on use,
 * and a second use would close the session, so a tab that finds the tokens already renewed by
 * another simply takes them.
 */
function refreshSession(role: SessionRole, staleAccessToken: string): Promise<boolean> {
  const running = refreshing.get(role);
  if (running) return running;
  const run = async (): Promise<boolean> => {
    const current = sessions.get(role);
    if (!current) return false;
    if (current.accessToken !== staleAccessToken) return true;
    try {
      const pair = await send<TokenPair>('POST', '/api/auth/refresh', { refreshToken: current.refreshToken });
      sessions.set(role, pair);
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 0) throw error;
      return false;
    }
  };
  const locks = 'locks' in navigator ? navigator.locks : undefined;
  const attempt = (locks ? locks.request(`pinokio-refresh-${role}`, run).then((ok) => ok) : run()).finally(() => refreshing.delete(role));
  refreshing.set(role, attempt);
  return attempt;
}

function sessionOver(role: SessionRole, quiet: boolean | undefined): void {
  sessions.clear(role);
  if (!quiet) onSessionLost(role);
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const { body, role, headers } = options;
  if (!role) return send<T>(method, path, body, undefined, headers);
  const session = sessions.get(role);
  if (!session) {
    sessionOver(role, options.quietSessionLoss);
    throw new ApiError(401, 'authentication_required', 'Please log in first.');
  }
  try {
    return await send<T>(method, path, body, session.accessToken, headers);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    if (error.code === 'token_expired' && (await refreshSession(role, session.accessToken))) {
      const renewed = sessions.get(role);
      try {
        return await send<T>(method, path, body, renewed?.accessToken, headers);
      } catch (retryError) {
        if (retryError instanceof ApiError && retryError.status === 401) sessionOver(role, options.quietSessionLoss);
        throw retryError;
      }
    }
    sessionOver(role, options.quietSessionLoss);
    throw error;
  }
}

/**
 * An access token good for at least `marginSeconds` more (refreshed first when it is not), for
 * what cannot refresh on a 401 by itself: an EventSource URL. Undefined when the session is over
 * (the app has then been sent to the login page); throws ApiError(0) when the server is away.
 */
export async function freshAccessToken(role: SessionRole, marginSeconds = 30): Promise<string | undefined> {
  const session = sessions.get(role);
  if (!session) {
    sessionOver(role, false);
    return undefined;
  }
  const expiresAt = Date.parse(session.accessTokenExpiresAt);
  if (Number.isFinite(expiresAt) && expiresAt - Date.now() > marginSeconds * 1000) return session.accessToken;
  if (!(await refreshSession(role, session.accessToken))) {
    sessionOver(role, false);
    return undefined;
  }
  return sessions.get(role)?.accessToken;
}

// ---- catalog, menu, orders and sales ----

export type Category = Answer<'/api/stores/{storeId}/categories/{categoryId}', 'patch'>;
export type Item = Answer<'/api/stores/{storeId}/items/{itemId}', 'get'>;
export type OptionGroup = Item['optionGroups'][number];
export type ItemOption = OptionGroup['options'][number];
/** what adding an item takes; the fields left out get the server's defaults */
export type ItemInput = Body<'/api/stores/{storeId}/items', 'post'>;
export type OptionGroupInput = NonNullable<ItemInput['optionGroups']>[number];
export type Menu = Answer<'/api/stores/{storeId}/menu', 'get'>;
export type MenuItem = Menu['categories'][number]['items'][number];

export type Order = Answer<'/api/stores/{storeId}/orders/{orderId}', 'get'>;
export type OrderStatus = Order['status'];
export type PaymentMethod = Order['paymentMethod'];
export type OrderLine = Order['lines'][number];
export type OrderRequest = Body<'/api/stores/{storeId}/orders', 'post'>;
export type PlacedOrder = Answer<'/api/stores/{storeId}/orders', 'post', 201>;
export type OrderPage = Answer<'/api/stores/{storeId}/orders', 'get'>;

export type SalesPeriod = NonNullable<Query<'/api/stores/{storeId}/sales', 'get'>['period']>;
export type SalesBucket = Answer<'/api/stores/{storeId}/sales', 'get'>['buckets'][number];
export type BestSeller = Answer<'/api/stores/{storeId}/sales/best-sellers', 'get'>['items'][number];
export type Standing = Answer<'/api/stores/{storeId}/sales/standing', 'get'>;
export type DeviceSettings = Answer<'/api/stores/{storeId}/device-settings', 'get'>;
export type KioskDeviceSettings = Answer<'/api/stores/{storeId}/kiosks/{kioskId}/device-settings', 'get'>;
export type DeviceSettingOverrides = KioskDeviceSettings['overrides'];
export type Recommendations = Answer<'/api/stores/{storeId}/customers/{customerId}/recommendations', 'get'>;
export type StaffCall = Answer<'/api/stores/{storeId}/staff-calls/{callId}/acknowledge', 'post'>;
export type StaffCallRequest = Body<'/api/stores/{storeId}/staff-calls', 'post'>;
export type StaffCallSettings = Answer<'/api/stores/{storeId}/staff-calls/settings', 'get'>;
export type CounterPayment = Body<'/api/stores/{storeId}/orders/{orderId}/payments', 'post'>;
export type RefundRequest = Body<'/api/stores/{storeId}/orders/{orderId}/refunds', 'post'>;
export type PaymentSettings = Answer<'/api/stores/{storeId}/payment-settings', 'get'>;
export type Reconciliation = Answer<'/api/stores/{storeId}/reconciliation', 'get'>;
export type Refund = Answer<'/api/stores/{storeId}/orders/{orderId}/refunds', 'get'>['refunds'][number];
export type DigitalReceipt = Answer<'/api/receipts/{token}', 'get'>;
export type MobilePayment = Answer<'/api/mobile-payments/{paymentId}', 'get'>;
export type KioskOrderReceipt = Answer<'/api/stores/{storeId}/kiosk-orders/{orderId}/receipt', 'post'>;

// ---- the endpoints ----

const enc = encodeURIComponent;

export const api = {
  // sign-up
  sendEmailCode: (email: string) => request<Answer<'/api/email-codes', 'post', 202>>('POST', '/api/email-codes', { body: { email } }),
  verifyEmailCode: (email: string, code: string) =>
    request<Answer<'/api/email-codes/verify', 'post'>>('POST', '/api/email-codes/verify', { body: { email, code } }),
  brandByCode: (code: string) => request<Answer<'/api/brands/{code}', 'get'>>('GET', `/api/brands/${enc(code)}`),
  emailAvailable: (role: AccountRole, email: string) =>
    request<Answer<'/api/accounts/email-availability', 'get'>>('GET', `/api/accounts/email-availability?role=${role}&email=${enc(email)}`),
  /** `storeName` is for an owner only */
  signUp: (role: AccountRole, fields: Body<'/api/accounts/counselors', 'post'> & Partial<Body<'/api/accounts/owners', 'post'>>) =>
    request<AccountProfile>('POST', role === 'owner' ? '/api/accounts/owners' : '/api/accounts/counselors', { body: fields }),

  // sessions
  async login(role: AccountRole, email: string, password: string): Promise<TokenPair> {
    const pair = await request<TokenPair>('POST', '/api/auth/login', { body: { role, email, password } });
    sessions.set(role, pair);
    return pair;
  },
  async kioskLogin(loginId: string, secret: string): Promise<Answer<'/api/auth/kiosk-login', 'post'>> {
    const pair = await request<Answer<'/api/auth/kiosk-login', 'post'>>('POST', '/api/auth/kiosk-login', { body: { loginId, secret } });
    // a kitchen display or a pickup board signs in here too, as its own role
    sessions.set(pair.role, pair);
    return pair;
  },
  /** ends the session on the server if it can; the local session is gone either way */
  async logout(role: SessionRole): Promise<void> {
    try {
      await request<void>('POST', '/api/auth/logout', { role, quietSessionLoss: true });
    } catch {
      // already over, or the server is away: forgetting the tokens is what matters here
    } finally {
      sessions.clear(role);
    }
  },

  // my account
  me: <P extends Profile = Profile>(role: Role) => request<P>('GET', '/api/me', { role }),

  // a store's kitchen display and pickup board (or its owner on those pages)
  storeScreen: (role: SessionRole) => request<StoreScreen>('GET', '/api/store-screen', { role }),
  kitchenTickets: (role: SessionRole, storeId: string, station?: string) =>
    request<Answer<'/api/stores/{storeId}/kitchen/tickets', 'get'>>(
      'GET',
      `/api/stores/${enc(storeId)}/kitchen/tickets${station ? `?station=${enc(station)}` : ''}`,
      { role },
    ),
  bumpTicket: (role: SessionRole, storeId: string, orderId: string, from: 'placed' | 'preparing' | 'ready') =>
    request<KitchenTicket>('POST', `/api/stores/${enc(storeId)}/kitchen/tickets/${enc(orderId)}/bump`, { role, body: { from } }),
  pickupBoard: (role: SessionRole, storeId: string) =>
    request<Answer<'/api/stores/{storeId}/pickup', 'get'>>('GET', `/api/stores/${enc(storeId)}/pickup`, { role }),
  changePassword: (role: AccountRole, currentPassword: string, newPassword: string) =>
    request<void>('PUT', '/api/me/password', { role, body: { currentPassword, newPassword } }),
  async withdraw(role: AccountRole, password: string): Promise<void> {
    await request<void>('POST', '/api/me/withdraw', { role, body: { password } });
    sessions.clear(role);
  },
  requestPasswordReset: (role: AccountRole, email: string) => request<void>('POST', '/api/password-resets', { body: { role, email } }),
  confirmPasswordReset: (role: AccountRole, email: string, code: string, newPassword: string) =>
    request<void>('POST', '/api/password-resets/confirm', { body: { role, email, code, newPassword } }),

  // kiosks of a store
  listKiosks: (storeId: string) => request<Answer<'/api/stores/{storeId}/kiosks', 'get'>>('GET', `/api/stores/${enc(storeId)}/kiosks`, { role: 'owner' }),
  addKiosk: (storeId: string, name: string, kind: Kiosk['kind'] = 'kiosk') =>
    request<ProvisionedKiosk>('POST', `/api/stores/${enc(storeId)}/kiosks`, { role: 'owner', body: { name, kind } }),
  renameKiosk: (storeId: string, kioskId: string, name: string) =>
    request<Kiosk>('PATCH', `/api/stores/${enc(storeId)}/kiosks/${enc(kioskId)}`, { role: 'owner', body: { name } }),
  /** where the kiosk's screen is (both numbers, or both null): the low-position layout's band */
  setKioskScreen: (storeId: string, kioskId: string, screen: { screenHeightCm: number | null; screenBottomCm: number | null }) =>
    request<Kiosk>('PATCH', `/api/stores/${enc(storeId)}/kiosks/${enc(kioskId)}`, { role: 'owner', body: screen }),
  deleteKiosk: (storeId: string, kioskId: string) => request<void>('DELETE', `/api/stores/${enc(storeId)}/kiosks/${enc(kioskId)}`, { role: 'owner' }),

  // catalog (the owner)
  listCategories: (storeId: string) => request<Answer<'/api/stores/{storeId}/categories', 'get'>>('GET', `${store(storeId)}/categories`, { role: 'owner' }),
  addCategory: (storeId: string, name: string) => request<Category>('POST', `${store(storeId)}/categories`, { role: 'owner', body: { name } }),
  renameCategory: (storeId: string, categoryId: string, name: string) =>
    request<Category>('PATCH', `${store(storeId)}/categories/${enc(categoryId)}`, { role: 'owner', body: { name } }),
  deleteCategory: (storeId: string, categoryId: string) => request<void>('DELETE', `${store(storeId)}/categories/${enc(categoryId)}`, { role: 'owner' }),
  reorderCategories: (storeId: string, categoryIds: string[]) =>
    request<Answer<'/api/stores/{storeId}/categories/order', 'put'>>('PUT', `${store(storeId)}/categories/order`, { role: 'owner', body: { categoryIds } }),
  listItems: (storeId: string, filter: { q?: string; categoryId?: string } = {}) =>
    request<Answer<'/api/stores/{storeId}/items', 'get'>>('GET', `${store(storeId)}/items${query({ q: filter.q, categoryId: filter.categoryId })}`, {
      role: 'owner',
    }),
  addItem: (storeId: string, input: ItemInput) => request<Item>('POST', `${store(storeId)}/items`, { role: 'owner', body: input }),
  updateItem: (storeId: string, itemId: string, patch: Partial<ItemInput>) =>
    request<Item>('PATCH', `${store(storeId)}/items/${enc(itemId)}`, { role: 'owner', body: patch }),
  deleteItem: (storeId: string, itemId: string) => request<void>('DELETE', `${store(storeId)}/items/${enc(itemId)}`, { role: 'owner' }),
  setItemPhoto: (storeId: string, itemId: string, photo: Blob, fileName = 'photo') => {
    const form = new FormData();
    form.append('photo', photo, fileName);
    return request<Item>('PUT', `${store(storeId)}/items/${enc(itemId)}/photo`, { role: 'owner', body: form });
  },
  removeItemPhoto: (storeId: string, itemId: string) => request<Item>('DELETE', `${store(storeId)}/items/${enc(itemId)}/photo`, { role: 'owner' }),

  // the kiosk's menu (its owner may read it too)
  menu: (storeId: string, role: 'kiosk' | 'owner' = 'kiosk') => request<Menu>('GET', `${store(storeId)}/menu`, { role }),

  // orders
  placeOrder: (storeId: string, order: OrderRequest, idempotencyKey: string) =>
    request<PlacedOrder>('POST', `${store(storeId)}/orders`, { role: 'kiosk', body: order, headers: { 'idempotency-key': idempotencyKey } }),
  listOrders: (
    storeId: string,
    filter: { from: string; to: string; statuses?: OrderStatus[]; paymentStatuses?: Order['payment']['status'][]; page?: number; pageSize?: number },
  ) =>
    request<OrderPage>(
      'GET',
      `${store(storeId)}/orders${query({
        from: filter.from,
        to: filter.to,
        status: filter.statuses,
        paymentStatus: filter.paymentStatuses,
        page: filter.page,
        pageSize: filter.pageSize,
      })}`,
      { role: 'owner' },
    ),
  firstOrderDate: (storeId: string) =>
    request<Answer<'/api/stores/{storeId}/orders/first-date', 'get'>>('GET', `${store(storeId)}/orders/first-date`, { role: 'owner' }),
  getOrder: (storeId: string, orderId: string) => request<Order>('GET', `${store(storeId)}/orders/${enc(orderId)}`, { role: 'owner' }),
  advanceOrder: (storeId: string, orderId: string, status: Body<'/api/stores/{storeId}/orders/{orderId}/status', 'post'>['status']) =>
    request<Order>('POST', `${store(storeId)}/orders/${enc(orderId)}/status`, { role: 'owner', body: { status } }),
  cancelOrder: (storeId: string, orderId: string, reason: string) =>
    request<Order>('POST', `${store(storeId)}/orders/${enc(orderId)}/cancel`, { role: 'owner', body: { reason } }),
  /** the address of the live order stream; EventSource cannot send headers, so the token rides in the query */
  /** the live order stream, for api/useLiveEvents.ts (which adds the access token) */
  liveOrdersPath: (storeId: string) => `${store(storeId)}/orders/live`,
  recommendations: (storeId: string, customerId: string) =>
    request<Recommendations>('GET', `${store(storeId)}/customers/${enc(customerId)}/recommendations`, { role: 'kiosk' }),

  // staff calls: the kiosk calls, the owner acknowledges and lists them (live ones come on liveOrdersPath)
  callStaff: (storeId: string, body: StaffCallRequest) => request<StaffCall>('POST', `${store(storeId)}/staff-calls`, { role: 'kiosk', body }),
  acknowledgeStaffCall: (storeId: string, callId: string) =>
    request<StaffCall>('POST', `${store(storeId)}/staff-calls/${enc(callId)}/acknowledge`, { role: 'owner' }),
  staffCalls: (storeId: string, date?: string) =>
    request<Answer<'/api/stores/{storeId}/staff-calls', 'get'>>('GET', `${store(storeId)}/staff-calls${query({ date })}`, { role: 'owner' }),
  staffCallSettings: (storeId: string, role: 'owner' | 'kiosk') => request<StaffCallSettings>('GET', `${store(storeId)}/staff-calls/settings`, { role }),
  saveStaffCallSettings: (storeId: string, settings: StaffCallSettings) =>
    request<StaffCallSettings>('PUT', `${store(storeId)}/staff-calls/settings`, { role: 'owner', body: settings }),
  /** the kiosk's own live stream (acknowledgements of its staff calls), for api/useLiveEvents.ts */
  kioskLivePath: (storeId: string, kioskId: string) => `${store(storeId)}/kiosks/${enc(kioskId)}/live`,

  // payments at the counter, refunds, receipts and reconciliation (the owner's POS); one
  // Idempotency-Key per dialog, so that a retried request pays or refunds once
  takePayment: (storeId: string, orderId: string, payment: CounterPayment, idempotencyKey: string) =>
    request<Order>('POST', `${store(storeId)}/orders/${enc(orderId)}/payments`, {
      role: 'owner',
      body: payment,
      headers: { 'idempotency-key': idempotencyKey },
    }),
  /** the order as it is now and the refund (the same one again for a retried key) */
  refundOrder: (storeId: string, orderId: string, refund: RefundRequest, idempotencyKey: string) =>
    request<Answer<'/api/stores/{storeId}/orders/{orderId}/refunds', 'post', 201>>('POST', `${store(storeId)}/orders/${enc(orderId)}/refunds`, {
      role: 'owner',
      body: refund,
      headers: { 'idempotency-key': idempotencyKey },
    }),
  refunds: (storeId: string, orderId: string) =>
    request<Answer<'/api/stores/{storeId}/orders/{orderId}/refunds', 'get'>>('GET', `${store(storeId)}/orders/${enc(orderId)}/refunds`, { role: 'owner' }),
  /** the receipt again on the printer of the kiosk that took the order */
  reprintReceipt: (storeId: string, orderId: string) =>
    request<Answer<'/api/stores/{storeId}/orders/{orderId}/receipt-prints', 'post', 202>>('POST', `${store(storeId)}/orders/${enc(orderId)}/receipt-prints`, {
      role: 'owner',
      body: {},
    }),
  paymentSettings: (storeId: string) => request<PaymentSettings>('GET', `${store(storeId)}/payment-settings`, { role: 'owner' }),
  savePaymentSettings: (storeId: string, settings: PaymentSettings) =>
    request<PaymentSettings>('PUT', `${store(storeId)}/payment-settings`, { role: 'owner', body: settings }),
  /** ApiError 404 `not_reconciled` when that day has not been reconciled yet */
  reconciliation: (storeId: string, date: string) => request<Reconciliation>('GET', `${store(storeId)}/reconciliation${query({ date })}`, { role: 'owner' }),
  runReconciliation: (storeId: string, date: string) => request<Reconciliation>('POST', `${store(storeId)}/reconciliation`, { role: 'owner', body: { date } }),

  // sales
  sales: (storeId: string, from: string, to: string, period: SalesPeriod) =>
    request<Answer<'/api/stores/{storeId}/sales', 'get'>>('GET', `${store(storeId)}/sales${query({ from, to, period })}`, { role: 'owner' }),
  bestSellers: (storeId: string, from: string, to: string, limit = 10) =>
    request<Answer<'/api/stores/{storeId}/sales/best-sellers', 'get'>>('GET', `${store(storeId)}/sales/best-sellers${query({ from, to, limit })}`, {
      role: 'owner',
    }),
  standing: (storeId: string) => request<Standing>('GET', `${store(storeId)}/sales/standing`, { role: 'owner' }),

  // the store's kiosk devices
  deviceSettings: (storeId: string) => request<DeviceSettings>('GET', `${store(storeId)}/device-settings`, { role: 'owner' }),
  saveDeviceSettings: (storeId: string, settings: DeviceSettings) =>
    request<DeviceSettings>('PUT', `${store(storeId)}/device-settings`, { role: 'owner', body: settings }),
  kioskDeviceSettings: (storeId: string, kioskId: string) =>
    request<KioskDeviceSettings>('GET', `${store(storeId)}/kiosks/${enc(kioskId)}/device-settings`, { role: 'owner' }),
  saveKioskDeviceSettings: (storeId: string, kioskId: string, overrides: DeviceSettingOverrides) =>
    request<KioskDeviceSettings>('PUT', `${store(storeId)}/kiosks/${enc(kioskId)}/device-settings`, { role: 'owner', body: overrides }),
  clearKioskDeviceSettings: (storeId: string, kioskId: string) =>
    request<KioskDeviceSettings>('DELETE', `${store(storeId)}/kiosks/${enc(kioskId)}/device-settings`, { role: 'owner' }),

  // speech synthesized on the server (the kiosk's voice mode when the browser has no voice)
  /** WAV audio of the text; ApiError 503 `speech_unavailable` when the server's engine fails */
  async synthesizeSpeech(storeId: string, body: { text: string; lang: 'ko' | 'en'; rate: number }): Promise<Blob> {
    const accessToken = await freshAccessToken('kiosk');
    if (!accessToken) throw new ApiError(401, 'authentication_required', 'Please log in first.');
    let response: Response;
    try {
      response = await fetch(`${store(storeId)}/speech`, {
        method: 'POST',
        headers: { accept: 'audio/wav', 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        body: JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'network_error', 'The server could not be reached.');
    }
    if (response.ok) return response.blob();
    throw await errorOf(response);
  },
  /** the kiosk says whether it can speak (the POS's kiosk list shows the ones that cannot) */
  reportSpeechStatus: (storeId: string, kioskId: string, available: boolean): Promise<void> =>
    request<void>('PUT', `${store(storeId)}/kiosks/${enc(kioskId)}/speech-status`, { role: 'kiosk', body: { available } }),
  /** the digital receipt behind a receipt QR code (public: the token is the key) */
  digitalReceipt: (token: string) => request<DigitalReceipt>('GET', `/api/receipts/${enc(token)}`),
  /** the phone's checkout page (public: the payment id in the kiosk's QR code is the key) */
  mobilePayment: (paymentId: string) => request<MobilePayment>('GET', `/api/mobile-payments/${enc(paymentId)}`),
  confirmMobilePayment: (paymentId: string, body: Body<'/api/mobile-payments/{paymentId}/confirmation', 'post'>) =>
    request<MobilePayment>('POST', `/api/mobile-payments/${enc(paymentId)}/confirmation`, { body }),
  failMobilePayment: (paymentId: string, body: Body<'/api/mobile-payments/{paymentId}/failure', 'post'>) =>
    request<MobilePayment>('POST', `/api/mobile-payments/${enc(paymentId)}/failure`, { body }),
  /** the kiosk's own order's receipt link; its paper receipt (a counter order's ticket) prints on this kiosk the first time */
  kioskOrderReceipt: (storeId: string, orderId: string) =>
    request<KioskOrderReceipt>('POST', `${store(storeId)}/kiosk-orders/${enc(orderId)}/receipt`, { role: 'kiosk' }),
};

/** the ApiError of a failed answer that is not read as JSON on success (audio) */
async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let error: { code?: unknown; message?: unknown } | undefined;
  try {
    error = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
  } catch {
    error = undefined;
  }
  if (error && typeof error.code === 'string') return new ApiError(response.status, error.code, typeof error.message === 'string' ? error.message : '');
  return new ApiError(response.status, response.status >= 500 ? 'internal_error' : 'unknown_error', text.slice(0, 200) || response.statusText);
}

function store(storeId: string): string {
  return `/api/stores/${enc(storeId)}`;
}

/** "?a=1&b=x&b=y" from the defined values (arrays repeat the key); "" when there are none */
function query(values: Record<string, string | number | readonly string[] | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) for (const each of value) params.append(key, each);
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
