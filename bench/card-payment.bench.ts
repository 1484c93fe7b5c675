// Card payment at the kiosk, end to end (issue 14's figure): the kiosk orders by card, the server
// sends the Charge over gRPC to the real agent process (`pinokio-agent`), which drives the fake
// card terminal on a socat pseudo-terminal (approving at once), reports the approval, the server
// confirms the order and sends PrintReceipt, and the agent prints on the fake ESC/POS printer.
// One order at a time, BENCH_CARD_ORDERS (200) after 10 unmeasured, on the embedded defaults and on
// PostgreSQL + Redis:
//
// - **order -> SALE at the terminal**: from the start of POST /orders (paymentMethod 'card') to the
//   SALE line arriving at the terminal;
// - **approval -> confirmed**: from the terminal's APPROVED (written the moment the SALE arrives)
//   to the `payment` event `confirmed` on the kiosk's live stream (the report over gRPC, the
//   order paid and counted, the event through the bus);
// - **order -> confirmed**: the whole wait the customer sees on the screen;
// - **order -> receipt bytes at the printer**: to the printer's last byte of that receipt (its cut).
// Settings (environment): BENCH_CARD_ORDERS (200), BENCH_CARD_BACKENDS ('embedded,servers'), TEST_DATABASE_URL / TEST_REDIS_URL as for the tests.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AgentProcess } from '../agent/test/support/agent-process.js';
import { FakePrinter } from '../agent/test/support/fake-printer.js';
import { FakeTerminal } from '../agent/test/support/fake-terminal.js';
import { provisionKiosk } from '../agent/test/support/kiosk.js';
import { paymentAgentArgs, startAgent, temporaryDirectory } from '../agent/test/support/setup.js';
import { menuItem } from '../server/test/support/factories.js';
import { openLive, type LiveStream } from '../server/test/support/live-events.js';
import { createPostgresDatabase, startTestServer, type TestServerOptions } from '../server/test/support/test-server.js';
import { busy, fmt, machine, quantile, redisReachable, redisUrl } from './support/measure.js';
import { printTable, type Cell } from './support/table.js';

const ORDERS = Number(process.env.BENCH_CARD_ORDERS ?? 200);
const WARMUP = 10;
const log = (message: string) => process.stderr.write(`[card-payment.bench] ${message}\n`);
const startMachine = machine();
const startBusy = busy();

const header = ['setup', 'measure', 'p50', 'p99', 'max', 'notes'];
const rows: Cell[][] = [];

/** timestamps of what arrives (events, terminal lines, receipts), awaited by key */
class Arrivals {
  private readonly seen = new Map<string, number>();
  private readonly waiters = new Map<string, (at: number) => void>();

  mark(key: string): void {
    const at = performance.now();
    const waiter = this.waiters.get(key);
    if (waiter) waiter(at);
    else this.seen.set(key, at);
  }

  at(key: string, timeoutMs = 20_000): Promise<number> {
    const early = this.seen.get(key);
    if (early !== undefined) {
      this.seen.delete(key);
      return Promise.resolve(early);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${key} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.set(key, (at) => {
        clearTimeout(timer);
        this.waiters.delete(key);
        resolve(at);
      });
    });
  }
}

