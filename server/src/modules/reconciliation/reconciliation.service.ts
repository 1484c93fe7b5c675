// The daily reconciliation (docs/payments.md#reconciliation): for one store and business day (the
// orders' local date), the charges the kiosks' terminals and the gateway reported are held against
// the orders, and the gateway's own records against the mobile charges. Every mismatch is listed
// for the owner; nothing is mended here, a person decides. A run replaces that day's previous run.
import type { Database } from '../../platform/db/database.js';
import { DomainError } from '../../platform/http/errors.js';
import type { ScheduledJob } from '../../platform/jobs/scheduler.js';
import type { GatewayTransaction, PaymentGateway } from '../../platform/payment-gateway/payment-gateway.js';
import { addDays, localDate } from '../../platform/time/local-date.js';
import { type AttemptInDoubt, type BusinessDay, type MismatchRow, ReconciliationRepository, type StoredRun } from './reconciliation.repository.js';

export type ReconciliationRun = StoredRun;

export interface ReconciliationOptions {
  /** a void or refund still unanswered after this long is listed (default 10 minutes) */
  staleAfterMs?: number;
  /** the job reconciles a day once its stores' clocks are this far past its end (default 15 minutes) */
  settleMs?: number;
  now?: () => Date;
}

/** the gateway's records, when it keeps them beyond this process (the embedded fake does not) */
export type GatewayRecords = Pick<PaymentGateway, 'listTransactions'>;

export class ReconciliationService {
  private readonly staleAfterMs: number;
  private readonly settleMs: number;
  private readonly now: () => Date;

  constructor(
    private readonly db: Database,
    private readonly gateway: GatewayRecords | undefined,
    options: ReconciliationOptions = {},
  ) {
    this.staleAfterMs = options.staleAfterMs ?? 10 * 60_000;
    this.settleMs = options.settleMs ?? 15 * 60_000;
    this.now = options.now ?? (() => new Date());
  }

  /** reconciles one business day of the store now, replacing that day's previous run */
  async reconcile(storeId: string, date: string): Promise<ReconciliationRun> {
    const repository = new ReconciliationRepository(this.db);
    const store = await repository.store(storeId);
    if (!store) throw new DomainError('not_found', 'store_not_found', 'There is no such store.');
    if (date > localDate(store.timeZone, this.now())) {
      throw new DomainError('invalid', 'date_in_future', 'That business day has not begun yet.');
    }
    const startedAt = this.now();
    const day = await repository.dayBounds(storeId, date, store.timeZone);
    const [ordersChecked, mismatches] = await Promise.all([repository.countOrders(day), this.findMismatches(repository, day, startedAt)]);
    await this.db
      .transaction()
      .execute((trx) => new ReconciliationRepository(trx).saveRun(day, { startedAt, finishedAt: this.now(), ordersChecked, mismatches }));
    return (await repository.run(storeId, date))!;
  }

  /** the latest run of that business day; 404 `not_reconciled` when there is none */
  async latest(storeId: string, date: string): Promise<ReconciliationRun> {
    const run = await new ReconciliationRepository(this.db).run(storeId, date);
    if (!run) throw new DomainError('not_found', 'not_reconciled', `${date} has not been reconciled yet.`);
    return run;
  }

  /**
   * `pinokio reconcile`: the given day (by default each store's previous local day) of one store
   * or of every open store.
   */
  async reconcileStores(choice: { date?: string; storeId?: string } = {}): Promise<Array<{ storeId: string; storeName: string; run: ReconciliationRun }>> {
    const repository = new ReconciliationRepository(this.db);
    let stores = await repository.openStores();
    if (choice.storeId) {
      const store = await repository.store(choice.storeId);
      if (!store) throw new DomainError('not_found', 'store_not_found', `There is no store ${choice.storeId}.`);
      stores = [store];
    }
    const results = [];
    for (const store of stores) {
      const date = choice.date ?? addDays(localDate(store.timeZone, this.now()), -1);
      results.push({ storeId: store.id, storeName: store.name, run: await this.reconcile(store.id, date) });
    }
    return results;
  }

  /**
   * The daily job's pass: each open store whose previous business day has ended (in its zone, and
   * `settleMs` ago, so that charges under way at midnight have settled) and has no run made
   * after that day is reconciled. Idempotent: a store and day already reconciled so is left as it is.
   */
  async reconcileDueDays(): Promise<number> {
    const repository = new ReconciliationRepository(this.db);
    const settled = new Date(this.now().getTime() - this.settleMs);
    const byDate = new Map<string, string[]>();
    for (const store of await repository.openStores()) {
      const date = addDays(localDate(store.timeZone, settled), -1);
      byDate.set(date, [...(byDate.get(date) ?? []), store.id]);
    }
    let reconciled = 0;
    for (const [date, storeIds] of byDate) {
      for (const storeId of await repository.storesWithoutFinalRun(storeIds, date)) {
        await this.reconcile(storeId, date);
        reconciled += 1;
      }
    }
    return reconciled;
  }

