// A small typed client for the Pinokio API: JSON in and out, one session per role kept in
// localStorage, one refresh-and-retry when the access token has expired, and a trip to the login
// page when the session cannot be saved.

export type Role = 'owner' | 'counselor' | 'kiosk';
export type AccountRole = 'owner' | 'counselor';

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

// ---- types of the answers ----

export interface TokenPair {
  role: Role;
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
}

export interface AccountProfile {
  role: AccountRole;
  id: string;
  email: string;
  displayName: string;
  brand: { id: string; name: string; code: string };
  store: { id: string; name: string; timeZone: string } | null;
  createdAt: string;
}

export interface KioskProfile {
  role: 'kiosk';
  id: string;
  name: string;
  loginId: string;
  brand: { id: string; name: string };
  store: { id: string; name: string };
}

export type Profile = AccountProfile | KioskProfile;

export interface Kiosk {
  id: string;
  storeId: string;
  name: string;
  loginId: string;
  createdAt: string;
}

export interface ProvisionedKiosk {
  kiosk: Kiosk;
  credentials: { loginId: string; secret: string };
}

// ---- sessions, one per role ----

const sessionKey = (role: Role) => `pinokio.session.${role}`;

export const sessions = {
  get(role: Role): TokenPair | undefined {
    try {
      const raw = localStorage.getItem(sessionKey(role));
      return raw ? (JSON.parse(raw) as TokenPair) : undefined;
    } catch {
      return undefined;
    }
  },
  set(role: Role, pair: TokenPair): void {
    localStorage.setItem(sessionKey(role), JSON.stringify(pair));
  },
  clear(role: Role): void {
    localStorage.removeItem(sessionKey(role));
  },
  has(role: Role): boolean {
    return sessions.get(role) !== undefined;
  },
};

let onSessionLost: (role: Role) => void = (role) => {
  window.location.assign(`/login?role=${role}`);
};

/** What to do when a session is over (the app navigates to /login?role=… with its router). */
export function setSessionLostHandler(handler: (role: Role) => void): void {
  onSessionLost = handler;
}

// ---- the transport ----

