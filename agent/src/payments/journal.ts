// The agent's memory of its charges, on disk: one JSON line per step, fsynced where losing it would
// lose money. After a crash or a restart it says which charge was under way without an outcome (to
// void by reference), which outcome the server has not acknowledged yet (to report again), and which
// payment ids it has seen (a Charge repeated when the stream reopens starts nothing new).
import fs from 'node:fs';
import path from 'node:path';
import type { PaymentReport } from '../device-client.js';

export interface ChargeRecord {
  orderId: string;
  orderNumber: number;
  amount: number;
  /** Unix ms (the server's clock): an approval not confirmed by then is voided */
  confirmByMs: number;
}

type JournalRecord =
  | ({ type: 'charging'; paymentId: string; at: number } & ChargeRecord)
  /** the outcome to deliver; a later one (the void after an approval) replaces it */
  | { type: 'outcome'; paymentId: string; at: number; report: PaymentReport }
  /** the server answered the latest outcome */
  | { type: 'done'; paymentId: string; at: number; action: string };

export interface JournalEntry {
  paymentId: string;
  /** absent for a refund, or a void of a charge this agent never started */
  charge?: ChargeRecord;
  report?: PaymentReport;
  /** increases with each outcome, so a report loop notices a newer one */
  reportSequence: number;
  done: boolean;
  updatedAt: number;
}

/** entries the server answered are kept this long, so a Charge repeated late is still recognised */
const KEEP_DONE_MS = 24 * 3_600_000;
const FILE = 'payments.jsonl';

export class PaymentJournal {
  private readonly entries = new Map<string, JournalEntry>();
  private fd: number;

  private constructor(readonly file: string) {
    this.fd = -1;
  }

  /** reads the journal in `directory` (made if missing), keeps what still matters, and opens it for appending */
  static open(directory: string, now = Date.now()): PaymentJournal {
    fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
    const journal = new PaymentJournal(path.join(directory, FILE));
    let text = '';
    try {
      text = fs.readFileSync(journal.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        journal.apply(JSON.parse(line) as JournalRecord);
      } catch {
        // a line torn by a power cut can only be the last one: what it said was not acted upon yet
      }
    }
    // rewritten without the old settled entries, then replaced in one rename
    for (const [id, entry] of journal.entries) if (entry.done && now - entry.updatedAt > KEEP_DONE_MS) journal.entries.delete(id);
    const compacted = `${journal.file}.tmp`;
    const fd = fs.openSync(compacted, 'w', 0o600);
    for (const entry of journal.entries.values()) {
      for (const record of recordsOf(entry)) fs.writeSync(fd, `${JSON.stringify(record)}\n`);
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(compacted, journal.file);
    journal.fd = fs.openSync(journal.file, 'a', 0o600);
    return journal;
  }

  get(paymentId: string): JournalEntry | undefined {
    return this.entries.get(paymentId);
  }

  /** entries the server has not answered yet */
  unsettled(): JournalEntry[] {
    return [...this.entries.values()].filter((entry) => !entry.done);
  }

  /** before the terminal is asked: on disk first, so a crash mid-sale is voided after the restart */
  charging(paymentId: string, charge: ChargeRecord): void {
    this.write({ type: 'charging', paymentId, at: Date.now(), ...charge }, true);
  }

  /** what the terminal said (or the void that followed): on disk before it is reported */
  outcome(report: PaymentReport): JournalEntry {
    this.write({ type: 'outcome', paymentId: report.paymentId, at: Date.now(), report }, true);
    return this.entries.get(report.paymentId)!;
  }

  /** the server answered; losing this line only means one more (idempotent) report */
  done(paymentId: string, action: string): void {
    this.write({ type: 'done', paymentId, at: Date.now(), action }, false);
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }

  private write(record: JournalRecord, sync: boolean): void {
    if (this.fd < 0) throw new Error('the payment journal is closed');
    fs.writeSync(this.fd, `${JSON.stringify(record)}\n`);
    if (sync) fs.fsyncSync(this.fd);
    this.apply(record);
  }

  private apply(record: JournalRecord): void {
    let entry = this.entries.get(record.paymentId);
    if (!entry) {
      entry = { paymentId: record.paymentId, reportSequence: 0, done: false, updatedAt: record.at };
      this.entries.set(record.paymentId, entry);
    }
    entry.updatedAt = record.at;
    if (record.type === 'charging') {
      entry.charge = { orderId: record.orderId, orderNumber: record.orderNumber, amount: record.amount, confirmByMs: record.confirmByMs };
    } else if (record.type === 'outcome') {
      entry.report = record.report;
      entry.reportSequence += 1;
      entry.done = false;
    } else {
      entry.done = true;
    }
  }
}

function recordsOf(entry: JournalEntry): JournalRecord[] {
  const records: JournalRecord[] = [];
  if (entry.charge) records.push({ type: 'charging', paymentId: entry.paymentId, at: entry.updatedAt, ...entry.charge });
  if (entry.report) records.push({ type: 'outcome', paymentId: entry.paymentId, at: entry.updatedAt, report: entry.report });
  if (entry.done) records.push({ type: 'done', paymentId: entry.paymentId, at: entry.updatedAt, action: 'settled' });
  return records;
}
