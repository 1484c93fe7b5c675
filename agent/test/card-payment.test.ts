// Card payment end to end through the real agent process: the kiosk orders by card, the server
// sends a Charge, the agent drives the fake terminal on a socat pty, reports the outcome and prints
// the receipt on the fake printer. The fake terminal's ledger is the truth about money: every test
// ends with "charged and paid" or "not charged (or voided) and not paid", never anything between.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { menuItem } from '../../server/test/support/factories.js';
import { createPostgresDatabase, startTestServer, type TestServer, usingServers } from '../../server/test/support/test-server.js';
import type { AgentProcess } from './support/agent-process.js';
import { FakePrinter } from './support/fake-printer.js';
import { FakeTerminal } from './support/fake-terminal.js';
import { LiveStream, type ProvisionedKiosk, provisionKiosk } from './support/kiosk.js';
import { freePort, paymentAgentArgs, startAgent, temporaryDirectory } from './support/setup.js';

/** the card wait and the driver's margin past it: an answer lost is noticed after 2.5 s */
const CARD_TIMEOUT_MS = 2_000;
const ANSWER_MARGIN_MS = 500;

let server: TestServer;
let serverOptions: Parameters<typeof startTestServer>[0];
let dropDatabase: (() => Promise<void>) | undefined;
let kiosk: ProvisionedKiosk;
let terminal: FakeTerminal;
let printer: FakePrinter;
let live: LiveStream;
let stateDir: string;
let agent: AgentProcess;
const cleanups: Array<() => Promise<unknown> | void> = [];

function agentArgs(): string[] {
  return [...paymentAgentArgs({ server: server.deviceAddress, terminal, printer, stateDir, answerMarginMs: ANSWER_MARGIN_MS }), '--peripherals-poll-ms', '300'];
}

before(async () => {
  // the database and the gRPC port outlive the first server: the last test restarts it
  const directory = temporaryDirectory('card');
  const env: Record<string, string> = { CARD_TIMEOUT_MS: String(CARD_TIMEOUT_MS), DEVICE_GRPC_PORT: String(await freePort()) };
  if (usingServers) {
    const database = await createPostgresDatabase();
    dropDatabase = database.drop;
    serverOptions = { env, databaseUrl: database.url, redisPrefix: `pinokio-card-${path.basename(directory)}:` };
  } else {
    serverOptions = { env: { ...env, DATA_DIR: path.join(directory, 'server') }, databaseUrl: '' };
  }
  server = await startTestServer(serverOptions);
  kiosk = await provisionKiosk(server);
  terminal = new FakeTerminal(temporaryDirectory('terminal'));
  printer = new FakePrinter(temporaryDirectory('printer'));
  await terminal.start();
  await printer.start();
  stateDir = path.join(directory, 'agent-state');
  live = await LiveStream.open(server, kiosk);
  agent = startAgent(kiosk, agentArgs());
  cleanups.push(
    () => terminal.unplug(),
    () => printer.unplug(),
    () => live.close(),
  );
  await agent.waitFor('peripherals.reported', { terminal: 'TERMINAL_READY', printer: 'PRINTER_READY' });
});

after(async () => {
  await agent?.stop();
  for (const cleanup of cleanups.reverse()) await cleanup();
  await server?.close();
  await dropDatabase?.();
});

async function orderCard(itemId: string) {
  const placed = await server.api('POST', `/api/stores/${kiosk.storeId}/orders`, {
    token: kiosk.kioskToken,
    body: { lines: [{ itemId, quantity: 1 }], paymentMethod: 'card' },
  });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  return { order: placed.body.order, paymentId: placed.body.payment.paymentId as string };
}

async function orderOf(orderId: string) {
  const response = await server.api('GET', `/api/stores/${kiosk.storeId}/orders/${orderId}`, { token: kiosk.ownerToken });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body;
}

async function stockOf(itemId: string): Promise<number | null> {
  return (await server.app.database.db.selectFrom('items').select('stock').where('id', '=', itemId).executeTakeFirstOrThrow()).stock;
}

function paymentEvent(paymentId: string, state: string) {
  return live.waitFor('payment', (data) => data.paymentId === paymentId && data.state === state, 20_000);
}

test('approved: the order is paid and its receipt, with the order number and 부가세, comes out of the printer', async () => {
  const item = await menuItem(server, kiosk.storeId, { name: '아메리카노', price: 4500, stock: 10 });
  const { order, paymentId } = await orderCard(item.id);
  await paymentEvent(paymentId, 'waiting_for_card');
  const confirmed = await paymentEvent(paymentId, 'confirmed');
  assert.equal(confirmed.data.orderNumber, order.number);
  assert.equal(confirmed.data.receipt.print, 'printing');

  const paid = await orderOf(order.id);
  assert.equal(paid.payment.status, 'paid');
  assert.equal(paid.payment.method, 'kiosk_card');
  const charged = terminal.transactions.get(paymentId);
  assert.equal(charged?.state, 'approved');
  assert.equal(charged?.amount, 4500);
  assert.equal(paid.payment.approvalNumber, charged?.approvalNumber);

  const [receipt] = await printer.waitForReceipts(1, 15_000);
  assert.ok(receipt!.includes(String(order.number)), `the order number on:\n${receipt}`);
  assert.match(receipt!, /부가세/);
  assert.match(receipt!, /409/, '부가세 of 4,500원 is 409원');
  await live.waitFor('receipt', (data) => data.orderId === order.id && data.print === 'printed');
  // the charge is settled in the journal: a restart will not report or void it again
  await agent.waitFor('payment.reported', { paymentId, action: 'CONFIRMED' });
});