  private async findMismatches(repository: ReconciliationRepository, day: BusinessDay, now: Date): Promise<MismatchRow[]> {
    const staleBefore = new Date(now.getTime() - this.staleAfterMs);
    const [charges, orders, unvoided, refunds, gateway] = await Promise.all([
      repository.chargesInDoubt(day, now),
      repository.ordersInDoubt(day),
      repository.unvoidedCharges(day, staleBefore),
      repository.failedRefunds(day, staleBefore),
      this.gatewayMismatches(repository, day, now),
    ]);
    const mismatches: MismatchRow[] = [];
    for (const charge of charges) mismatches.push(chargeMismatch(charge));
    for (const order of orders.withoutCharge) {
      mismatches.push({
        kind: 'order_without_charge',
        orderId: order.orderId,
        paymentAttemptId: null,
        expectedAmount: order.paidAmount,
        actualAmount: null,
        detail: `Order ${order.number} is recorded as paid by ${methodName(order.paidMethod)} (${won(order.paidAmount)}) but no charge took the money.`,
      });
    }
    for (const order of orders.paidOtherThanTotal) {
      mismatches.push({
        kind: 'amount_mismatch',
        orderId: order.orderId,
        paymentAttemptId: null,
        expectedAmount: order.total,
        actualAmount: order.paidAmount,
        detail: `Order ${order.number} totals ${won(order.total)} but ${won(order.paidAmount)} was recorded as paid by ${methodName(order.paidMethod)}.`,
      });
    }
    for (const charge of unvoided) {
      const failed = charge.state === 'void_failed';
      mismatches.push({
        kind: 'void_failed',
        orderId: charge.orderId,
        paymentAttemptId: charge.attemptId,
        expectedAmount: 0,
        actualAmount: charge.amount,
        detail: failed
          ? `The ${chargeName(charge)} for order ${charge.number} could not be voided: ${won(charge.amount)} may still be taken. Void it on the terminal or give the money back.`
          : `The void of the ${chargeName(charge)} for order ${charge.number} was never answered: ${won(charge.amount)} may still be taken. Check the terminal.`,
      });
    }
    for (const refund of refunds) {
      mismatches.push({
        kind: 'refund_failed',
        orderId: refund.orderId,
        paymentAttemptId: null,
        expectedAmount: refund.amount,
        actualAmount: 0,
        detail:
          refund.state === 'failed'
            ? `The refund of ${won(refund.amount)} for order ${refund.number} failed${refund.outcomeMessage ? ` (${refund.outcomeMessage})` : ''}: give the money back another way.`
            : `The refund of ${won(refund.amount)} for order ${refund.number} was never answered by the ${refund.method === 'mobile' ? 'gateway' : 'terminal'}.`,
      });
    }
    mismatches.push(...gateway);
    return mismatches;
  }

  /** the mobile charges against the gateway's records of the day (and the hour after, for payments finished past midnight) */
  private async gatewayMismatches(repository: ReconciliationRepository, day: BusinessDay, now: Date): Promise<MismatchRow[]> {
    if (!this.gateway) return [];
    const charges = await repository.mobileCharges(day);
    if (charges.length === 0) return [];
    let transactions: GatewayTransaction[];
    try {
      const until = new Date(Math.min(day.end.getTime() + 3_600_000, now.getTime() + 60_000));
      transactions = await this.gateway.listTransactions(day.start, until);
    } catch (error) {
      return [
        {
          kind: 'gateway_mismatch',
          orderId: null,
          paymentAttemptId: null,
          expectedAmount: null,
          actualAmount: null,
          detail: `The gateway's records could not be read (${error instanceof Error ? error.message : String(error)}): run the reconciliation again later.`,
        },
      ];
    }
    const byPayment = new Map<string, GatewayTransaction>();
    for (const transaction of transactions) {
      byPayment.set(transaction.orderId, transaction);
      byPayment.set(`ref:${transaction.reference}`, transaction);
    }
    const mismatches: MismatchRow[] = [];
    for (const charge of charges) {
      const found = byPayment.get(charge.attemptId) ?? (charge.providerReference ? byPayment.get(`ref:${charge.providerReference}`) : undefined);
      const detail = gatewayDisagreement(charge, found);
      if (!detail) continue;
      mismatches.push({
        kind: 'gateway_mismatch',
        orderId: charge.orderId,
        paymentAttemptId: charge.attemptId,
        expectedAmount: detail.expected,
        actualAmount: detail.actual,
        detail: detail.text,
      });
    }
    return mismatches;
  }
}

