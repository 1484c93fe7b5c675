// The card charges at the kiosk: payment_attempts rows of method `card`, moved from state to state
// only by conditional updates (the row's current state in the WHERE), so a report that comes twice,
// or a cancellation that races an approval, changes a row once.
import type { Database } from '../../platform/db/database.js';
import type { PaymentAttemptState, PaymentStatus } from '../../platform/db/schema.js';

export interface ChargeAttempt {
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
}

export interface ChargedOrder {
  id: string;
  storeId: string;
  number: number;
  status: string;
  paymentStatus: PaymentStatus;
  paidMethod: string | null;
  approvalNumber: string | null;
  total: number;
}

const ATTEMPT_COLUMNS = [
  'id',
  'store_id',
  'order_id',
  'kiosk_id',
  'method',
  'amount',
  'state',
  'approval_number',
  'provider_reference',
  'outcome_message',
  'confirm_by',
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
};

function toAttempt(row: AttemptRow): ChargeAttempt {
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
  };
}

export class KioskChargesRepository {
  constructor(private readonly db: Database) {}

  async insert(attempt: { storeId: string; orderId: string; kioskId: string; amount: number; confirmBy: Date }): Promise<ChargeAttempt> {
    const row = await this.db
      .insertInto('payment_attempts')
      .values({
        store_id: attempt.storeId,
        order_id: attempt.orderId,
        kiosk_id: attempt.kioskId,
        method: 'card',
        amount: attempt.amount,
        confirm_by: attempt.confirmBy,
      })
      .returning(ATTEMPT_COLUMNS)
      .executeTakeFirstOrThrow();
    return toAttempt(row);
  }

  async find(id: string): Promise<ChargeAttempt | undefined> {
    const row = await this.db.selectFrom('payment_attempts').select(ATTEMPT_COLUMNS).where('id', '=', id).executeTakeFirst();
    return row && toAttempt(row);
  }

  /** the order's latest charge of this method (a retry after a decline is a new order, so usually the only one) */
  async latestOfOrder(storeId: string, orderId: string, method?: 'card' | 'mobile'): Promise<ChargeAttempt | undefined> {
    let query = this.db.selectFrom('payment_attempts').select(ATTEMPT_COLUMNS).where('store_id', '=', storeId).where('order_id', '=', orderId);
    if (method) query = query.where('method', '=', method);
    const row = await query.orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    return row && toAttempt(row);
  }

  /**
   * Moves the attempt to `to` only if it is still in one of `from`; false when another report,
   * the kiosk or the expiry job moved it first.
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

  async findOrder(storeId: string, orderId: string): Promise<ChargedOrder | undefined> {
    const row = await this.db
      .selectFrom('orders')
      .select(['id', 'store_id', 'number', 'status', 'payment_status', 'paid_method', 'approval_number', 'total'])
      .where('store_id', '=', storeId)
      .where('id', '=', orderId)
      .executeTakeFirst();
    return (
      row && {
        id: row.id,
        storeId: row.store_id,
        number: row.number,
        status: row.status,
        paymentStatus: row.payment_status,
        paidMethod: row.paid_method,
        approvalNumber: row.approval_number,
        total: row.total,
      }
    );
  }

  async findRefund(id: string): Promise<{ id: string; storeId: string; orderId: string; state: string } | undefined> {
    const row = await this.db.selectFrom('refunds').select(['id', 'store_id', 'order_id', 'state']).where('id', '=', id).executeTakeFirst();
    return row && { id: row.id, storeId: row.store_id, orderId: row.order_id, state: row.state };
  }

  /** a kiosk card refund the terminal answered: pending -> done | failed, once */
  async settleRefund(id: string, state: 'done' | 'failed', fields: { providerReference: string | null; outcomeMessage: string | null }): Promise<boolean> {
    const result = await this.db
      .updateTable('refunds')
      .set({ state, provider_reference: fields.providerReference, outcome_message: fields.outcomeMessage, updated_at: new Date() })
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * What this kiosk's agent may have missed while away: card voids asked for but not reported, and
   * card refunds not answered (both recent; older ones are reconciliation's).
   */
  async unansweredForKiosk(
    kioskId: string,
    since: Date,
  ): Promise<{ voids: ChargeAttempt[]; refunds: Array<{ refundId: string; amount: number; attempt: ChargeAttempt }> }> {
    const voids = await this.db
      .selectFrom('payment_attempts')
      .select(ATTEMPT_COLUMNS)
      .where('kiosk_id', '=', kioskId)
      .where('method', '=', 'card')
      .where('state', '=', 'void_requested')
      .where('updated_at', '>', since)
      .execute();
    const refunds = await this.db
      .selectFrom('refunds')
      .innerJoin('payment_attempts', (join) =>
        join
          .onRef('payment_attempts.order_id', '=', 'refunds.order_id')
          .on('payment_attempts.method', '=', 'card')
          .on('payment_attempts.state', '=', 'confirmed'),
      )
      .select(['refunds.id as refund_id', 'refunds.amount as refund_amount', ...ATTEMPT_COLUMNS.map((column) => `payment_attempts.${column}` as const)])
      .where('payment_attempts.kiosk_id', '=', kioskId)
      .where('refunds.method', '=', 'kiosk_card')
      .where('refunds.state', '=', 'pending')
      .where('refunds.created_at', '>', since)
      .execute();
    return {
      voids: voids.map(toAttempt),
      refunds: refunds.map((row) => ({ refundId: row.refund_id, amount: row.refund_amount, attempt: toAttempt(row) })),
    };
  }
}
