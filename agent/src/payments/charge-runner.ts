// Card charges on the agent's side (docs/payments.md, "Card at the kiosk"): a Charge from the server
// drives the terminal, the outcome goes to the journal and then to the server with ReportPayment
// (retried with backoff, each call with a deadline) until it answers. The rule: an approval the
// server has not confirmed is given back. So the agent voids by reference when the terminal's
// answer is lost, when the server says VOID, when the customer gives up (VoidPayment), when
// confirm_by passes unconfirmed, and after a restart that interrupted a sale.
import { Backoff, type BackoffPolicy } from '../backoff.js';
import { type ChargeCommand, type DeviceClient, type PaymentReport, Status, statusOf } from '../device-client.js';
import type { Logger } from '../log.js';
import type { CardTerminal, ChargeOutcome } from '../terminal/card-terminal.js';
import type { JournalEntry, PaymentJournal } from './journal.js';

export interface ChargeRunnerParts {
  terminal: CardTerminal | undefined;
  client: Pick<DeviceClient, 'reportPayment'>;
  journal: PaymentJournal;
  retry: BackoffPolicy;
  log: Logger;
}

/** outcomes after which no money is held */
const SETTLED_OUTCOMES = new Set(['DECLINED', 'TIMED_OUT', 'CARD_REMOVED', 'VOIDED']);
const VOID_TRIES = 3;
/** the server will never take this report: retrying cannot help */
const REFUSED = new Set<number>([Status.INVALID_ARGUMENT, Status.NOT_FOUND, Status.FAILED_PRECONDITION, Status.PERMISSION_DENIED]);