test('declined: no money, the order cancelled and its stock back', async () => {
  const item = await menuItem(server, kiosk.storeId, { price: 3000, stock: 2 });
  terminal.next.push('decline');
  const { order, paymentId } = await orderCard(item.id);
  const declined = await paymentEvent(paymentId, 'declined');
  assert.match(declined.data.reason, /insufficient funds/);
  await agent.waitFor('payment.reported', { paymentId, action: 'ACKNOWLEDGED' });
  assert.equal((await orderOf(order.id)).status, 'cancelled');
  assert.equal(await stockOf(item.id), 2);
  assert.notEqual(terminal.transactions.get(paymentId)?.state, 'approved');
});

test("the terminal's answer is lost: the agent voids the charge by reference and the order is cancelled", async () => {
  const item = await menuItem(server, kiosk.storeId, { price: 5500, stock: 3 });
  terminal.next.push('lose_answer');
  const { order, paymentId } = await orderCard(item.id);
  await paymentEvent(paymentId, 'voided');
  assert.equal(terminal.transactions.get(paymentId)?.state, 'voided', 'the money was taken, then given back');
  assert.equal((await orderOf(order.id)).status, 'cancelled');
  assert.equal(await stockOf(item.id), 3);
});

test('the customer gives up while the terminal waits for the card: the sale is aborted, nothing charged', async () => {
  const item = await menuItem(server, kiosk.storeId, { price: 2000, stock: 1 });
  terminal.answerDelayMs = 1_500;
  try {
    const { order, paymentId } = await orderCard(item.id);
    await agent.waitFor('payment.charging', { paymentId });
    const cancelled = await server.api('POST', `/api/stores/${kiosk.storeId}/kiosk-orders/${order.id}/payment/cancel`, { token: kiosk.kioskToken });
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    await paymentEvent(paymentId, 'voided');
    assert.notEqual(terminal.transactions.get(paymentId)?.state, 'approved');
    assert.equal((await orderOf(order.id)).status, 'cancelled');
    assert.equal(await stockOf(item.id), 1);
  } finally {
    terminal.answerDelayMs = 20;
  }
});

test('the agent restarts mid-sale: its journal says a charge was under way, so it is voided and reported', async () => {
  const item = await menuItem(server, kiosk.storeId, { price: 1500, stock: 1 });
  terminal.answerDelayMs = 1_500;
  try {
    const { order, paymentId } = await orderCard(item.id);
    await agent.waitFor('payment.charging', { paymentId });
    // SIGTERM: the sale is left without an outcome (as after a crash)
    await agent.stop();
    agent = startAgent(kiosk, agentArgs());
    await agent.waitFor('payment.interrupted', { paymentId });
    await paymentEvent(paymentId, 'voided');
    assert.notEqual(terminal.transactions.get(paymentId)?.state, 'approved');
    assert.equal((await orderOf(order.id)).status, 'cancelled');
    await agent.waitFor('peripherals.reported', { terminal: 'TERMINAL_READY' });
  } finally {
    terminal.answerDelayMs = 20;
  }
});

test('the server restarts between the approval and its confirmation: the order ends paid with the charge, or voided, never neither', async () => {
  const item = await menuItem(server, kiosk.storeId, { price: 6000, stock: 5 });
  terminal.answerDelayMs = 1_500;
  let orderId: string;
  let paymentId: string;
  try {
    ({
      order: { id: orderId },
      paymentId,
    } = await orderCard(item.id));
    await agent.waitFor('payment.charging', { paymentId });
    live.close();
    await server.close();
    // the terminal approves while the server is away; the report waits on disk and is retried
    await agent.waitFor('payment.report_failed', { paymentId, outcome: 'APPROVED' }, { timeoutMs: 15_000 });
    assert.equal(terminal.transactions.get(paymentId)?.state, 'approved');
  } finally {
    terminal.answerDelayMs = 20;
  }
  server = await startTestServer(serverOptions);
  const reported = await agent.waitFor('payment.reported', { paymentId, outcome: 'APPROVED' }, { timeoutMs: 30_000 });
  const order = await orderOf(orderId);
  const charge = terminal.transactions.get(paymentId)!;
  if (reported.action === 'CONFIRMED') {
    assert.equal(order.payment.status, 'paid');
    assert.equal(charge.state, 'approved');
    assert.equal(order.payment.approvalNumber, charge.approvalNumber);
  } else {
    await agent.waitFor('payment.voided', { paymentId });
    assert.equal(terminal.transactions.get(paymentId)!.state, 'voided');
    assert.notEqual((await orderOf(orderId)).payment.status, 'paid');
  }
  assert.equal(reported.action, 'CONFIRMED', 'well within confirm_by, the approval makes the order');
});
