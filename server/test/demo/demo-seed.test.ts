// The demo data of a first start: added once however many instances start together on an empty
// database, and its sales figures are the ones `pinokio rebuild-sales` computes from its orders.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { DEMO_PASSWORD, seedDemo } from '../../src/modules/demo/demo-seed.js';
import { createPostgresDatabase, startTestServer, usingServers, type TestServer } from '../support/test-server.js';

const DEMO_STORES = 6;
// owners, kiosks, counselors, and a kitchen screen and a pickup board in each brand's first store
const DEMO_ACCOUNTS = 33;

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server?.close());

function seed(target: TestServer) {
  const { catalog, passwords, customers } = target.app.services;
  return seedDemo({ db: target.app.database.db, passwords, catalog, customers });
}

async function ownerSales(target: { api: TestServer['api'] }, email: string) {
  const login = await target.api('POST', '/api/auth/login', { body: { role: 'owner', email, password: DEMO_PASSWORD } });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  const me = await target.api('GET', '/api/me', { token: login.body.accessToken });
  const storeId = me.body.store.id as string;
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const range = `from=${day(-800)}&to=${day(2)}`;
  const series = await target.api('GET', `/api/stores/${storeId}/sales?${range}&period=month`, { token: login.body.accessToken });
  const best = await target.api('GET', `/api/stores/${storeId}/sales/best-sellers?${range}&limit=50`, { token: login.body.accessToken });
  assert.equal(series.status, 200, JSON.stringify(series.body));
  assert.equal(best.status, 200, JSON.stringify(best.body));
  return {
    series: series.body as {
      buckets: Array<{ orderCount: number; total: number; eatInCount: number; eatInTotal: number; takeOutCount: number; takeOutTotal: number }>;
    },
    best: best.body,
  };
}

test('seeding twice at once adds the demo once, and its sales figures are what rebuild-sales computes', { timeout: 600_000 }, async () => {
  const results = await Promise.all([seed(server), seed(server)]);
  assert.deepEqual(
    results.map((accounts) => accounts.length).sort((a, b) => a - b),
    [0, DEMO_ACCOUNTS],
  );
  assert.equal((await seed(server)).length, 0, 'a third run adds nothing');

  const owners = results.flat().filter((account) => account.role === 'owner');
  assert.equal(owners.length, DEMO_STORES);
  const seeded = await ownerSales(server, owners[0]!.login);
  const orders = seeded.series.buckets.reduce((sum, bucket) => sum + bucket.orderCount, 0);
  assert.ok(orders > 365 * 12, `a year of orders, not ${orders}`);
  // every past order was eaten in or taken out, and the report's split shows a believable mix
  const sum = (field: 'total' | 'eatInCount' | 'eatInTotal' | 'takeOutCount' | 'takeOutTotal') =>
    seeded.series.buckets.reduce((total, bucket) => total + bucket[field], 0);
  assert.equal(sum('eatInCount') + sum('takeOutCount'), orders);
  assert.equal(sum('eatInTotal') + sum('takeOutTotal'), sum('total'));
  for (const share of [sum('eatInCount') / orders, sum('takeOutCount') / orders]) {
    assert.ok(share > 0.3 && share < 0.7, `eat-in ${sum('eatInCount')}, take-out ${sum('takeOutCount')} of ${orders}`);
  }
  await server.app.services.sales.rebuildAll();
  assert.deepEqual(await ownerSales(server, owners[0]!.login), seeded);
  // the first store has members, past consultations, and a kitchen screen and pickup board that sign in
  const login = await server.api('POST', '/api/auth/login', { body: { role: 'owner', email: owners[0]!.login, password: DEMO_PASSWORD } });
  const token = login.body.accessToken as string;
  const storeId = (await server.api('GET', '/api/me', { token })).body.store.id as string;
  const members = await server.api('GET', `/api/stores/${storeId}/customers`, { token });
  assert.equal(members.status, 200, JSON.stringify(members.body));
  assert.equal(members.body.customers.length, 3);
  const week = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const consultations = await server.api('GET', `/api/stores/${storeId}/consultations?from=${week(-8)}&to=${week(1)}`, { token });
  assert.equal(consultations.status, 200, JSON.stringify(consultations.body));
  assert.equal(consultations.body.total, 4);
  const screens = results.flat().filter((account) => (account.role === 'kitchen' || account.role === 'pickup') && account.store === owners[0]!.store);
  assert.deepEqual(screens.map((screen) => screen.role).sort(), ['kitchen', 'pickup']);
  for (const screen of screens) {
    const signedIn = await server.api('POST', '/api/auth/kiosk-login', { body: { loginId: screen.login, secret: screen.password } });
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
  }
});

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** a `pinokio serve` process; resolves with its output once it says it is ready */
function startServe(databaseUrl: string): { child: ChildProcess; ready: Promise<{ url: string; output: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', 'serve'], {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      DATA_DIR: `/tmp/pinokio-test-${randomBytes(4).toString('hex')}`,
      HOST: '127.0.0.1',
      PORT: '0',
      DEVICE_GRPC_PORT: '0',
      LOG_LEVEL: 'info',
      SEED_DEMO: 'auto',
      ARGON2_MEMORY_KIB: '1024',
      ARGON2_TIME_COST: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<{ url: string; output: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within 5 minutes:\n${output}`)), 300_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const address = /"address":"(http:\/\/[^"]+)","readyInMs"/.exec(output);
      if (address) {
        clearTimeout(timer);
        resolve({ url: address[1]!, output });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
  return { child, ready };
}

test('three servers started together on an empty PostgreSQL database all come up, and one of them seeds', {
  skip: !usingServers,
  timeout: 600_000,
}, async () => {
  const database = await createPostgresDatabase();
  const instances = [startServe(database.url), startServe(database.url), startServe(database.url)];
  try {
    const started = await Promise.all(instances.map((instance) => instance.ready));
    const seeders = started.filter((instance) => instance.output.includes('Demo accounts'));
    assert.equal(seeders.length, 1, started.map((instance) => instance.output).join('\n-----\n'));
    for (const instance of started) {
      const api: TestServer['api'] = async (method, path, options = {}) => {
        const headers: Record<string, string> = {};
        if (options.token) headers.authorization = `Bearer ${options.token}`;
        if (options.body !== undefined) headers['content-type'] = 'application/json';
        const response = await fetch(`${instance.url}${path}`, {
          method,
          headers,
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
        });
        return { status: response.status, body: await response.json().catch(() => null), headers: response.headers };
      };
      assert.equal((await api('GET', '/readyz')).status, 200);
      const sales = await ownerSales({ api }, 'owner1@haneul.demo');
      assert.ok(JSON.stringify(sales.best).includes('"quantity"'), 'the demo store sold something');
    }
  } finally {
    for (const { child } of instances) {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      }
    }
    await database.drop();
  }
});
