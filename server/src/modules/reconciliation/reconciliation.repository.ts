// SQL of the daily reconciliation: each check is one query that returns only the rows in doubt
// (a day of 100,000 orders brings back its few mismatches, not its orders), and a run is stored
// whole in one transaction, replacing that day's previous run.
import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { PaidMethod, PaymentAttemptState, PaymentStatus, ReconciliationMismatchKind } from '../../platform/db/schema.js';

/** a business day: the orders' local date, and the instants it spans in the store's zone */
export interface BusinessDay {
  storeId: string;
  date: string;
  /** local midnight that starts it, and the next one */
  start: Date;
  end: Date;
}

export interface OrderInDoubt {
  orderId: string;
  number: number;
  status: string;
  paymentStatus: PaymentStatus;
  paidMethod: PaidMethod | null;
  paidAmount: number;
  refundedAmount: number;
  total: number;
}

export interface AttemptInDoubt extends OrderInDoubt {
  attemptId: string;
  method: 'card' | 'mobile';
  state: PaymentAttemptState;
  amount: number;
  approvalNumber: string | null;
  providerReference: string | null;
  updatedAt: Date;
}

export interface FailedRefund {
  refundId: string;
  orderId: string;
  number: number;
  amount: number;
  method: PaidMethod;
  state: 'pending' | 'failed';
  outcomeMessage: string | null;
}

export interface MismatchRow {
  kind: ReconciliationMismatchKind;
  orderId: string | null;
  paymentAttemptId: string | null;
  expectedAmount: number | null;
  actualAmount: number | null;
  detail: string;
}

export interface StoredRun {
  id: string;
  date: string;
  startedAt: Date;
  finishedAt: Date;
  ordersChecked: number;
  mismatchCount: number;
  mismatches: Array<MismatchRow & { id: string; orderNumber: number | null }>;
}

// the method an order records for money taken by an attempt of this method
const paidMethodOfAttempt = sql`(case when a.method = 'mobile' then 'mobile' else 'kiosk_card' end)`;
const PAID = sql`('paid', 'partially_refunded', 'refunded')`;

export class ReconciliationRepository {
  constructor(private readonly db: Database) {}

  async store(storeId: string): Promise<{ id: string; name: string; timeZone: string } | undefined> {
    const row = await this.db.selectFrom('stores').select(['id', 'name', 'time_zone']).where('id', '=', storeId).executeTakeFirst();
    return row && { id: row.id, name: row.name, timeZone: row.time_zone };
  }

  async openStores(): Promise<Array<{ id: string; name: string; timeZone: string }>> {
    const rows = await this.db.selectFrom('stores').select(['id', 'name', 'time_zone']).where('closed_at', 'is', null).orderBy('id').execute();
    return rows.map((row) => ({ id: row.id, name: row.name, timeZone: row.time_zone }));
  }

  /** the instants of local midnight that start `date` and the day after, in the zone */
  async dayBounds(storeId: string, date: string, timeZone: string): Promise<BusinessDay> {
    const { rows } = await sql<{ start: Date; end: Date }>`
      select (${date}::date::timestamp at time zone ${timeZone}) as start,
             ((${date}::date + 1)::timestamp at time zone ${timeZone}) as end`.execute(this.db);
    return { storeId, date, start: new Date(rows[0]!.start), end: new Date(rows[0]!.end) };
  }

  /**
   * The day's orders by local date; the created_at window (a day either side, for any zone
   * change) lets the store's (store_id, created_at) index find them.
   */
  private dayOrders(day: BusinessDay) {
    const from = new Date(day.start.getTime() - 86_400_000);
    const to = new Date(day.end.getTime() + 86_400_000);
    return sql`o.store_id = ${day.storeId} and o.local_date = ${day.date} and o.created_at >= ${from} and o.created_at < ${to}`;
  }

