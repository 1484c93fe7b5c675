// A fake card terminal speaking the line protocol on the device end of a socat pseudo-terminal
// pair, for tests and the demo. Its ledger (`transactions`) is the truth about money taken: a
// test asks it, not the driver, whether a customer was charged. unplug() pulls the cable.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { ReadlineParser, SerialPort } from 'serialport';
import { PtyPair } from '../pty-pair.js';
import { formatAnswer, parseRequest, type TerminalAnswer, type TerminalRequest } from './line-protocol.js';

/** what the next SALE does */
export type FakeChargeBehaviour = 'approve' | 'decline' | 'timeout' | 'remove' | 'lose_answer';
export const FAKE_CHARGE_BEHAVIOURS: readonly FakeChargeBehaviour[] = ['approve', 'decline', 'timeout', 'remove', 'lose_answer'];

export interface FakeTransaction {
  amount: number;
  state: 'approved' | 'voided' | 'refunded' | 'declined';
  /** '' when declined */
  approvalNumber: string;
  /** '' when declined */
  terminalReference: string;
  /** won given back so far */
  refunded: number;
}

interface PendingSale {
  reference: string;
  timer: NodeJS.Timeout;
}

export class FakeTerminal extends EventEmitter<{ request: [string] }> {
  /** the agent's end of the pair */
  readonly agentPath: string;
  /** the outcomes of the next SALEs, in order; then 'approve' */
  next: FakeChargeBehaviour[] = [];
  /** how long after WAIT the outcome comes (the customer inserting the card) */
  answerDelayMs = 20;
  /** VOIDs answer VOIDFAIL while set */
  failVoids = false;
  /** by our reference (the SALE's) */
  readonly transactions = new Map<string, FakeTransaction>();
  /** refunds by their own reference */
  readonly refunds = new Map<string, { originalReference: string; amount: number; terminalReference: string }>();
  /** every line received, in order */
  readonly requests: string[] = [];
  private readonly pair: PtyPair;
  private port: SerialPort | undefined;
  private pending: PendingSale | undefined;
  private readonly approvalNumbers = new Set<string>();
  private sequence = 0;

  constructor(directory: string, options: { agentPath?: string } = {}) {
    super();
    this.agentPath = options.agentPath ?? path.join(directory, 'agent-end');
    this.pair = new PtyPair(this.agentPath, path.join(directory, 'terminal-end'));
  }

