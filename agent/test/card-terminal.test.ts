// The shipped card terminal driver against the fake terminal over a real serial line (a socat
// pseudo-terminal pair). The fake's ledger is the truth about money taken.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { PtyPair } from '../src/pty-pair.js';
import type { CardTerminal } from '../src/terminal/card-terminal.js';
import { openCardTerminal } from '../src/terminal/open-card-terminal.js';
import { FakeTerminal } from './support/fake-terminal.js';
import { temporaryDirectory } from './support/setup.js';

const TIME_LIMIT = { timeout: 10_000 };
/** short deadlines: a lost answer is known 300 ms past the card timeout */
const QUICK = 'answer_margin_ms=300,command_timeout_ms=1000,status_timeout_ms=300';
const CARD_TIMEOUT_MS = 150;

let fake: FakeTerminal;
let terminal: CardTerminal;
let serial = 0;
const reference = () => `pay-${process.pid}-${++serial}`;

before(async () => {
  fake = new FakeTerminal(temporaryDirectory('terminal'));
  await fake.start();
  terminal = openCardTerminal(`line:${fake.agentPath},${QUICK}`);
});

after(async () => {
  await terminal?.close();
  await fake?.unplug();
});

test('an approval: the terminal took the money under our reference', TIME_LIMIT, async () => {
  assert.equal(await terminal.status(), 'ready');
  const ref = reference();
  const outcome = await terminal.charge({ reference: ref, amount: 4_500, cardTimeoutMs: CARD_TIMEOUT_MS });
  assert.equal(outcome.kind, 'approved');
  const ledger = fake.transactions.get(ref)!;
  assert.deepEqual(outcome, { kind: 'approved', approvalNumber: ledger.approvalNumber, terminalReference: ledger.terminalReference, amount: 4_500 });
  assert.match(ledger.approvalNumber, /^\d{8}$/);
  assert.equal(ledger.state, 'approved');
  assert.ok(fake.requests.includes(`SALE ${ref} 4500 ${CARD_TIMEOUT_MS}`), 'the request carries the card timeout');
  assert.match(terminal.description, /line protocol terminal on .*agent-end at 115200 baud/);
});

test('declined, timed out and card removed: no money taken', TIME_LIMIT, async () => {
  const before = fake.moneyTaken;
  fake.next.push('decline', 'timeout', 'remove');
  const declined = await terminal.charge({ reference: reference(), amount: 1_000, cardTimeoutMs: CARD_TIMEOUT_MS });
  assert.equal(declined.kind, 'declined');
  assert.match((declined as { message: string }).message, /insufficient funds \(51\)/);
  assert.deepEqual(await terminal.charge({ reference: reference(), amount: 1_000, cardTimeoutMs: CARD_TIMEOUT_MS }), { kind: 'timed_out' });
  assert.deepEqual(await terminal.charge({ reference: reference(), amount: 1_000, cardTimeoutMs: CARD_TIMEOUT_MS }), { kind: 'card_removed' });
  assert.equal(fake.moneyTaken, before);
});

test('a lost answer is answer_lost; the void by reference gives the money back', TIME_LIMIT, async () => {
  const before = fake.moneyTaken;
  const ref = reference();
  fake.next.push('lose_answer');
  assert.deepEqual(await terminal.charge({ reference: ref, amount: 3_000, cardTimeoutMs: CARD_TIMEOUT_MS }), { kind: 'answer_lost' });
  assert.equal(fake.transactions.get(ref)?.state, 'approved', 'the terminal did charge');
  assert.equal(fake.moneyTaken, before + 3_000);
  const voided = await terminal.void(ref);
  assert.deepEqual(voided, { kind: 'voided', terminalReference: fake.transactions.get(ref)!.terminalReference });
  assert.equal(fake.transactions.get(ref)?.state, 'voided');
  assert.equal(fake.moneyTaken, before);
  // voiding again changes nothing
  assert.equal((await terminal.void(ref)).kind, 'voided');
});