  async countOrders(day: BusinessDay): Promise<number> {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from orders o where ${this.dayOrders(day)}`.execute(this.db);
    return Number(rows[0]!.n);
  }

  /**
   * Charges that took money (approved or confirmed, not voided) whose order is not paid by them
   * or not for their amount. An approval still inside its confirmation window on a pending order
   * is a payment under way, not a mismatch.
   */
  async chargesInDoubt(day: BusinessDay, now: Date): Promise<AttemptInDoubt[]> {
    const { rows } = await sql<AttemptRow>`
      select ${attemptColumns}
      from payment_attempts a join orders o on o.id = a.order_id
      where ${this.dayOrders(day)}
        and a.state in ('approved', 'confirmed')
        and not (a.state = 'approved' and o.payment_status = 'pending' and a.confirm_by > ${now})
        and (o.payment_status not in ${PAID}
             or o.paid_method is distinct from ${paidMethodOfAttempt}
             or a.amount <> o.total or o.paid_amount <> a.amount)
      order by o.number`.execute(this.db);
    return rows.map(attemptOf);
  }

  /**
   * Orders recorded as paid by the kiosk's card or the gateway with no charge that took the money
   * (a fully refunded one may have been voided instead), and orders whose recorded payment
   * differs from their total.
   */
  async ordersInDoubt(day: BusinessDay): Promise<{ withoutCharge: OrderInDoubt[]; paidOtherThanTotal: OrderInDoubt[] }> {
    const { rows } = await sql<OrderRow & { without_charge: boolean }>`
      select ${orderColumns},
        (o.paid_method in ('kiosk_card', 'mobile') and not exists (
          select 1 from payment_attempts a
          where a.order_id = o.id and ${paidMethodOfAttempt} = o.paid_method
            and (a.state in ('approved', 'confirmed', 'void_requested', 'void_failed')
                 or (a.state = 'voided' and o.payment_status = 'refunded'))
        )) as without_charge
      from orders o
      where ${this.dayOrders(day)} and o.payment_status in ${PAID}
        and ((o.paid_method in ('kiosk_card', 'mobile') and not exists (
               select 1 from payment_attempts a
               where a.order_id = o.id and ${paidMethodOfAttempt} = o.paid_method
                 and (a.state in ('approved', 'confirmed', 'void_requested', 'void_failed')
                      or (a.state = 'voided' and o.payment_status = 'refunded'))))
             or (o.paid_method not in ('kiosk_card', 'mobile') and o.paid_amount <> o.total))
      order by o.number`.execute(this.db);
    const orders = rows.map((row) => ({ row, order: orderOf(row) }));
    return {
      withoutCharge: orders.filter(({ row }) => row.without_charge).map(({ order }) => order),
      paidOtherThanTotal: orders.filter(({ row }) => !row.without_charge).map(({ order }) => order),
    };
  }

  /**
   * Charges the terminal could not void, and voids asked for before `staleBefore` that were never
   * answered (the money may still be taken).
   */
  async unvoidedCharges(day: BusinessDay, staleBefore: Date): Promise<AttemptInDoubt[]> {
    const { rows } = await sql<AttemptRow>`
      select ${attemptColumns}
      from payment_attempts a join orders o on o.id = a.order_id
      where ${this.dayOrders(day)}
        and (a.state = 'void_failed'
             or (a.state = 'void_requested' and a.approval_number is not null and a.updated_at < ${staleBefore}))
      order by o.number`.execute(this.db);
    return rows.map(attemptOf);
  }

  /** every mobile charge of the day's orders, to hold against the gateway's records */
  async mobileCharges(day: BusinessDay): Promise<AttemptInDoubt[]> {
    const { rows } = await sql<AttemptRow>`
      select ${attemptColumns}
      from payment_attempts a join orders o on o.id = a.order_id
      where ${this.dayOrders(day)} and a.method = 'mobile'
      order by o.number`.execute(this.db);
    return rows.map(attemptOf);
  }

  /**
   * Refunds asked for on that day (in the store's zone) that failed at the terminal or the
   * gateway, or were never answered before `staleBefore`.
   */
  async failedRefunds(day: BusinessDay, staleBefore: Date): Promise<FailedRefund[]> {
    const { rows } = await sql<{
      id: string;
      order_id: string;
      number: number;
      amount: number;
      method: PaidMethod;
      state: 'pending' | 'failed';
      outcome_message: string | null;
    }>`
      select r.id, r.order_id, o.number, r.amount, r.method, r.state, r.outcome_message
      from refunds r join orders o on o.id = r.order_id
      where r.store_id = ${day.storeId} and r.created_at >= ${day.start} and r.created_at < ${day.end}
        and (r.state = 'failed' or (r.state = 'pending' and r.created_at < ${staleBefore}))
      order by r.created_at`.execute(this.db);
    return rows.map((row) => ({
      refundId: row.id,
      orderId: row.order_id,
      number: Number(row.number),
      amount: Number(row.amount),
      method: row.method,
      state: row.state,
      outcomeMessage: row.outcome_message,
    }));
  }

  /** stores the run of (store, date), replacing the one before with its mismatches */
  async saveRun(day: BusinessDay, run: { startedAt: Date; finishedAt: Date; ordersChecked: number; mismatches: MismatchRow[] }): Promise<string> {
    const { id } = await this.db
      .insertInto('reconciliation_runs')
      .values({
        store_id: day.storeId,
        business_date: day.date,
        started_at: run.startedAt,
        finished_at: run.finishedAt,
        orders_checked: run.ordersChecked,
        mismatch_count: run.mismatches.length,
      })
      .onConflict((conflict) =>
        conflict.columns(['store_id', 'business_date']).doUpdateSet({
          started_at: run.startedAt,
          finished_at: run.finishedAt,
          orders_checked: run.ordersChecked,
          mismatch_count: run.mismatches.length,
        }),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.db.deleteFrom('reconciliation_mismatches').where('run_id', '=', id).execute();
    // in batches: one statement's parameters stay well under PostgreSQL's 65,535
    for (let i = 0; i < run.mismatches.length; i += 1000) {
      await this.db
        .insertInto('reconciliation_mismatches')
        .values(
          run.mismatches.slice(i, i + 1000).map((mismatch, index) => ({
            run_id: id,
            store_id: day.storeId,
            order_id: mismatch.orderId,
            payment_attempt_id: mismatch.paymentAttemptId,
            kind: mismatch.kind,
            expected_amount: mismatch.expectedAmount,
            actual_amount: mismatch.actualAmount,
            detail: mismatch.detail,
            // the listing keeps the order they were found in
            created_at: new Date(run.finishedAt.getTime() + i + index),
          })),
        )
        .execute();
    }
    return id;
  }

  async run(storeId: string, date: string): Promise<StoredRun | undefined> {
    const run = await this.db
      .selectFrom('reconciliation_runs')
      .selectAll()
      .where('store_id', '=', storeId)
      .where('business_date', '=', date)
      .where('finished_at', 'is not', null)
      .executeTakeFirst();
    if (!run) return undefined;
    const mismatches = await this.db
      .selectFrom('reconciliation_mismatches as m')
      .leftJoin('orders as o', 'o.id', 'm.order_id')
      .select(['m.id', 'm.kind', 'm.order_id', 'o.number', 'm.payment_attempt_id', 'm.expected_amount', 'm.actual_amount', 'm.detail'])
      .where('m.run_id', '=', run.id)
      .orderBy('m.created_at')
      .orderBy('m.id')
      .execute();
    return {
      id: run.id,
      date: run.business_date, // date columns come back as 'YYYY-MM-DD' (platform/db/database.ts)
      startedAt: run.started_at,
      finishedAt: run.finished_at ?? run.started_at,
      ordersChecked: run.orders_checked,
      mismatchCount: run.mismatch_count,
      mismatches: mismatches.map((row) => ({
        id: row.id,
        kind: row.kind,
        orderId: row.order_id,
        orderNumber: row.number ?? null,
        paymentAttemptId: row.payment_attempt_id,
        expectedAmount: row.expected_amount,
        actualAmount: row.actual_amount,
        detail: row.detail,
      })),
    };
  }

  /**
   * Of these stores, those without a final run of the date: one started after the day had ended
   * in the store's zone (a run made by hand during the day is not final).
   */
  async storesWithoutFinalRun(storeIds: string[], date: string): Promise<string[]> {
    if (storeIds.length === 0) return [];
    const { rows } = await sql<{ store_id: string }>`
      select r.store_id from reconciliation_runs r join stores s on s.id = r.store_id
      where r.store_id in (${sql.join(storeIds)}) and r.business_date = ${date} and r.finished_at is not null
        and r.started_at >= ((r.business_date + 1)::timestamp at time zone s.time_zone)`.execute(this.db);
    const reconciled = new Set(rows.map((row) => row.store_id));
    return storeIds.filter((id) => !reconciled.has(id));
  }
}

interface OrderRow {
  order_id: string;
  number: number;
  status: string;
  payment_status: PaymentStatus;
  paid_method: PaidMethod | null;
  paid_amount: number;
  refunded_amount: number;
  total: number;
}

interface AttemptRow extends OrderRow {
  attempt_id: string;
  method: 'card' | 'mobile';
  state: PaymentAttemptState;
  amount: number;
  approval_number: string | null;
  provider_reference: string | null;
  updated_at: Date;
}

const orderColumns = sql`o.id as order_id, o.number, o.status, o.payment_status, o.paid_method, o.paid_amount, o.refunded_amount, o.total`;
const attemptColumns = sql`${orderColumns}, a.id as attempt_id, a.method, a.state, a.amount, a.approval_number, a.provider_reference, a.updated_at`;

function orderOf(row: OrderRow): OrderInDoubt {
  return {
    orderId: row.order_id,
    number: Number(row.number),
    status: row.status,
    paymentStatus: row.payment_status,
    paidMethod: row.paid_method,
    paidAmount: Number(row.paid_amount),
    refundedAmount: Number(row.refunded_amount),
    total: Number(row.total),
  };
}

function attemptOf(row: AttemptRow): AttemptInDoubt {
  return {
    ...orderOf(row),
    attemptId: row.attempt_id,
    method: row.method,
    state: row.state,
    amount: Number(row.amount),
    approvalNumber: row.approval_number,
    providerReference: row.provider_reference,
    updatedAt: new Date(row.updated_at),
  };
}