  /** plugs the terminal in: the pair exists and the fake listens */
  async start(): Promise<void> {
    await this.pair.start();
    const port = new SerialPort({ path: this.pair.devicePath, baudRate: 115_200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    port.on('error', () => undefined); // the other end vanishing is what unplug() does
    port.pipe(new ReadlineParser({ delimiter: '\n', encoding: 'utf8' })).on('data', (line: string) => this.onLine(line.replace(/\r$/, '')));
    this.port = port;
  }

  /** pulls the cable: socat and both pseudo-terminals go away; a sale under way is forgotten unanswered */
  async unplug(): Promise<void> {
    if (this.pending) clearTimeout(this.pending.timer);
    this.pending = undefined;
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    await this.pair.stop();
  }

  /** the number of lines received so far that start with `prefix` */
  count(prefix: string): number {
    return this.requests.filter((line) => line.startsWith(prefix)).length;
  }

  /** sends any line, as a confused terminal or a late answer would */
  say(line: string): void {
    this.port?.write(`${line}\n`);
  }

  /** waits until `count` lines starting with `prefix` have come in all (an error after the time limit) */
  async waitForRequests(prefix: string, count: number, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.count(prefix) < count) {
      if (Date.now() > deadline) throw new Error(`the terminal received ${this.count(prefix)} of ${count} ${prefix} lines in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** won charged and not given back, over the whole ledger */
  get moneyTaken(): number {
    let total = 0;
    for (const transaction of this.transactions.values()) {
      if (transaction.state === 'approved' || transaction.state === 'refunded') total += transaction.amount - transaction.refunded;
    }
    return total;
  }

  private send(answer: TerminalAnswer): void {
    this.port?.write(`${formatAnswer(answer)}\n`);
  }

  private onLine(line: string): void {
    this.requests.push(line);
    this.emit('request', line);
    const request = parseRequest(line);
    if (!request) {
      this.send({ kind: 'ERROR', code: 'bad_request', message: 'unreadable request' });
      return;
    }
    this.handle(request);
  }

  private handle(request: TerminalRequest): void {
    switch (request.kind) {
      case 'PING':
        this.send({ kind: 'PONG' });
        return;
      case 'SALE':
        this.sale(request.reference, request.amount, request.timeoutMs);
        return;
      case 'ABORT':
        this.abort(request.reference);
        return;
      case 'VOID':
        this.voidSale(request.reference);
        return;
      case 'REFUND':
        this.refund(request);
        return;
    }
  }

  private sale(reference: string, amount: number, timeoutMs: number): void {
    if (this.pending || this.transactions.has(reference)) {
      this.send({ kind: 'DECLINED', reference, code: this.pending ? 'busy' : 'duplicate', message: 'not started' });
      return;
    }
    const behaviour = this.next.shift() ?? 'approve';
    this.send({ kind: 'WAIT', reference });
    const wait = behaviour === 'timeout' ? timeoutMs : this.answerDelayMs;
    const timer = setTimeout(() => {
      this.pending = undefined;
      this.finishSale(reference, amount, behaviour);
    }, wait);
    this.pending = { reference, timer };
  }

  private finishSale(reference: string, amount: number, behaviour: FakeChargeBehaviour): void {
    switch (behaviour) {
      case 'approve':
      case 'lose_answer': {
        const transaction = this.approve(reference, amount);
        // lose_answer: the money is taken, the line never comes
        if (behaviour === 'approve') this.sendApproved(reference, transaction);
        return;
      }
      case 'decline':
        this.transactions.set(reference, { amount, state: 'declined', approvalNumber: '', terminalReference: '', refunded: 0 });
        this.send({ kind: 'DECLINED', reference, code: '51', message: 'insufficient funds' });
        return;
      case 'timeout':
        this.send({ kind: 'TIMEOUT', reference });
        return;
      case 'remove':
        this.send({ kind: 'REMOVED', reference });
        return;
    }
  }

  private approve(reference: string, amount: number): FakeTransaction {
    const transaction: FakeTransaction = {
      amount,
      state: 'approved',
      approvalNumber: this.newApprovalNumber(),
      terminalReference: this.newTerminalReference(),
      refunded: 0,
    };
    this.transactions.set(reference, transaction);
    return transaction;
  }

  private sendApproved(reference: string, transaction: FakeTransaction): void {
    this.send({
      kind: 'APPROVED',
      reference,
      amount: transaction.amount,
      approvalNumber: transaction.approvalNumber,
      terminalReference: transaction.terminalReference,
    });
  }

  private abort(reference: string): void {
    if (this.pending?.reference === reference) {
      clearTimeout(this.pending.timer);
      this.pending = undefined;
      this.send({ kind: 'ABORTED', reference });
      return;
    }
    const transaction = this.transactions.get(reference);
    // too late: the card was charged (its answer may have been lost)
    if (transaction?.state === 'approved') this.sendApproved(reference, transaction);
    else this.send({ kind: 'ABORTED', reference });
  }

  private voidSale(reference: string): void {
    if (this.failVoids) {
      this.send({ kind: 'VOIDFAIL', reference, code: 'van_unreachable', message: 'try again' });
      return;
    }
    if (this.pending?.reference === reference) {
      // a sale still waiting for its card is simply stopped
      clearTimeout(this.pending.timer);
      this.pending = undefined;
    }
    const transaction = this.transactions.get(reference);
    if (!transaction || transaction.state === 'declined') {
      this.send({ kind: 'NOTFOUND', reference });
      return;
    }
    if (transaction.refunded > 0) {
      this.send({ kind: 'VOIDFAIL', reference, code: 'refunded', message: 'already refunded' });
      return;
    }
    transaction.state = 'voided';
    this.send({ kind: 'VOIDED', reference, terminalReference: transaction.terminalReference });
  }

  private refund(request: Extract<TerminalRequest, { kind: 'REFUND' }>): void {
    const done = this.refunds.get(request.reference);
    if (done) {
      // the same refund asked again: the same answer, no second refund
      this.send({ kind: 'REFUNDED', reference: request.reference, terminalReference: done.terminalReference });
      return;
    }
    const original = this.transactions.get(request.originalReference);
    const fail = (code: string, message: string) => this.send({ kind: 'REFUNDFAIL', reference: request.reference, code, message });
    if (!original || original.state === 'declined' || original.state === 'voided') return fail('not_found', 'no such approval');
    if (original.approvalNumber !== request.approvalNumber) return fail('approval_mismatch', 'wrong approval number');
    if (request.amount > original.amount - original.refunded) return fail('exceeds_paid', 'more than is left');
    original.refunded += request.amount;
    if (original.refunded === original.amount) original.state = 'refunded';
    const terminalReference = this.newTerminalReference();
    this.refunds.set(request.reference, { originalReference: request.originalReference, amount: request.amount, terminalReference });
    this.send({ kind: 'REFUNDED', reference: request.reference, terminalReference });
  }

  /** 8 digits, never the same twice */
  private newApprovalNumber(): string {
    for (;;) {
      const candidate = String(10_000_000 + Math.floor(Math.random() * 90_000_000));
      if (!this.approvalNumbers.has(candidate)) {
        this.approvalNumbers.add(candidate);
        return candidate;
      }
    }
  }

  private newTerminalReference(): string {
    this.sequence += 1;
    return `FT${Date.now().toString(36).toUpperCase()}${String(this.sequence).padStart(6, '0')}`;
  }
}