test('a garbled line is answer_lost (the charge may have happened); lines for other references are ignored', TIME_LIMIT, async () => {
  fake.answerDelayMs = 300;
  try {
    const ref = reference();
    const charging = terminal.charge({ reference: ref, amount: 2_000, cardTimeoutMs: CARD_TIMEOUT_MS });
    await fake.waitForRequests(`SALE ${ref}`, 1);
    fake.say('APPROVED someone-else 2000 12345678 T-OTHER');
    fake.say('TIMEOUT someone-else');
    assert.equal((await charging).kind, 'approved', 'the answers for another reference did not count');

    const garbled = reference();
    const lost = terminal.charge({ reference: garbled, amount: 2_000, cardTimeoutMs: CARD_TIMEOUT_MS });
    await fake.waitForRequests(`SALE ${garbled}`, 1);
    fake.say('APPR0VED ###');
    assert.deepEqual(await lost, { kind: 'answer_lost' });
    // the terminal charges after all (its answer is no answer to anything now); the void finds it
    while (!fake.transactions.has(garbled)) await new Promise((resolve) => setTimeout(resolve, 10));
    const voided = await terminal.void(garbled);
    assert.equal(voided.kind, 'voided');
    assert.equal(fake.transactions.get(garbled)?.state, 'voided');
  } finally {
    fake.answerDelayMs = 20;
  }
});

test('nothing to void (NOTFOUND, or declined) counts as voided; a failed void says why', TIME_LIMIT, async () => {
  assert.deepEqual(await terminal.void(reference()), { kind: 'voided' });
  const declined = reference();
  fake.next.push('decline');
  await terminal.charge({ reference: declined, amount: 500, cardTimeoutMs: CARD_TIMEOUT_MS });
  assert.deepEqual(await terminal.void(declined), { kind: 'voided' });

  const approved = reference();
  await terminal.charge({ reference: approved, amount: 500, cardTimeoutMs: CARD_TIMEOUT_MS });
  fake.failVoids = true;
  try {
    const failed = await terminal.void(approved);
    assert.equal(failed.kind, 'failed');
    assert.match((failed as { message: string }).message, /van_unreachable/);
    assert.equal(fake.transactions.get(approved)?.state, 'approved');
  } finally {
    fake.failVoids = false;
  }
});

test('refunds: part, then the rest; asking again refunds nothing more; more than is left fails', TIME_LIMIT, async () => {
  const ref = reference();
  const charged = await terminal.charge({ reference: ref, amount: 9_000, cardTimeoutMs: CARD_TIMEOUT_MS });
  assert.equal(charged.kind, 'approved');
  const { approvalNumber } = charged as { approvalNumber: string };
  const first = await terminal.refund({ reference: `${ref}-r1`, originalReference: ref, approvalNumber, amount: 4_000 });
  assert.equal(first.kind, 'refunded');
  assert.deepEqual(await terminal.refund({ reference: `${ref}-r1`, originalReference: ref, approvalNumber, amount: 4_000 }), first);
  assert.equal(fake.transactions.get(ref)?.refunded, 4_000);
  const tooMuch = await terminal.refund({ reference: `${ref}-r2`, originalReference: ref, approvalNumber, amount: 6_000 });
  assert.equal(tooMuch.kind, 'failed');
  assert.match((tooMuch as { message: string }).message, /exceeds_paid/);
  const wrongApproval = await terminal.refund({ reference: `${ref}-r3`, originalReference: ref, approvalNumber: '00000000', amount: 100 });
  assert.equal(wrongApproval.kind, 'failed');
  assert.equal((await terminal.refund({ reference: `${ref}-r4`, originalReference: ref, approvalNumber, amount: 5_000 })).kind, 'refunded');
  assert.deepEqual({ state: fake.transactions.get(ref)?.state, refunded: fake.transactions.get(ref)?.refunded }, { state: 'refunded', refunded: 9_000 });
});

