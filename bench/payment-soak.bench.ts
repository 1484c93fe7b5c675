// Payment soak (issue 14's figure): BENCH_SOAK_ORDERS (1,000) card orders at BENCH_SOAK_KIOSKS (4)
// kiosks of one store, each with the real agent process, a fake card terminal and a fake printer on
// socat pseudo-terminals, with faults drawn at random (seeded): declines, timeouts, cards removed,
// approvals whose answer is lost, customers giving up mid-sale, and the server restarted
// BENCH_SOAK_RESTARTS (10) times while charges are under way (their approvals land while it is
// down). The terminals' ledgers are the truth about money. At the end:
//
// - **money charged without an order**: charges the terminals hold as approved (taken, not voided)
//   whose order is not paid by the kiosk's card (goal 0);
// - **orders paid without money**: orders paid by the kiosk's card whose charge the terminal does
//   not hold (never approved, or voided) (goal 0) — card orders are never placed unpaid, so every
//   such order would be one the store did not allow;
// - the reconciliation of the day (ReconciliationService) on the same data, which must list nothing.
//
// One database per backend, kept across the restarts (PGlite in a DATA_DIR; PostgreSQL + Redis when
// reachable). Settings (environment): BENCH_SOAK_ORDERS, BENCH_SOAK_KIOSKS, BENCH_SOAK_RESTARTS,
// BENCH_SOAK_SEED (14), BENCH_SOAK_BACKENDS ('embedded,servers').
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AgentProcess } from '../agent/test/support/agent-process.js';
import { FakePrinter } from '../agent/test/support/fake-printer.js';
import { type FakeChargeBehaviour, FakeTerminal } from '../agent/test/support/fake-terminal.js';
import { provisionKiosk } from '../agent/test/support/kiosk.js';
import { freePort, paymentAgentArgs, startAgent, temporaryDirectory } from '../agent/test/support/setup.js';
import { ReconciliationService } from '../server/src/modules/reconciliation/reconciliation.service.js';
import { localDate } from '../server/src/platform/time/local-date.js';
import { menuItem } from '../server/test/support/factories.js';
import { createPostgresDatabase, startTestServer, type TestServer, type TestServerOptions } from '../server/test/support/test-server.js';
import { busy, fmt, machine, redisReachable, redisUrl } from './support/measure.js';
import { printTable, type Cell } from './support/table.js';

const ORDERS = Number(process.env.BENCH_SOAK_ORDERS ?? 1000);
const KIOSKS = Number(process.env.BENCH_SOAK_KIOSKS ?? 4);
const RESTARTS = Number(process.env.BENCH_SOAK_RESTARTS ?? 10);
const SEED = Number(process.env.BENCH_SOAK_SEED ?? 14);
const BACKENDS = (process.env.BENCH_SOAK_BACKENDS ?? 'embedded,servers').split(',');
/** the server's wait for a card, and the driver's margin past it (short, so faults end quickly) */
const CARD_TIMEOUT_MS = 1_000;
const ANSWER_MARGIN_MS = 300;
/** how long an order may take to be paid or cancelled, restarts included */
const SETTLE_MS = 60_000;
const log = (message: string) => process.stderr.write(`[payment-soak.bench] ${message}\n`);
const startMachine = machine();
const startBusy = busy();

type Fault = FakeChargeBehaviour | 'give_up';
/** the draw: most orders go through, the rest fail one way or another */
const FAULTS: Array<[Fault, number]> = [
  ['approve', 0.6],
  ['decline', 0.1],
  ['timeout', 0.06],
  ['remove', 0.06],
  ['lose_answer', 0.12],
  ['give_up', 0.06],
];

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Station {
  kioskId: string;
  loginId: string;
  secret: string;
  token: string;
  terminal: FakeTerminal;
  printer: FakePrinter;
  agent?: AgentProcess;
}

interface Result {
  orders: number;
  outcomes: Record<string, number>;
  faults: Record<string, number>;
  restarts: number;
  refusedAtOnce: number;
  charged: number;
  moneyWithoutOrder: number;
  paidWithoutMoney: number;
  stillPending: number;
  pendingAfterFlows: number;
  reconciliationMismatches: number;
  seconds: number;
}

