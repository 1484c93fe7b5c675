// THE AUTHORIZATION WALK. Every /api route of the running server (from its OpenAPI document and
// its route table) must be listed in `routes` below with who may call it. For each route the walk
// checks the refusals: no token, a bad token, a revoked token -> 401; each role the route does
// not allow -> 403 forbidden_role; for a route under /api/stores/{storeId}, an owner of another
// store (same brand, other brand) -> 403 forbidden_store; and that no refusal changed anything.
// Then it checks that each allowed role really gets through, and that public routes work
// without a token (and ignore a bad one). A route missing from the table fails the walk.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
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

type Role = 'owner' | 'counselor' | 'kiosk';
const ROLES: readonly Role[] = ['owner', 'counselor', 'kiosk'];

interface Sample {
  /** values for path parameters that differ from the defaults */
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** what the call answers when it is let through */
  status: number;
  /** the error code, when the let-through call still ends in an error the route itself gives */
  code?: string;
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
}

let server: TestServer;
let world: World;

async function provisionKiosk(owner: SignedUp, name: string): Promise<{ id: string; loginId: string; secret: string }> {
  const response = await server.api('POST', `/api/stores/${owner.profile.store.id}/kiosks`, { token: owner.accessToken, body: { name } });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return { id: response.body.kiosk.id, ...response.body.credentials };
}

/** a new session for a role: a fresh access token, so that a let-through logout ends nothing else */
async function freshSession(role: Role): Promise<{ accessToken: string; refreshToken: string }> {
  const response =
    role === 'kiosk'
      ? await server.api('POST', '/api/auth/kiosk-login', { body: { loginId: world.kiosk.loginId, secret: world.kiosk.secret } })
      : await server.api('POST', '/api/auth/login', {
          body: { role, email: world[role].email, password: world[role].password },
        });
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

// ---------------------------------------------------------------------------------------------
// The table: every /api route, who may call it, and a request it accepts.
// ---------------------------------------------------------------------------------------------
const everyone = 'public' as const;
const signedIn: readonly Role[] = ['owner', 'counselor', 'kiosk'];
const people: readonly Role[] = ['owner', 'counselor'];
const owners: readonly Role[] = ['owner'];

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
  'POST /api/auth/logout': { access: signedIn, sample: () => ({ status: 204 }) },
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
};

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
  // kiosks elsewhere too, so that "nothing changed" has something to watch
  await provisionKiosk(neighbour, 'Neighbour kiosk');
  await provisionKiosk(foreigner, 'Foreign kiosk');
  const kioskSession = await server.api('POST', '/api/auth/kiosk-login', { body: { loginId: kiosk.loginId, secret: kiosk.secret } });
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
    tokens: { owner: owner.accessToken, counselor: counselor.accessToken, kiosk: kioskSession.body.accessToken },
    revokedToken: revoked.body.accessToken,
  };
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
      if (['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'].includes(method)) documented.add(`${method.toUpperCase()} ${path}`);
    }
  }
  // Fastify's own route tree also holds routes hidden from the document (schema.hide)
  const routed = new Set<string>();
  const tree = server.app.http.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    const path = stack.join('').replace(/:([A-Za-z0-9_]+)/g, '{$1}');
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
  assert.deepEqual([...documented].filter((route) => !routed.has(route)), [], 'documented routes not found in the route tree');
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

/** what a refused call must not have changed: every store's kiosks, every account and session */
async function snapshot(): Promise<string> {
  const db = server.app.database.db;
  const [kiosks, accounts, sessions, stores] = await Promise.all([
    db.selectFrom('kiosks').select(['id', 'store_id', 'name', 'deleted_at']).orderBy('id').execute(),
    db.selectFrom('accounts').select(['id', 'email', 'password_hash', 'withdrawn_at']).orderBy('id').execute(),
    db.selectFrom('sessions').select(['id', 'revoked_at']).orderBy('id').execute(),
    db.selectFrom('stores').select(['id', 'name', 'closed_at']).orderBy('id').execute(),
  ]);
  return JSON.stringify({ kiosks, accounts, sessions, stores });
}

for (const [route, rule] of Object.entries(routes)) {
  const [method, path] = route.split(' ') as [string, string];

  test(`walk: ${route} (${rule.access === 'public' ? 'public' : rule.access.join(', ')}${rule.storeScoped ? ', own store only' : ''})`, async () => {
    if (rule.access === 'public') {
      // works without a token, and a bad token does not get in the way
      for (const headers of [{}, { authorization: 'Bearer not-a-token' }]) {
        const sample = await rule.sample();
        assertLetThrough(await call(method, path, sample, headers), sample, `${route} ${JSON.stringify(headers)}`);
      }
      if (method === 'GET') {
        const head = await call('HEAD', path, await rule.sample());
        assert.ok(head.status < 400, `HEAD ${path} without a token: ${head.status}`);
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
      assertRefused(await call(method, path, sample, {}, world.neighbour.accessToken), 403, 'forbidden_store', `${route} by the owner of another store of the brand`);
      assertRefused(await call(method, path, sample, {}, world.foreigner.accessToken), 403, 'forbidden_store', `${route} by the owner of a store of another brand`);
    }
    assert.equal(await snapshot(), before, `${route}: a refused call changed something`);

    for (const role of allowed) {
      const session = await freshSession(role);
      const letThrough = await rule.sample();
      assertLetThrough(await call(method, path, letThrough, {}, session.accessToken), letThrough, `${route} as ${role}`);
    }
  });
}
