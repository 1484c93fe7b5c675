// The daily reconciliation (issue 14, item 4; docs/payments.md#reconciliation): a business day's
// charges (what the kiosks' terminals and the gateway reported, payment_attempts) are held against
// its orders and the gateway's own records. A clean day lists nothing; injected faults (a charge
// whose order was cancelled, a paid amount changed behind the server's back, a failed void, a paid
// order with no charge, a failed refund, a gateway that disagrees) are each listed with their
// kind; a rerun replaces the run; `pinokio reconcile` runs it; the daily job runs once across instances.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { dailyReconciliationJob, ReconciliationService } from '../../src/modules/reconciliation/reconciliation.service.js';
import { Scheduler } from '../../src/platform/jobs/scheduler.js';
import { FAKE_PAYMENT_KEY_PREFIX, FakePaymentGateway } from '../../src/platform/payment-gateway/fake-gateway.js';
import { addDays } from '../../src/platform/time/local-date.js';
import { menuItem, storeWithKiosk, type StoreFixture } from '../support/factories.js';
import { createPostgresDatabase, startTestServer, usingServers, type TestServer } from '../support/test-server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

const db = () => server.app.database.db;

/** a counter order placed by the kiosk (unpaid), one item at `price` */
async function place(store: StoreFixture, price: number): Promise<{ id: string; number: number; total: number; localDate: string }> {
  const item = await menuItem(server, store.storeId, { price });
  const placed = await server.api('POST', `/api/stores/${store.storeId}/orders`, {
    token: store.kioskToken,
    body: { lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'counter' },
  });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  const order = placed.body.order;
  return { id: order.id, number: order.number, total: order.total, localDate: order.localDate };
}