async function measure(label: string, options: TestServerOptions, cleanup: () => Promise<void> = async () => {}): Promise<void> {
  log(label);
  const directory = temporaryDirectory('bench-card');
  let agent: AgentProcess | undefined;
  let live: LiveStream | undefined;
  const terminal = new FakeTerminal(temporaryDirectory('bench-terminal'));
  const printer = new FakePrinter(temporaryDirectory('bench-printer'));
  const server = await startTestServer(options);
  try {
    const kiosk = await provisionKiosk(server);
    terminal.answerDelayMs = 0;
    await terminal.start();
    await printer.start();
    const arrivals = new Arrivals();
    terminal.on('request', (line) => {
      if (line.startsWith('SALE ')) arrivals.mark(`sale:${line.split(' ')[1]}`);
    });
    let printed = 0;
    printer.on('receipt', () => arrivals.mark(`receipt:${++printed}`));
    live = await openLive(`${server.url}/api/stores/${kiosk.storeId}/kiosks/${kiosk.kioskId}/live`, {
      token: kiosk.kioskToken,
      onEvent: (event) => {
        if (event.event === 'payment' && event.data.state === 'confirmed') arrivals.mark(`confirmed:${event.data.paymentId}`);
      },
    });
    await live.next((event) => event.event === 'ready');
    agent = startAgent(kiosk, [
      ...paymentAgentArgs({ server: server.deviceAddress, terminal, printer, stateDir: path.join(directory, 'agent-state') }),
      '--log-level',
      'info',
    ]);
    await agent.waitFor('peripherals.reported', { terminal: 'TERMINAL_READY', printer: 'PRINTER_READY' }, { timeoutMs: 60_000 });
    const item = await menuItem(server, kiosk.storeId, { name: '아메리카노', price: 4500 });

    const toSale: number[] = [];
    const approvalToConfirmed: number[] = [];
    const toConfirmed: number[] = [];
    const toReceipt: number[] = [];
    let refused = 0;
    for (let i = 0; i < WARMUP + ORDERS; i++) {
      let started = performance.now();
      let placed = await server.api('POST', `/api/stores/${kiosk.storeId}/orders`, {
        token: kiosk.kioskToken,
        body: { lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'card' },
      });
      // refused whole (nothing written) while the server holds the terminal as not ready: counted, and again
      for (let tries = 0; placed.status === 409 && placed.body.error?.code === 'card_terminal_unavailable' && tries < 100; tries++) {
        refused += 1;
        if (refused === 1) log(`refused card_terminal_unavailable; the agent said:\n${agent.summary().slice(-1500)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
        started = performance.now();
        placed = await server.api('POST', `/api/stores/${kiosk.storeId}/orders`, {
          token: kiosk.kioskToken,
          body: { lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'card' },
        });
      }
      if (placed.status !== 201) throw new Error(`order ${i}: ${placed.status} ${JSON.stringify(placed.body)}`);
      const paymentId = placed.body.payment.paymentId as string;
      const sale = await arrivals.at(`sale:${paymentId}`);
      const confirmed = await arrivals.at(`confirmed:${paymentId}`);
      const receipt = await arrivals.at(`receipt:${i + 1}`);
      if (terminal.transactions.get(paymentId)?.state !== 'approved') throw new Error(`order ${i}: the terminal did not approve`);
      if (i < WARMUP) continue;
      toSale.push(sale - started);
      approvalToConfirmed.push(confirmed - sale);
      toConfirmed.push(confirmed - started);
      toReceipt.push(receipt - started);
    }
    const paid = await server.app.database.db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('store_id', '=', kiosk.storeId)
      .where('payment_status', '=', 'paid')
      .executeTakeFirstOrThrow();
    const check =
      `${Number(paid.n)} orders paid, ${[...terminal.transactions.values()].filter((t) => t.state === 'approved').length} charges at the terminal` +
      (refused > 0 ? `; ${refused} orders refused card_terminal_unavailable first (the terminal held as not ready), placed again` : '');
    const add = (what: string, values: number[], note: string) => {
      const sorted = [...values].sort((a, b) => a - b);
      rows.push([label, what, fmt.ms(quantile(sorted, 0.5)), fmt.ms(quantile(sorted, 0.99)), fmt.ms(sorted.at(-1)!), note]);
    };
    add('order -> SALE at the terminal', toSale, `${ORDERS} card orders one at a time (after ${WARMUP} unmeasured)`);
    add('approval -> confirmed on the kiosk stream', approvalToConfirmed, 'the terminal approves the moment the SALE arrives');
    add('order -> confirmed on the kiosk stream', toConfirmed, 'what the customer waits for on the screen');
    add('order -> receipt bytes at the printer', toReceipt, check);
  } catch (error) {
    process.exitCode = 1;
    console.error(error);
    if (agent) console.error(agent.summary());
    rows.push([label, '', '', '', '', `**failed**: ${error instanceof Error ? error.message : String(error)}`]);
  } finally {
    await agent?.stop();
    live?.close();
    await terminal.unplug();
    await printer.unplug();
    await server.close();
    await cleanup();
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

const BACKENDS = (process.env.BENCH_CARD_BACKENDS ?? 'embedded,servers').split(',');
if (BACKENDS.includes('embedded')) await measure('embedded (PGlite, in-process cache and bus)', {});

if (!BACKENDS.includes('servers')) {
  // not asked for
} else if (await redisReachable()) {
  const database = await createPostgresDatabase();
  await measure(
    'PostgreSQL + Redis',
    { databaseUrl: database.url, env: { REDIS_URL: redisUrl, REDIS_PREFIX: `pinokio-bench-card-${randomBytes(4).toString('hex')}:` } },
    () => database.drop(),
  );
} else {
  rows.push(['PostgreSQL + Redis', '', '', '', '', `skipped: Redis is not reachable at ${redisUrl}`]);
}

rows.push(['machine at the start', '', '', '', '', `${startMachine}${startBusy ? '; **busy with other work: latencies are noisy**' : ''}`]);
console.log(
  `\nCard payment benchmark, ${new Date().toISOString().slice(0, 10)}: order by card -> Charge over gRPC -> the real agent process -> fake terminal (approving at once, socat pty) -> ReportPayment -> order paid -> PrintReceipt -> fake ESC/POS printer.\n`,
);
printTable(header, rows);
process.exit();