async function soak(backend: 'embedded' | 'servers'): Promise<Result> {
  const started = performance.now();
  const directory = temporaryDirectory('soak');
  const env: Record<string, string> = {
    CARD_TIMEOUT_MS: String(CARD_TIMEOUT_MS),
    DEVICE_GRPC_PORT: String(await freePort()),
    ACCESS_TOKEN_TTL_SECONDS: '86400',
    // an order whose charge got no outcome (around a restart) stays pending until its payBy: the
    // shortest, so the expiry job (every minute) cancels such orders before the count
    PENDING_PAYMENT_MINUTES: '1',
  };
  let options: TestServerOptions;
  let dropDatabase = async () => {};
  if (backend === 'servers') {
    const database = await createPostgresDatabase();
    dropDatabase = database.drop;
    options = { databaseUrl: database.url, env: { ...env, REDIS_URL: redisUrl, REDIS_PREFIX: `pinokio-bench-soak-${randomBytes(4).toString('hex')}:` } };
  } else {
    // a DATA_DIR of its own, so the database outlives each restart
    options = { env: { ...env, DATA_DIR: path.join(directory, 'server') }, databaseUrl: '' };
  }
  let server: TestServer = await startTestServer(options);
  /** open while the server is up; workers wait on it */
  let up: Promise<void> = Promise.resolve();
  const stations: Station[] = [];
  try {
    const first = await provisionKiosk(server);
    const storeId = first.storeId;
    const kiosks = [first as { kioskId: string; loginId: string; secret: string; kioskToken: string }];
    for (let i = 1; i < KIOSKS; i++) {
      const created = await server.api('POST', `/api/stores/${storeId}/kiosks`, { token: first.ownerToken, body: { name: `soak kiosk ${i + 1}` } });
      const { loginId, secret } = created.body.credentials as { loginId: string; secret: string };
      const login = await server.api('POST', '/api/auth/kiosk-login', { body: { loginId, secret } });
      kiosks.push({ kioskId: login.body.kioskId, loginId, secret, kioskToken: login.body.accessToken });
    }
    const items: Array<{ id: string }> = [];
    for (const price of [1500, 3000, 4500, 5200, 6800]) items.push(await menuItem(server, storeId, { price }));
    for (const [index, kiosk] of kiosks.entries()) {
      const terminal = new FakeTerminal(temporaryDirectory(`soak-terminal-${index}`));
      const printer = new FakePrinter(temporaryDirectory(`soak-printer-${index}`));
      await terminal.start();
      await printer.start();
      const station: Station = { kioskId: kiosk.kioskId, loginId: kiosk.loginId, secret: kiosk.secret, token: kiosk.kioskToken, terminal, printer };
      station.agent = startAgent(station, [
        ...paymentAgentArgs({
          server: server.deviceAddress,
          terminal,
          printer,
          stateDir: path.join(directory, `agent-state-${index}`),
          answerMarginMs: ANSWER_MARGIN_MS,
        }),
        '--log-level',
        'info',
      ]);
      stations.push(station);
    }
    for (const station of stations) {
      await station.agent!.waitFor('peripherals.reported', { terminal: 'TERMINAL_READY' }, { timeoutMs: 60_000 });
    }

    const draw = random(SEED);
    const pickFault = (): Fault => {
      let r = draw();
      for (const [fault, share] of FAULTS) {
        if (r < share) return fault;
        r -= share;
      }
      return 'approve';
    };
    const faults: Record<string, number> = {};
    const outcomes: Record<string, number> = {};
    let refusedAtOnce = 0;
    let placed = 0;
    let restarts = 0;
    const restartEvery = Math.floor(ORDERS / (RESTARTS + 1));
    /** ask the server, waiting through its restarts */
    const ask = async <T>(what: (target: TestServer) => Promise<T>): Promise<T> => {
      const deadline = Date.now() + SETTLE_MS;
      for (;;) {
        await up;
        const target = server;
        try {
          return await what(target);
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await sleep(100);
        }
      }
    };
    const settle = async (orderId: string): Promise<string> => {
      const deadline = Date.now() + SETTLE_MS;
      for (;;) {
        const row = await ask((target) =>
          target.app.database.db.selectFrom('orders').select(['status', 'payment_status']).where('id', '=', orderId).executeTakeFirstOrThrow(),
        );
        if (row.payment_status === 'paid') return 'paid';
        if (row.status === 'cancelled') return 'cancelled';
        if (Date.now() > deadline) return `still ${row.payment_status}`;
        await sleep(50);
      }
    };
    const restart = async () => {
      // this kiosk's sale is under way (its approval comes 1.5 s after the SALE): the server goes
      // away now, with the other kiosks' flows wherever they are
      let reopen = () => {};
      up = new Promise((resolve) => (reopen = resolve));
      const stopping = server;
      await stopping.close();
      await sleep(1_000 + Math.floor(draw() * 1_500));
      server = await startTestServer(options);
      restarts += 1;
      reopen();
      log(`restart ${restarts}: the server is back (${placed} orders placed)`);
    };

    const worker = async (station: Station) => {
      while (placed < ORDERS) {
        const index = placed++;
        const restartHere = restartEvery > 0 && index > 0 && index % restartEvery === 0 && restarts < RESTARTS;
        const fault: Fault = restartHere ? 'approve' : pickFault();
        faults[restartHere ? 'server_restart' : fault] = (faults[restartHere ? 'server_restart' : fault] ?? 0) + 1;
        if (fault !== 'approve' && fault !== 'give_up') station.terminal.next.push(fault);
        station.terminal.answerDelayMs = restartHere ? 1_500 : fault === 'give_up' ? 800 : 0;
        const item = items[Math.floor(draw() * items.length)]!;
        const key = randomUUID();
        let order: { id: string; paymentId: string } | undefined;
        while (!order) {
          const answer = await ask((target) =>
            target.api('POST', `/api/stores/${storeId}/orders`, {
              token: station.token,
              headers: { 'idempotency-key': key },
              body: { lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'card' },
            }),
          );
          if (answer.status === 201 || answer.status === 200) {
            order = { id: answer.body.order.id, paymentId: answer.body.payment.paymentId };
          } else if (answer.status === 409 && answer.body.error?.code === 'card_terminal_unavailable') {
            // the agent has not reconnected yet: refused whole, nothing written
            refusedAtOnce += 1;
            await sleep(200);
          } else if (answer.status >= 500) {
            await sleep(200); // the server going away mid-request: the same key again
          } else {
            throw new Error(`order ${index}: ${answer.status} ${JSON.stringify(answer.body)}`);
          }
        }
        if (fault === 'give_up' || restartHere) {
          const saleAt = Date.now() + 10_000;
          while (!station.terminal.requests.some((line) => line.startsWith(`SALE ${order.paymentId}`)) && Date.now() < saleAt) await sleep(10);
          if (restartHere) await restart();
          else {
            await ask((target) => target.api('POST', `/api/stores/${storeId}/kiosk-orders/${order.id}/payment/cancel`, { token: station.token }));
          }
        }
        const outcome = await settle(order.id);
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        station.terminal.answerDelayMs = 0;
        if ((index + 1) % 100 === 0) log(`${index + 1} orders`);
      }
    };
    await Promise.all(stations.map((station) => worker(station)));

    // the agents finish what they owe (voids of lost answers, reports retried after a restart)
    await sleep(CARD_TIMEOUT_MS + ANSWER_MARGIN_MS + 3_000);
    const db = server.app.database.db;
    const pendingNow = async () =>
      Number(
        (
          await db
            .selectFrom('orders')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('store_id', '=', storeId)
            .where('payment_status', '=', 'pending')
            .where('status', '<>', 'cancelled')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const pendingAfterFlows = await pendingNow();
    // orders still pending wait for their payBy and the expiry job (at most about 2.5 minutes)
    for (const until = Date.now() + 180_000; (await pendingNow()) > 0 && Date.now() < until; ) await sleep(2_000);
    await sleep(CARD_TIMEOUT_MS + ANSWER_MARGIN_MS + 2_000); // their voids, if any
    const orders = await db
      .selectFrom('orders')
      .leftJoin('payment_attempts', 'payment_attempts.order_id', 'orders.id')
      .select(['orders.id', 'orders.status', 'orders.payment_status', 'orders.paid_method', 'orders.approval_number', 'payment_attempts.id as attempt_id'])
      .where('orders.store_id', '=', storeId)
      .execute();
    const orderOfAttempt = new Map(orders.filter((row) => row.attempt_id).map((row) => [row.attempt_id!, row]));
    const charges = new Map<string, { state: string; approvalNumber: string }>();
    for (const station of stations) for (const [reference, transaction] of station.terminal.transactions) charges.set(reference, transaction);
    let moneyWithoutOrder = 0;
    let charged = 0;
    for (const [reference, transaction] of charges) {
      if (transaction.state !== 'approved') continue;
      charged += 1;
      const order = orderOfAttempt.get(reference);
      if (order?.payment_status !== 'paid' || order.paid_method !== 'kiosk_card' || order.approval_number !== transaction.approvalNumber) {
        moneyWithoutOrder += 1;
        log(`money without an order: charge ${reference} ${JSON.stringify(order)}`);
      }
    }
    let paidWithoutMoney = 0;
    const paidOrders = new Set<string>();
    for (const row of orders) {
      if (row.payment_status !== 'paid' || paidOrders.has(row.id)) continue;
      const heldBy = orders.filter((other) => other.id === row.id).some((other) => other.attempt_id && charges.get(other.attempt_id)?.state === 'approved');
      if (heldBy) paidOrders.add(row.id);
      else {
        paidWithoutMoney += 1;
        log(`paid without money: order ${row.id}`);
      }
    }
    const stillPending = new Set(orders.filter((row) => row.payment_status === 'pending' && row.status !== 'cancelled').map((row) => row.id)).size;
    const reconciliation = await new ReconciliationService(db, undefined).reconcile(storeId, localDate('Asia/Seoul'));
    for (const mismatch of reconciliation.mismatches) log(`reconciliation: ${mismatch.kind}: ${mismatch.detail}`);
    return {
      orders: new Set(orders.map((row) => row.id)).size,
      outcomes,
      faults,
      restarts,
      refusedAtOnce,
      charged,
      moneyWithoutOrder,
      paidWithoutMoney,
      stillPending,
      pendingAfterFlows,
      reconciliationMismatches: reconciliation.mismatchCount,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    for (const station of stations) {
      await station.agent?.stop();
      await station.terminal.unplug();
      await station.printer.unplug();
    }
    await server.close();
    await dropDatabase();
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

const header = ['backend', 'orders', 'money charged without an order', 'orders paid without money', 'paid / cancelled', 'faults injected', 'notes'];
const rows: Cell[][] = [];
const summary = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([what, n]) => `${what} ${n}`)
    .join(', ');

for (const backend of BACKENDS) {
  const label = backend === 'servers' ? 'PostgreSQL + Redis' : 'embedded (PGlite in a DATA_DIR)';
  if (backend === 'servers' && !(await redisReachable())) {
    rows.push([label, '', '', '', '', '', `skipped: Redis is not reachable at ${redisUrl}`]);
    continue;
  }
  log(label);
  try {
    const result = await soak(backend === 'servers' ? 'servers' : 'embedded');
    if (result.moneyWithoutOrder > 0 || result.paidWithoutMoney > 0) process.exitCode = 1;
    rows.push([
      label,
      fmt.int(result.orders),
      String(result.moneyWithoutOrder),
      String(result.paidWithoutMoney),
      `${result.outcomes.paid ?? 0} / ${result.outcomes.cancelled ?? 0}`,
      summary(result.faults),
      `${KIOSKS} kiosks, each the real agent process with a fake terminal and printer; ${result.restarts} server restarts mid-charge; ` +
        `${result.charged} charges held by the terminals, each the money of a paid order; ${result.pendingAfterFlows} orders left pending when the flows ended, ${result.stillPending} still pending after their payBy and the expiry job; ` +
        `${result.refusedAtOnce} orders refused whole while an agent reconnected; reconciliation of the day: ${result.reconciliationMismatches} mismatches; ${fmt.int(result.seconds)} s`,
    ]);
  } catch (error) {
    process.exitCode = 1;
    console.error(error);
    rows.push([label, '', '', '', '', '', `**failed**: ${error instanceof Error ? error.message : String(error)}`]);
  }
}

rows.push(['machine at the start', '', '', '', '', '', `${startMachine}${startBusy ? '; **busy with other work**' : ''}`]);
console.log(
  `\nPayment soak, ${new Date().toISOString().slice(0, 10)}: ${fmt.int(ORDERS)} card orders through the real agents and fake terminals with random faults (seed ${SEED}); the terminals' ledgers against the orders. Goal: 0 and 0.\n`,
);
printTable(header, rows);
process.exit();