/** what the gateway should hold for a mobile charge, against what it holds; undefined when they agree */
function gatewayDisagreement(
  charge: AttemptInDoubt,
  found: GatewayTransaction | undefined,
): { expected: number | null; actual: number | null; text: string } | undefined {
  const taken = charge.state === 'approved' || charge.state === 'confirmed';
  const held = found ? found.amount - found.cancelledAmount : 0;
  if (!taken) {
    // declined, voided or never finished here: the gateway must hold nothing of it
    if (held === 0) return undefined;
    return {
      expected: 0,
      actual: held,
      text: `The gateway holds ${won(held)} for the mobile payment of order ${charge.number}, which is ${charge.state} here: cancel it at the gateway.`,
    };
  }
  if (!found) {
    return {
      expected: charge.amount,
      actual: null,
      text: `The gateway has no record of the mobile payment of ${won(charge.amount)} for order ${charge.number}.`,
    };
  }
  if (found.amount !== charge.amount) {
    return {
      expected: charge.amount,
      actual: found.amount,
      text: `The gateway approved ${won(found.amount)} for order ${charge.number}, charged here as ${won(charge.amount)}.`,
    };
  }
  // what should be left: the charge less what the order gave back (a mobile order has one charge)
  const refunded = charge.paidMethod === 'mobile' ? charge.refundedAmount : 0;
  if (found.cancelledAmount !== refunded) {
    return {
      expected: charge.amount - refunded,
      actual: held,
      text: `The gateway shows ${won(found.cancelledAmount)} cancelled of the mobile payment for order ${charge.number}; ${won(refunded)} was refunded here.`,
    };
  }
  return undefined;
}

function chargeMismatch(charge: AttemptInDoubt): MismatchRow {
  const paidByIt = ['paid', 'partially_refunded', 'refunded'].includes(charge.paymentStatus) && charge.paidMethod === paidMethodOf(charge);
  if (!paidByIt) {
    const state =
      charge.status === 'cancelled'
        ? 'was cancelled'
        : charge.paidMethod
          ? `was paid by ${methodName(charge.paidMethod)}`
          : `is ${charge.paymentStatus === 'pending' ? 'still waiting for its payment' : 'unpaid'}`;
    return {
      kind: 'charge_without_order',
      orderId: charge.orderId,
      paymentAttemptId: charge.attemptId,
      expectedAmount: 0,
      actualAmount: charge.amount,
      detail: `The ${chargeName(charge)} of ${won(charge.amount)} (${charge.state}) belongs to order ${charge.number}, which ${state}: void it or give the money back.`,
    };
  }
  return {
    kind: 'amount_mismatch',
    orderId: charge.orderId,
    paymentAttemptId: charge.attemptId,
    // what our records say was taken (or, when they agree with the charge, what the order costs)
    expectedAmount: charge.paidAmount !== charge.amount ? charge.paidAmount : charge.total,
    actualAmount: charge.amount,
    detail:
      charge.paidAmount === charge.amount
        ? `Order ${charge.number} totals ${won(charge.total)} but the ${chargeName(charge)} took ${won(charge.amount)}.`
        : `Order ${charge.number} is recorded as paid ${won(charge.paidAmount)} (total ${won(charge.total)}) but the ${chargeName(charge)} took ${won(charge.amount)}.`,
  };
}

function paidMethodOf(charge: AttemptInDoubt): 'kiosk_card' | 'mobile' {
  return charge.method === 'mobile' ? 'mobile' : 'kiosk_card';
}

function chargeName(charge: AttemptInDoubt): string {
  const reference = charge.approvalNumber ? ` (approval ${charge.approvalNumber})` : '';
  return `${charge.method === 'mobile' ? 'mobile payment' : 'card charge'}${reference}`;
}

function methodName(method: string | null): string {
  switch (method) {
    case 'kiosk_card':
      return "the kiosk's card terminal";
    case 'mobile':
      return 'mobile payment';
    case 'counter_cash':
      return 'cash at the counter';
    case 'counter_card':
      return 'card at the counter';
    default:
      return 'an unknown method';
  }
}

function won(amount: number): string {
  return `${amount.toLocaleString('en-US')} won`;
}

/**
 * The daily job: every 15 minutes (once across instances), each store whose previous business
 * day ended at least a quarter of an hour ago and has no run yet gets one. So each store is
 * reconciled shortly after its own midnight, whatever its zone, and a missed slot is caught up.
 */
export function dailyReconciliationJob(reconciliation: ReconciliationService, log: (reconciled: number) => void): ScheduledJob {
  return {
    name: 'payments-reconcile',
    everySeconds: 900,
    run: async () => {
      const reconciled = await reconciliation.reconcileDueDays();
      if (reconciled > 0) log(reconciled);
    },
  };
}