/** what a kiosk's terminal (or the gateway) reported for an order */
async function charge(
  store: StoreFixture,
  order: { id: string; total: number },
  fields: { method?: 'card' | 'mobile'; state: string; amount?: number; approvalNumber?: string; reference?: string },
): Promise<string> {
  const row = await db()
    .insertInto('payment_attempts')
    .values({
      store_id: store.storeId,
      order_id: order.id,
      kiosk_id: store.kioskId,
      method: fields.method ?? 'card',
      amount: fields.amount ?? order.total,
      state: fields.state as 'approved',
      approval_number: fields.approvalNumber ?? `A${randomBytes(3).toString('hex')}`,
      provider_reference: fields.reference ?? null,
      confirm_by: new Date(Date.now() - 60_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** a kiosk order paid by a charge the terminal (or the gateway) approved, as the card flow leaves it */
async function paidAtKiosk(store: StoreFixture, price: number, method: 'card' | 'mobile' = 'card', reference?: string) {
  const order = await place(store, price);
  const approvalNumber = `A${randomBytes(3).toString('hex')}`;
  const attemptId = await charge(store, order, { method, state: 'confirmed', approvalNumber, reference });
  await server.app.services.orders.confirmPayment(store.storeId, order.id, {
    method: method === 'card' ? 'kiosk_card' : 'mobile',
    amount: order.total,
    approvalNumber,
  });
  return { ...order, attemptId };
}

async function paidAtCounter(store: StoreFixture, price: number) {
  const order = await place(store, price);
  await server.app.services.orders.confirmPayment(store.storeId, order.id, { method: 'counter_cash', amount: order.total, approvalNumber: null });
  return order;
}

const reconcile = (store: StoreFixture, date: string, token = store.ownerToken) =>
  server.api('POST', `/api/stores/${store.storeId}/reconciliation`, { token, body: { date } });
const latest = (store: StoreFixture, date: string, token = store.ownerToken) =>
  server.api('GET', `/api/stores/${store.storeId}/reconciliation?date=${date}`, { token });

test('a clean day lists nothing; every injected fault is listed with its kind; a rerun replaces the run', { timeout: 120_000 }, async () => {
  const store = await storeWithKiosk(server);
  const card = await paidAtKiosk(store, 4500);
  const counter = await paidAtCounter(store, 3000);
  await place(store, 2000); // still unpaid at the counter: nothing to match
  // a paid card order the owner refunded in full through the POS: the refund went through
  const refunded = await paidAtKiosk(store, 5000);
  await db().updateTable('orders').set({ payment_status: 'refunded', refunded_amount: 5000 }).where('id', '=', refunded.id).execute();
  await db()
    .insertInto('refunds')
    .values({ store_id: store.storeId, order_id: refunded.id, amount: 5000, method: 'kiosk_card', reason: '고객 요청', state: 'done' })
    .execute();
  const date = card.localDate;

  const before = await latest(store, date);
  assert.equal(before.status, 404);
  assert.equal(before.body.error.code, 'not_reconciled');

  const clean = await reconcile(store, date);
  assert.equal(clean.status, 200, JSON.stringify(clean.body));
  assert.equal(clean.body.date, date);
  assert.equal(clean.body.ordersChecked, 4);
  assert.deepEqual(clean.body.mismatches, [], JSON.stringify(clean.body.mismatches));
  assert.equal(clean.body.mismatchCount, 0);

  // 1. the terminal approved a charge for an order that was cancelled
  const cancelled = await place(store, 6000);
  await server.app.services.orders.cancel(store.storeId, cancelled.id, '고객 취소');
  const strayCharge = await charge(store, cancelled, { state: 'approved' });
  // 2. a paid order's amount changed behind the server's back
  await db().updateTable('orders').set({ paid_amount: 4000 }).where('id', '=', card.id).execute();
  // 3. the terminal could not void a charge
  const unvoidable = await place(store, 7000);
  await server.app.services.orders.cancel(store.storeId, unvoidable.id, '시간 초과');
  const failedVoid = await charge(store, unvoidable, { state: 'void_failed' });
  // 4. an order marked paid by the kiosk's card with no charge behind it
  const noCharge = await place(store, 2500);
  await server.app.services.orders.confirmPayment(store.storeId, noCharge.id, { method: 'kiosk_card', amount: noCharge.total, approvalNumber: 'X1' });
  // 5. a refund the terminal refused
  await db()
    .insertInto('refunds')
    .values({
      store_id: store.storeId,
      order_id: counter.id,
      amount: 1000,
      method: 'kiosk_card',
      reason: '부분 환불',
      state: 'failed',
      outcome_message: 'card expired',
    })
    .execute();

  const found = await reconcile(store, date);
  assert.equal(found.status, 200, JSON.stringify(found.body));
  const byKind = (kind: string) => found.body.mismatches.filter((m: { kind: string }) => m.kind === kind);
  assert.deepEqual(
    found.body.mismatches.map((m: { kind: string }) => m.kind).sort(),
    ['amount_mismatch', 'charge_without_order', 'order_without_charge', 'refund_failed', 'void_failed'],
    JSON.stringify(found.body.mismatches),
  );
  assert.equal(found.body.mismatchCount, 5);
  assert.equal(found.body.ordersChecked, 7);
  assert.equal(found.body.id, clean.body.id, 'one run per store and day: the rerun replaced it');

  const [stray] = byKind('charge_without_order');
  assert.equal(stray.orderId, cancelled.id);
  assert.equal(stray.orderNumber, cancelled.number);
  assert.equal(stray.paymentAttemptId, strayCharge);
  assert.equal(stray.actualAmount, 6000);
  assert.match(stray.detail, /cancelled/);
  const [amount] = byKind('amount_mismatch');
  assert.deepEqual([amount.orderId, amount.expectedAmount, amount.actualAmount], [card.id, 4000, 4500]);
  const [voidFailed] = byKind('void_failed');
  assert.deepEqual([voidFailed.paymentAttemptId, voidFailed.actualAmount], [failedVoid, 7000]);
  const [withoutCharge] = byKind('order_without_charge');
  assert.deepEqual([withoutCharge.orderNumber, withoutCharge.expectedAmount, withoutCharge.actualAmount], [noCharge.number, 2500, null]);
  const [refund] = byKind('refund_failed');
  assert.deepEqual([refund.orderId, refund.expectedAmount], [counter.id, 1000]);
  assert.match(refund.detail, /card expired/);

  // what the POS reads is that run
  const read = await latest(store, date);
  assert.equal(read.status, 200);
  assert.deepEqual(read.body, found.body);

  // mended, and run again: the day's list is the new run's alone
  await db().updateTable('orders').set({ paid_amount: 4500 }).where('id', '=', card.id).execute();
  const rerun = await reconcile(store, date);
  assert.equal(rerun.body.mismatchCount, 4);
  assert.equal((await latest(store, date)).body.mismatches.length, 4);
  const runs = await db().selectFrom('reconciliation_runs').select('id').where('store_id', '=', store.storeId).execute();
  assert.equal(runs.length, 1);

  // another store's owner, a day not begun, a malformed day
  const other = await storeWithKiosk(server, store.brand);
  assert.equal((await latest(store, date, other.ownerToken)).status, 403);
  assert.equal((await reconcile(store, date, other.ownerToken)).status, 403);
  assert.equal((await reconcile(store, date, store.kioskToken)).status, 403);
  const future = await reconcile(store, addDays(date, 2));
  assert.deepEqual([future.status, future.body.error.code], [400, 'date_in_future']);
  assert.equal((await reconcile(store, '2026-02-30')).status, 400);
  assert.equal((await latest(store, 'yesterday')).status, 400);
});

test("the gateway's records against the mobile payments: unknown there, another amount, a cancellation not made here", { timeout: 120_000 }, async () => {
  const store = await storeWithKiosk(server);
  const gateway = new FakePaymentGateway();
  const atGateway = async (order: { id: string; total: number }, attemptId: string, amount = order.total) => {
    const reference = `${FAKE_PAYMENT_KEY_PREFIX}${randomUUID()}`;
    await gateway.confirm({ reference, orderId: attemptId, amount, idempotencyKey: randomUUID() });
    await db().updateTable('payment_attempts').set({ provider_reference: reference }).where('id', '=', attemptId).execute();
    return reference;
  };
  const agreed = await paidAtKiosk(store, 4000, 'mobile');
  await atGateway(agreed, agreed.attemptId);
  const unknown = await paidAtKiosk(store, 4100, 'mobile');
  const otherAmount = await paidAtKiosk(store, 4200, 'mobile');
  await atGateway(otherAmount, otherAmount.attemptId, 4300);
  const cancelledThere = await paidAtKiosk(store, 4400, 'mobile');
  const reference = await atGateway(cancelledThere, cancelledThere.attemptId);
  await gateway.cancel({ reference, reason: 'test', idempotencyKey: randomUUID() });
  // declined here, yet the gateway took the money
  const declined = await place(store, 4500);
  await server.app.services.orders.cancel(store.storeId, declined.id, '결제 거절');
  const declinedAttempt = await charge(store, declined, { method: 'mobile', state: 'declined' });
  await atGateway(declined, declinedAttempt);

  const reconciliation = new ReconciliationService(db(), gateway);
  const run = await reconciliation.reconcile(store.storeId, agreed.localDate);
  const gatewayMismatches = run.mismatches.filter((m) => m.kind === 'gateway_mismatch');
  assert.deepEqual(
    gatewayMismatches.map((m) => m.orderId),
    [unknown.id, otherAmount.id, cancelledThere.id, declined.id],
    JSON.stringify(run.mismatches),
  );
  assert.equal(run.mismatches.length, 4);
  assert.deepEqual(
    gatewayMismatches.map((m) => [m.expectedAmount, m.actualAmount]),
    [
      [4100, null],
      [4200, 4300],
      [4400, 0],
      [0, 4500],
    ],
  );

  // the gateway unreachable: said so, not taken for a clean day
  const down = new ReconciliationService(db(), {
    listTransactions: async () => {
      throw new Error('connect ECONNREFUSED');
    },
  });
  const failed = await down.reconcile(store.storeId, agreed.localDate);
  assert.equal(failed.mismatches.length, 1);
  assert.match(failed.mismatches[0]!.detail, /could not be read.*ECONNREFUSED/);
});

test('the daily job reconciles each store’s previous day once, across instances', { timeout: 120_000 }, async () => {
  const store = await storeWithKiosk(server);
  const order = await paidAtKiosk(store, 3300);
  await db().updateTable('orders').set({ paid_amount: 3000 }).where('id', '=', order.id).execute();
  // the clock of the next morning in the store's zone (Asia/Seoul, no daylight saving): 00:30
  const nextMorning = new Date(Date.parse(`${addDays(order.localDate, 1)}T00:30:00+09:00`));
  const service = new ReconciliationService(db(), undefined, { now: () => nextMorning });
  const job = { ...dailyReconciliationJob(service, () => {}), name: `payments-reconcile-test-${randomBytes(3).toString('hex')}` };
  // two schedulers on one cache, as two instances on one Redis
  const log = (_job: string, error: unknown) => assert.fail(String(error));
  const [a, b] = [new Scheduler(server.app.cache, log), new Scheduler(server.app.cache, log)];
  const ran = await Promise.all([a.runSlot(job), b.runSlot(job)]);
  assert.deepEqual(ran.sort(), [false, true]);
  assert.equal(await a.runSlot(job), false, 'the slot is done');
  const run = await latest(store, order.localDate);
  assert.equal(run.status, 200);
  assert.deepEqual(
    run.body.mismatches.map((m: { kind: string; orderId: string }) => [m.kind, m.orderId]),
    [['amount_mismatch', order.id]],
  );
  // idempotent per store and day: a later pass leaves the day's run as it is
  assert.equal(await service.reconcileDueDays(), 0);
  // before the quarter hour after midnight, the day is not taken yet
  const justAfter = new ReconciliationService(db(), undefined, { now: () => new Date(nextMorning.getTime() - 20 * 60_000) });
  const fresh = await storeWithKiosk(server, store.brand);
  await justAfter.reconcileDueDays();
  assert.equal((await latest(fresh, order.localDate)).status, 404);
});

const mainTs = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

function pinokio(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', mainTs, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`pinokio ${args.join(' ')}: still running after 60 s\n${output}`))), 60_000);
    child.once('exit', (code) => (clearTimeout(timer), resolve({ code, output })));
  });
}

describe('pinokio reconcile', () => {
  test('runs a store’s day from the command line, and refuses a malformed day', { timeout: 120_000 }, async () => {
    if (!usingServers) {
      // the embedded database is one process's own, so the command cannot share the test server's:
      // here it only parses its arguments (and refuses before it opens any database)
      const bad = await pinokio(['reconcile', '--date', '2026-13-01'], { DATA_DIR: path.join(os.tmpdir(), 'pinokio-reconcile-unused') });
      assert.equal(bad.code, 2, bad.output);
      assert.match(bad.output, /--date takes a day as YYYY-MM-DD/);
      return;
    }
    // on PostgreSQL, the server's own database: the command's run is what the POS reads
    const store = await storeWithKiosk(server);
    const order = await paidAtKiosk(store, 5100);
    await db().updateTable('orders').set({ paid_amount: 5000 }).where('id', '=', order.id).execute();
    const done = await pinokio(['reconcile', '--store', store.storeId, '--date', order.localDate], { DATABASE_URL: server.app.config.databaseUrl! });
    assert.equal(done.code, 0, done.output);
    assert.match(done.output, new RegExp(`${order.localDate}: 1 orders checked, 1 mismatches`));
    assert.match(done.output, /amount_mismatch: Order \d+ is recorded as paid 5,000 won/);
    assert.equal((await latest(store, order.localDate)).body.mismatchCount, 1);
  });
});

describe('two instances', { skip: !usingServers && 'needs PostgreSQL and Redis (PINOKIO_TEST_SERVERS=1)' }, () => {
  test("the job's slot runs on one instance only", { timeout: 120_000 }, async () => {
    const database = await createPostgresDatabase();
    const shared = { databaseUrl: database.url, redisPrefix: `pinokio-test-${randomBytes(4).toString('hex')}:` };
    const a = await startTestServer(shared);
    const b = await startTestServer(shared);
    try {
      let runs = 0;
      const name = `payments-reconcile-test-${randomBytes(3).toString('hex')}`;
      const jobOn = (instance: TestServer) => ({
        ...dailyReconciliationJob(instance.app.services.reconciliation, () => {}),
        name,
        run: async () => {
          runs += 1;
          await instance.app.services.reconciliation.reconcileDueDays();
        },
      });
      const ran = await Promise.all([a.app.scheduler.runSlot(jobOn(a)), b.app.scheduler.runSlot(jobOn(b))]);
      assert.deepEqual(ran.sort(), [false, true]);
      assert.equal(runs, 1);
    } finally {
      await a.close();
      await b.close();
      await database.drop();
    }
  });
});