export class ChargeRunner {
  /** sales under way on the terminal, to abort when the customer gives up */
  private readonly underWay = new Map<string, AbortController>();
  /** one step at a time per payment (a void and a report decision must not cross) */
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly delivering = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly parts: ChargeRunnerParts) {}

  /** a sale is under way on the terminal (its line is taken) */
  get busy(): boolean {
    return this.underWay.size > 0;
  }

  /** after a start: what the journal says was left unfinished */
  recover(): void {
    for (const entry of this.parts.journal.unsettled()) {
      if (!entry.report) {
        if (!entry.charge) continue;
        // the agent stopped mid-sale: whether the terminal charged is unknown, so the charge is voided
        this.parts.log.warn('payment.interrupted', { paymentId: entry.paymentId, amount: entry.charge.amount });
        void this.locked(entry.paymentId, () => this.voidAndRecord(entry, 'agent_restarted')).then(() => this.deliver(entry.paymentId));
      } else {
        this.parts.log.info('payment.redeliver', { paymentId: entry.paymentId, outcome: entry.report.outcome });
        this.deliver(entry.paymentId);
      }
    }
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    // a sale under way stays in the journal without an outcome: voided after the restart
  }

  charge(command: ChargeCommand): void {
    const { paymentId } = command;
    const known = this.parts.journal.get(paymentId);
    if (known) {
      // the server sent it again (the stream reopened): nothing new starts
      this.parts.log.info('payment.charge_repeated', { paymentId, outcome: known.report?.outcome ?? 'under way' });
      if (known.report && !known.done) this.deliver(paymentId);
      return;
    }
    void this.runCharge(command).catch((error: unknown) => this.parts.log.error('payment.charge_failed', { paymentId, error }));
  }

  /** VoidPayment: the customer gave up, or the server could not keep the order */
  voidPayment(paymentId: string, reason: string): void {
    const sale = this.underWay.get(paymentId);
    this.parts.log.info('payment.void_requested', { paymentId, reason, saleUnderWay: sale !== undefined });
    if (sale) {
      // the sale ends (aborted, or approved too late) and is voided by runCharge
      sale.abort(reason);
      return;
    }
    void this.locked(paymentId, async () => {
      const entry = this.parts.journal.get(paymentId) ?? { paymentId, reportSequence: 0, done: false, updatedAt: Date.now() };
      if (entry.report && SETTLED_OUTCOMES.has(entry.report.outcome)) return;
      await this.voidAndRecord(entry, reason);
    })
      .then(() => this.deliver(paymentId))
      .catch((error: unknown) => this.parts.log.error('payment.void_failed', { paymentId, error }));
  }

  /** RefundPayment: money back for an approved charge, as its own terminal operation */
  refund(command: { refundId: string; paymentId: string; approvalNumber: string; amount: number }): void {
    const { refundId } = command;
    if (this.parts.journal.get(refundId)) {
      this.deliver(refundId);
      return;
    }
    void this.locked(refundId, async () => {
      const terminal = this.parts.terminal;
      const result = terminal
        ? await terminal
            .refund({ reference: refundId, originalReference: command.paymentId, approvalNumber: command.approvalNumber, amount: command.amount })
            .catch((error: unknown) => ({ kind: 'failed' as const, message: String((error as Error).message ?? error) }))
        : { kind: 'failed' as const, message: 'no card terminal' };
      this.parts.log.info('payment.refund', { refundId, paymentId: command.paymentId, amount: command.amount, result: result.kind });
      this.parts.journal.outcome({
        paymentId: refundId,
        outcome: result.kind === 'refunded' ? 'REFUNDED' : 'REFUND_FAILED',
        amount: command.amount,
        approvalNumber: '',
        terminalReference: result.kind === 'refunded' ? result.terminalReference : '',
        message: result.kind === 'failed' ? result.message : '',
        occurredAtMs: Date.now(),
      });
    }).then(() => this.deliver(refundId));
  }

  private async runCharge(command: ChargeCommand): Promise<void> {
    const { paymentId, amount } = command;
    const { journal, log } = this.parts;
    journal.charging(paymentId, { orderId: command.orderId, orderNumber: command.orderNumber, amount, confirmByMs: command.confirmByMs });
    const terminal = this.parts.terminal;
    log.info('payment.charging', { paymentId, orderNumber: command.orderNumber, amount, cardTimeoutMs: command.cardTimeoutMs });
    const controller = new AbortController();
    this.underWay.set(paymentId, controller);
    let outcome: ChargeOutcome;
    try {
      outcome = terminal
        ? await terminal.charge({ reference: paymentId, amount, cardTimeoutMs: command.cardTimeoutMs }, controller.signal)
        : { kind: 'declined', message: 'no card terminal' };
    } catch (error) {
      log.warn('payment.terminal_error', { paymentId, error });
      outcome = { kind: 'answer_lost' };
    } finally {
      this.underWay.delete(paymentId);
    }
    // stopping closes the terminal under the sale: its outcome is unknown, and the next start voids it
    if (this.stopped) return;
    log.info('payment.terminal_answered', { paymentId, outcome: outcome.kind, aborted: controller.signal.aborted });
    await this.locked(paymentId, async () => {
      const entry = journal.get(paymentId)!;
      if (controller.signal.aborted || outcome.kind === 'answer_lost') {
        // given up, or unknown whether it charged: void by reference (a void of nothing is fine)
        await this.voidAndRecord(entry, controller.signal.aborted ? String(controller.signal.reason ?? 'aborted') : 'answer_lost');
        return;
      }
      journal.outcome(reportOf(paymentId, amount, outcome));
    });
    this.deliver(paymentId);
  }

  /** voids by reference (a few tries) and records VOIDED or VOID_FAILED; call under the payment's lock */
  private async voidAndRecord(entry: JournalEntry, why: string): Promise<void> {
    const { paymentId } = entry;
    const terminal = this.parts.terminal;
    let result: { kind: 'voided'; terminalReference?: string } | { kind: 'failed'; message: string } = { kind: 'failed', message: 'no card terminal' };
    const backoff = new Backoff(this.parts.retry);
    for (let attempt = 1; terminal && attempt <= VOID_TRIES; attempt++) {
      result = await terminal.void(paymentId).catch((error: unknown) => ({ kind: 'failed' as const, message: String((error as Error).message ?? error) }));
      if (result.kind === 'voided' || this.stopped) break;
      if (attempt < VOID_TRIES) await this.sleep(backoff.next());
    }
    // the terminal closed under the void: left for the next start, which voids it again
    if (this.stopped && result.kind !== 'voided') return;
    const voided = result.kind === 'voided';
    const failure = result.kind === 'failed' ? result.message : undefined;
    this.parts.log[voided ? 'info' : 'error']('payment.voided', { paymentId, why, result: result.kind, ...(failure ? { message: failure } : {}) });
    this.parts.journal.outcome({
      paymentId,
      outcome: voided ? 'VOIDED' : 'VOID_FAILED',
      amount: entry.charge?.amount ?? entry.report?.amount ?? 0,
      approvalNumber: entry.report?.approvalNumber ?? '',
      terminalReference: (result.kind === 'voided' ? result.terminalReference : undefined) ?? entry.report?.terminalReference ?? '',
      message: failure === undefined ? why : `${why}: ${failure}`,
      occurredAtMs: Date.now(),
    });
  }

  /** reports the payment's latest outcome until the server answers it (one loop per payment) */
  private deliver(paymentId: string): void {
    if (this.delivering.has(paymentId) || this.stopped) return;
    this.delivering.add(paymentId);
    void this.deliverLoop(paymentId)
      .catch((error: unknown) => this.parts.log.error('payment.report_loop_failed', { paymentId, error }))
      .finally(() => this.delivering.delete(paymentId));
  }

  private async deliverLoop(paymentId: string): Promise<void> {
    const { journal, log, client } = this.parts;
    const backoff = new Backoff(this.parts.retry);
    while (!this.stopped) {
      const entry = journal.get(paymentId);
      if (!entry?.report || entry.done) return;
      const { report, reportSequence } = entry;
      const confirmBy = entry.charge?.confirmByMs;
      if (report.outcome === 'APPROVED' && confirmBy !== undefined && Date.now() > confirmBy) {
        // the server never confirmed in time: it no longer will, so the money goes back
        await this.locked(paymentId, async () => {
          if (journal.get(paymentId)?.reportSequence === reportSequence) await this.voidAndRecord(entry, 'confirm_window_passed');
        });
        continue;
      }
      try {
        const decision = await client.reportPayment(report);
        backoff.reset();
        log.info('payment.reported', { paymentId, outcome: report.outcome, action: decision.action, reason: decision.reason || undefined });
        await this.locked(paymentId, async () => {
          if (journal.get(paymentId)?.reportSequence !== reportSequence) return; // a newer outcome: report that one
          if (decision.action === 'VOID' && report.outcome === 'APPROVED') await this.voidAndRecord(entry, decision.reason || 'server_void');
          else journal.done(paymentId, decision.action);
        });
      } catch (error) {
        const status = statusOf(error);
        if (status !== undefined && REFUSED.has(status)) {
          log.warn('payment.report_refused', { paymentId, outcome: report.outcome, code: Status[status], details: (error as { details?: string }).details });
          await this.locked(paymentId, async () => {
            if (journal.get(paymentId)?.reportSequence !== reportSequence) return;
            // an approval the server will not make an order of is given back; anything else is dropped
            if (report.outcome === 'APPROVED') await this.voidAndRecord(entry, 'server_refused');
            else journal.done(paymentId, 'REFUSED');
          });
          continue;
        }
        let waitMs = backoff.next();
        if (report.outcome === 'APPROVED' && confirmBy !== undefined) waitMs = Math.max(0, Math.min(waitMs, confirmBy - Date.now() + 50));
        log.warn('payment.report_failed', {
          paymentId,
          outcome: report.outcome,
          code: status === undefined ? String(error) : Status[status],
          retryInMs: waitMs,
        });
        await this.sleep(waitMs);
      }
    }
  }

  private locked<T>(paymentId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(paymentId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    const tail = next.catch(() => undefined);
    this.locks.set(paymentId, tail);
    void tail.then(() => {
      if (this.locks.get(paymentId) === tail) this.locks.delete(paymentId);
    });
    return next;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}

function reportOf(paymentId: string, amount: number, outcome: Exclude<ChargeOutcome, { kind: 'answer_lost' }>): PaymentReport {
  const base = { paymentId, amount, approvalNumber: '', terminalReference: '', message: '', occurredAtMs: Date.now() };
  switch (outcome.kind) {
    case 'approved':
      return { ...base, outcome: 'APPROVED', amount: outcome.amount, approvalNumber: outcome.approvalNumber, terminalReference: outcome.terminalReference };
    case 'declined':
      return { ...base, outcome: 'DECLINED', message: outcome.message };
    case 'timed_out':
      return { ...base, outcome: 'TIMED_OUT' };
    case 'card_removed':
      return { ...base, outcome: 'CARD_REMOVED' };
  }
}
