// SQL of the payment_attempts rows both kiosk flows share (method 'card': kiosk-charges.*; method
// 'mobile': mobile-payments.*) and of settling a refunds row. An attempt moves from state to state
// only by conditional updates (the row's current state in the WHERE), so a report that comes twice,
// or a cancellation that races an approval, changes a row once.
import type { Database } from '../../platform/db/database.js';
import type { PaymentAttemptState } from '../../platform/db/schema.js';

export interface PaymentAttempt {
  id: string;
  storeId: string;
  orderId: string;
  kioskId: string | null;
  method: 'card' | 'mobile';
  amount: number;
  state: PaymentAttemptState;
  approvalNumber: string | null;
  providerReference: string | null;
  outcomeMessage: string | null;
  confirmBy: Date | null;
  createdAt: Date;
}

/** qualified, so that a query joining other tables can select them too */
export const ATTEMPT_COLUMNS = [
  'payment_attempts.id',
  'payment_attempts.store_id',
  'payment_attempts.order_id',
  'payment_attempts.kiosk_id',
  'payment_attempts.method',
  'payment_attempts.amount',
  'payment_attempts.state',
  'payment_attempts.approval_number',
  'payment_attempts.provider_reference',
  'payment_attempts.outcome_message',
  'payment_attempts.confirm_by',
  'payment_attempts.created_at',
] as const;

type AttemptRow = {
  id: string;
  store_id: string;
  order_id: string;
  kiosk_id: string | null;
  method: 'card' | 'mobile';
  amount: number;
  state: PaymentAttemptState;
  approval_number: string | null;
  provider_reference: string | null;
  outcome_message: string | null;
  confirm_by: Date | null;
  created_at: Date;
};

export function toAttempt(row: AttemptRow): PaymentAttempt {
  return {
    id: row.id,
    storeId: row.store_id,
    orderId: row.order_id,
    kioskId: row.kiosk_id,
    method: row.method,
    amount: row.amount,
    state: row.state,
    approvalNumber: row.approval_number,
    providerReference: row.provider_reference,
    outcomeMessage: row.outcome_message,
    confirmBy: row.confirm_by,
    createdAt: row.created_at,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** whether `id` can be an attempt's id at all (a path parameter that cannot is no payment, not a query error) */
export function isAttemptId(id: string): boolean {
  return UUID.test(id);
}

export class PaymentAttemptsRepository {
  constructor(private readonly db: Database) {}

  async insert(attempt: {
    storeId: string;
    orderId: string;
    kioskId: string | null;
    method: 'card' | 'mobile';
    amount: number;
    confirmBy: Date;
  }): Promise<PaymentAttempt> {
    const row = await this.db
      .insertInto('payment_attempts')
      .values({
        store_id: attempt.storeId,
        order_id: attempt.orderId,
        kiosk_id: attempt.kioskId,
        method: attempt.method,
        amount: attempt.amount,
        confirm_by: attempt.confirmBy,
      })
      .returning(ATTEMPT_COLUMNS)
      .executeTakeFirstOrThrow();
    return toAttempt(row);
  }

  /** the attempt, of this method only when one is given */
  async find(id: string, method?: 'card' | 'mobile'): Promise<PaymentAttempt | undefined> {
    let query = this.db.selectFrom('payment_attempts').select(ATTEMPT_COLUMNS).where('payment_attempts.id', '=', id);
    if (method) query = query.where('payment_attempts.method', '=', method);
    const row = await query.executeTakeFirst();
    return row && toAttempt(row);
  }

  /** the order's latest attempt (of this store and method when given; a retry after a decline is a new order, so usually the only one) */
  async latestOfOrder(orderId: string, filter: { storeId?: string; method?: 'card' | 'mobile' } = {}): Promise<PaymentAttempt | undefined> {
    let query = this.db.selectFrom('payment_attempts').select(ATTEMPT_COLUMNS).where('payment_attempts.order_id', '=', orderId);
    if (filter.storeId !== undefined) query = query.where('payment_attempts.store_id', '=', filter.storeId);
    if (filter.method) query = query.where('payment_attempts.method', '=', filter.method);
    const row = await query.orderBy('payment_attempts.created_at', 'desc').limit(1).executeTakeFirst();
    return row && toAttempt(row);
  }

  /**
   * Moves the attempt to `to` only if it is still in one of `from`; false when another report,
   * the kiosk, the phone or the expiry job moved it first.
   */
  async transition(
    id: string,
    from: PaymentAttemptState[],
    to: PaymentAttemptState,
    fields: { approvalNumber?: string | null; providerReference?: string | null; outcomeMessage?: string | null } = {},
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('payment_attempts')
      .set({
        state: to,
        updated_at: new Date(),
        ...(fields.approvalNumber !== undefined ? { approval_number: fields.approvalNumber } : {}),
        ...(fields.providerReference !== undefined ? { provider_reference: fields.providerReference } : {}),
        ...(fields.outcomeMessage !== undefined ? { outcome_message: fields.outcomeMessage } : {}),
      })
      .where('id', '=', id)
      .where('state', 'in', from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** a refund the terminal or the gateway answered: pending -> done | failed, once */
  async settleRefund(id: string, state: 'done' | 'failed', fields: { providerReference: string | null; outcomeMessage: string | null }): Promise<boolean> {
    const result = await this.db
      .updateTable('refunds')
      .set({ state, provider_reference: fields.providerReference, outcome_message: fields.outcomeMessage, updated_at: new Date() })
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