test('the customer gives up: ABORT while waiting for the card, APPROVED when it was too late, nothing sent when already given up', TIME_LIMIT, async () => {
  const waiting = reference();
  fake.next.push('timeout');
  const controller = new AbortController();
  const charging = terminal.charge({ reference: waiting, amount: 1_500, cardTimeoutMs: 5_000 }, controller.signal);
  await fake.waitForRequests(`SALE ${waiting}`, 1);
  controller.abort();
  assert.deepEqual(await charging, { kind: 'timed_out' });
  assert.ok(fake.requests.includes(`ABORT ${waiting}`));
  assert.equal(fake.transactions.has(waiting), false, 'no money taken');

  const late = reference();
  fake.next.push('lose_answer');
  const tooLate = new AbortController();
  const charged = terminal.charge({ reference: late, amount: 1_500, cardTimeoutMs: 5_000 }, tooLate.signal);
  await fake.waitForRequests(`SALE ${late}`, 1);
  while (!fake.transactions.has(late)) await new Promise((resolve) => setTimeout(resolve, 10));
  tooLate.abort();
  const outcome = await charged;
  assert.equal(outcome.kind, 'approved', 'the charge went through before the abort: we are told');
  assert.equal((outcome as { approvalNumber: string }).approvalNumber, fake.transactions.get(late)?.approvalNumber);

  const sales = fake.count('SALE ');
  assert.deepEqual(await terminal.charge({ reference: reference(), amount: 1_500, cardTimeoutMs: 5_000 }, AbortSignal.abort()), { kind: 'timed_out' });
  assert.equal(fake.count('SALE '), sales, 'no SALE for a customer who already left');
});

test('one request at a time: a void asked during a charge waits for its answer', TIME_LIMIT, async () => {
  const ref = reference();
  fake.answerDelayMs = 150;
  try {
    const charging = terminal.charge({ reference: ref, amount: 700, cardTimeoutMs: CARD_TIMEOUT_MS });
    const voiding = terminal.void(ref);
    assert.equal(await terminal.status(), 'ready', 'a terminal busy with us is there');
    assert.equal((await charging).kind, 'approved');
    assert.equal((await voiding).kind, 'voided');
    const lines = fake.requests.filter((line) => line.endsWith(ref) || line.includes(` ${ref} `));
    assert.deepEqual(lines, [`SALE ${ref} 700 ${CARD_TIMEOUT_MS}`, `VOID ${ref}`]);
  } finally {
    fake.answerDelayMs = 20;
  }
});

test('an unplugged terminal is offline, a charge is declined without a request; plugged back it is ready', TIME_LIMIT, async () => {
  await fake.unplug();
  assert.equal(await terminal.status(), 'offline');
  const outcome = await terminal.charge({ reference: reference(), amount: 1_000, cardTimeoutMs: CARD_TIMEOUT_MS });
  assert.equal(outcome.kind, 'declined');
  assert.match((outcome as { message: string }).message, /offline/);
  assert.equal((await terminal.void(reference())).kind, 'failed');
  await fake.start();
  assert.equal(await terminal.status(), 'ready');
  assert.equal((await terminal.charge({ reference: reference(), amount: 1_000, cardTimeoutMs: CARD_TIMEOUT_MS })).kind, 'approved');
});

test('a terminal that never answers is offline, and a charge sent to it is answer_lost', TIME_LIMIT, async () => {
  const directory = temporaryDirectory('silent-terminal');
  // the cable is in, nobody answers (a hung terminal, a wrong baud rate)
  const cable = new PtyPair(path.join(directory, 'agent-end'), path.join(directory, 'terminal-end'));
  await cable.start();
  const driver = openCardTerminal(`line:${cable.agentPath},answer_margin_ms=300,command_timeout_ms=300,status_timeout_ms=300`);
  try {
    assert.equal(await driver.status(), 'offline');
    assert.deepEqual(await driver.charge({ reference: reference(), amount: 100, cardTimeoutMs: CARD_TIMEOUT_MS }), { kind: 'answer_lost' });
    assert.deepEqual(await driver.void(reference()), { kind: 'failed', message: 'no answer in time' });
  } finally {
    await driver.close();
    await cable.stop();
  }
});

test('the option value is checked', () => {
  assert.throws(() => openCardTerminal('serial:/dev/ttyUSB0'), /expected line:<path>/);
  assert.throws(() => openCardTerminal('line:'), /path is missing/);
  assert.throws(() => openCardTerminal('line:/dev/ttyUSB0,speed=9600'), /not a setting/);
  assert.throws(() => openCardTerminal('line:/dev/ttyUSB0,baud=fast'), /baud must be a whole number/);
  assert.match(openCardTerminal('line:/dev/ttyUSB0,baud=9600').description, /ttyUSB0 at 9600 baud/);
});