interface RequestOptions {
  /** JSON, or FormData for an upload */
  body?: unknown;
  /** more request headers (e.g. Idempotency-Key) */
  headers?: Record<string, string>;
  /** send this role's access token (and refresh it once when it has expired) */
  role?: Role;
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
  let parsed: unknown = undefined;
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

const refreshing = new Map<Role, Promise<boolean>>();

/**
 * Trades the role's refresh token for a new pair; true when the session lives on. One refresh at a
 * time per role, across tabs too (Web Locks where available): the old refresh token dies on use,
 * and a second use would close the session, so a tab that finds the tokens already renewed by
 * another simply takes them.
 */
function refreshSession(role: Role, staleAccessToken: string): Promise<boolean> {
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

function sessionOver(role: Role, quiet: boolean | undefined): void {
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
export async function freshAccessToken(role: Role, marginSeconds = 30): Promise<string | undefined> {
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

export interface Category {
  id: string;
  name: string;
  position: number;
  itemCount: number;
}

export interface ItemOption {
  id: string;
  name: string;
  priceDelta: number;
}

export interface OptionGroup {
  id: string;
  name: string;
  kind: 'single' | 'multiple';
  required: boolean;
  options: ItemOption[];
}

export interface Item {
  id: string;
  categoryId: string;
  name: string;
  description: string;
  price: number;
  stock: number | null;
  shownOnKiosk: boolean;
  soldOut: boolean;
  hasPhoto: boolean;
  imageUrl: string;
  thumbUrl: string;
  optionGroups: OptionGroup[];
  createdAt: string;
  updatedAt: string;
}

export interface OptionGroupInput {
  name: string;
  kind: 'single' | 'multiple';
  required: boolean;
  options: Array<{ name: string; priceDelta: number }>;
}

export interface ItemInput {
  categoryId: string;
  name: string;
  description: string;
  price: number;
  stock: number | null;
  shownOnKiosk: boolean;
  soldOut: boolean;
  optionGroups: OptionGroupInput[];
}

export interface MenuItem {
  id: string;
  name: string;
  description: string;
  price: number;
  stock: number | null;
  soldOut: boolean;
  imageUrl: string;
  thumbUrl: string;
  optionGroups: OptionGroup[];
}

export interface Menu {
  categories: Array<{ id: string; name: string; items: MenuItem[] }>;
}

export type OrderStatus = 'placed' | 'preparing' | 'ready' | 'completed' | 'cancelled';
export type PaymentMethod = 'card' | 'mobile' | 'counter';

export interface OrderLine {
  itemId: string;
  itemName: string;
  unitPrice: number;
  quantity: number;
  options: Array<{ group: string; name: string; priceDelta: number }>;
  lineTotal: number;
}

export interface Order {
  id: string;
  storeId: string;
  kioskId: string | null;
  customerId: string | null;
  number: number;
  localDate: string;
  status: OrderStatus;
  paymentMethod: PaymentMethod;
  total: number;
  cancelReason: string | null;
  createdAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  lines: OrderLine[];
}

export interface OrderRequest {
  lines: Array<{ itemId: string; quantity: number; optionIds?: string[] }>;
  paymentMethod: PaymentMethod;
  customerId?: string;
  expectedTotal?: number;
}

export interface PlacedOrder {
  order: Order;
  payment: { status: string };
}

export interface OrderPage {
  orders: Order[];
  total: number;
  page: number;
  pageSize: number;
}

export type SalesPeriod = 'day' | 'week' | 'month' | 'year';

export interface SalesBucket {
  start: string;
  orderCount: number;
  total: number;
}

export interface BestSeller {
  itemId: string;
  name: string;
  quantity: number;
  total: number;
}

export interface Standing {
  days: number;
  from: string;
  to: string;
  storeTotal: number;
  brandTotal: number;
  brandAverage: number;
  storeCount: number;
  rank: number;
}

export interface Recommendations {
  topItems: Array<{ itemId: string; name: string; quantity: number }>;
  lastOrder: Order | null;
}

// ---- the endpoints ----

const enc = encodeURIComponent;

export const api = {
  // sign-up
  sendEmailCode: (email: string) =>
    request<{ expiresInSeconds: number; resendAfterSeconds: number }>('POST', '/api/email-codes', { body: { email } }),
  verifyEmailCode: (email: string, code: string) =>
    request<{ verificationToken: string; expiresInSeconds: number }>('POST', '/api/email-codes/verify', { body: { email, code } }),
  brandByCode: (code: string) => request<{ name: string; code: string }>('GET', `/api/brands/${enc(code)}`),
  emailAvailable: (role: AccountRole, email: string) =>
    request<{ available: boolean }>('GET', `/api/accounts/email-availability?role=${role}&email=${enc(email)}`),
  signUp: (
    role: AccountRole,
    fields: { email: string; password: string; brandCode: string; storeName?: string; displayName?: string; verificationToken: string },
  ) => request<AccountProfile>('POST', role === 'owner' ? '/api/accounts/owners' : '/api/accounts/counselors', { body: fields }),

  // sessions
  async login(role: AccountRole, email: string, password: string): Promise<TokenPair> {
    const pair = await request<TokenPair>('POST', '/api/auth/login', { body: { role, email, password } });
    sessions.set(role, pair);
    return pair;
  },
  async kioskLogin(loginId: string, secret: string): Promise<TokenPair & { kioskId: string }> {
    const pair = await request<TokenPair & { kioskId: string }>('POST', '/api/auth/kiosk-login', { body: { loginId, secret } });
    sessions.set('kiosk', pair);
    return pair;
  },
  /** ends the session on the server if it can; the local session is gone either way */
  async logout(role: Role): Promise<void> {
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
  changePassword: (role: AccountRole, currentPassword: string, newPassword: string) =>
    request<void>('PUT', '/api/me/password', { role, body: { currentPassword, newPassword } }),
  async withdraw(role: AccountRole, password: string): Promise<void> {
    await request<void>('POST', '/api/me/withdraw', { role, body: { password } });
    sessions.clear(role);
  },
  requestPasswordReset: (role: AccountRole, email: string) =>
    request<void>('POST', '/api/password-resets', { body: { role, email } }),
  confirmPasswordReset: (role: AccountRole, email: string, code: string, newPassword: string) =>
    request<void>('POST', '/api/password-resets/confirm', { body: { role, email, code, newPassword } }),

  // kiosks of a store
  listKiosks: (storeId: string) => request<{ kiosks: Kiosk[] }>('GET', `/api/stores/${enc(storeId)}/kiosks`, { role: 'owner' }),
  addKiosk: (storeId: string, name: string) =>
    request<ProvisionedKiosk>('POST', `/api/stores/${enc(storeId)}/kiosks`, { role: 'owner', body: { name } }),
  renameKiosk: (storeId: string, kioskId: string, name: string) =>
    request<Kiosk>('PATCH', `/api/stores/${enc(storeId)}/kiosks/${enc(kioskId)}`, { role: 'owner', body: { name } }),
  deleteKiosk: (storeId: string, kioskId: string) =>
    request<void>('DELETE', `/api/stores/${enc(storeId)}/kiosks/${enc(kioskId)}`, { role: 'owner' }),

  // catalog (the owner)
  listCategories: (storeId: string) => request<{ categories: Category[] }>('GET', `${store(storeId)}/categories`, { role: 'owner' }),
  addCategory: (storeId: string, name: string) => request<Category>('POST', `${store(storeId)}/categories`, { role: 'owner', body: { name } }),
  renameCategory: (storeId: string, categoryId: string, name: string) =>
    request<Category>('PATCH', `${store(storeId)}/categories/${enc(categoryId)}`, { role: 'owner', body: { name } }),
  deleteCategory: (storeId: string, categoryId: string) =>
    request<void>('DELETE', `${store(storeId)}/categories/${enc(categoryId)}`, { role: 'owner' }),
  reorderCategories: (storeId: string, categoryIds: string[]) =>
    request<{ categories: Category[] }>('PUT', `${store(storeId)}/categories/order`, { role: 'owner', body: { categoryIds } }),
  listItems: (storeId: string, filter: { q?: string; categoryId?: string } = {}) =>
    request<{ items: Item[] }>('GET', `${store(storeId)}/items${query({ q: filter.q, categoryId: filter.categoryId })}`, { role: 'owner' }),
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
  listOrders: (storeId: string, filter: { from: string; to: string; statuses?: OrderStatus[]; page?: number; pageSize?: number }) =>
    request<OrderPage>(
      'GET',
      `${store(storeId)}/orders${query({ from: filter.from, to: filter.to, status: filter.statuses, page: filter.page, pageSize: filter.pageSize })}`,
      { role: 'owner' },
    ),
  firstOrderDate: (storeId: string) => request<{ firstDate: string | null }>('GET', `${store(storeId)}/orders/first-date`, { role: 'owner' }),
  getOrder: (storeId: string, orderId: string) => request<Order>('GET', `${store(storeId)}/orders/${enc(orderId)}`, { role: 'owner' }),
  advanceOrder: (storeId: string, orderId: string, status: 'preparing' | 'ready' | 'completed') =>
    request<Order>('POST', `${store(storeId)}/orders/${enc(orderId)}/status`, { role: 'owner', body: { status } }),
  cancelOrder: (storeId: string, orderId: string, reason: string) =>
    request<Order>('POST', `${store(storeId)}/orders/${enc(orderId)}/cancel`, { role: 'owner', body: { reason } }),
  /** the address of the live order stream; EventSource cannot send headers, so the token rides in the query */
  /** the live order stream, for api/useLiveEvents.ts (which adds the access token) */
  liveOrdersPath: (storeId: string) => `${store(storeId)}/orders/live`,
  recommendations: (storeId: string, customerId: string) =>
    request<Recommendations>('GET', `${store(storeId)}/customers/${enc(customerId)}/recommendations`, { role: 'kiosk' }),

  // sales
  sales: (storeId: string, from: string, to: string, period: SalesPeriod) =>
    request<{ period: SalesPeriod; buckets: SalesBucket[] }>('GET', `${store(storeId)}/sales${query({ from, to, period })}`, { role: 'owner' }),
  bestSellers: (storeId: string, from: string, to: string, limit = 10) =>
    request<{ items: BestSeller[] }>('GET', `${store(storeId)}/sales/best-sellers${query({ from, to, limit })}`, { role: 'owner' }),
  standing: (storeId: string) => request<Standing>('GET', `${store(storeId)}/sales/standing`, { role: 'owner' }),
};

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
