// SQL of mobile / QR payments: their payment_attempts rows (method 'mobile') and what the customer's
// checkout page is shown of the order.
import type { Database } from '../../platform/db/database.js';
import type { PaymentAttemptState, PaymentStatus } from '../../platform/db/schema.js';

export interface MobileAttempt {
  id: string;
  storeId: string;
  orderId: string;
  kioskId: string | null;
  amount: number;
  state: PaymentAttemptState;
  approvalNumber: string | null;
  providerReference: string | null;
  outcomeMessage: string | null;
  createdAt: Date;
}

export interface CheckoutFacts {
  attempt: MobileAttempt;
  storeName: string;
  orderNumber: number;
  orderStatus: string;
  paymentStatus: PaymentStatus;
  payBy: Date | null;
  /** the order's first line's name and how many more lines there are ("아메리카노 외 2건") */
  firstItemName: string | null;
  lineCount: number;
}

const ATTEMPT_COLUMNS = [
  'payment_attempts.id',
  'payment_attempts.store_id',
  'payment_attempts.order_id',
  'payment_attempts.kiosk_id',
  'payment_attempts.amount',
  'payment_attempts.state',
  'payment_attempts.approval_number',
  'payment_attempts.provider_reference',
  'payment_attempts.outcome_message',
  'payment_attempts.created_at',
] as const;

type AttemptRow = {
  id: string;
  store_id: string;
  order_id: string;
  kiosk_id: string | null;
  amount: number;
  state: PaymentAttemptState;
  approval_number: string | null;
  provider_reference: string | null;
  outcome_message: string | null;
  created_at: Date;
};

function toAttempt(row: AttemptRow): MobileAttempt {
  return {
    id: row.id,
    storeId: row.store_id,
    orderId: row.order_id,
    kioskId: row.kiosk_id,
    amount: row.amount,
    state: row.state,
    approvalNumber: row.approval_number,
    providerReference: row.provider_reference,
    outcomeMessage: row.outcome_message,
    createdAt: row.created_at,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class MobilePaymentsRepository {
  constructor(private readonly db: Database) {}

  async insert(attempt: { storeId: string; orderId: string; kioskId: string | null; amount: number; confirmBy: Date }): Promise<MobileAttempt> {
    const row = await this.db
      .insertInto('payment_attempts')
      .values({
        store_id: attempt.storeId,
        order_id: attempt.orderId,
        kiosk_id: attempt.kioskId,
        method: 'mobile',
        amount: attempt.amount,
        confirm_by: attempt.confirmBy,
      })
      .returning(ATTEMPT_COLUMNS)
      .executeTakeFirstOrThrow();
    return toAttempt(row);
  }

  async find(paymentId: string): Promise<MobileAttempt | undefined> {
    if (!UUID.test(paymentId)) return undefined;
    const row = await this.db
      .selectFrom('payment_attempts')
      .select(ATTEMPT_COLUMNS)
      .where('payment_attempts.id', '=', paymentId)
      .where('payment_attempts.method', '=', 'mobile')
      .executeTakeFirst();
    return row && toAttempt(row);
  }

  /** the order's latest mobile attempt */
  async latestOf(orderId: string): Promise<MobileAttempt | undefined> {
    const row = await this.db
      .selectFrom('payment_attempts')
      .select(ATTEMPT_COLUMNS)
      .where('payment_attempts.order_id', '=', orderId)
      .where('payment_attempts.method', '=', 'mobile')
      .orderBy('payment_attempts.created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && toAttempt(row);
  }

  async checkoutFacts(paymentId: string): Promise<CheckoutFacts | undefined> {
    if (!UUID.test(paymentId)) return undefined;
    const row = await this.db
      .selectFrom('payment_attempts')
      .innerJoin('orders', 'orders.id', 'payment_attempts.order_id')
      .innerJoin('stores', 'stores.id', 'payment_attempts.store_id')
      .select(ATTEMPT_COLUMNS)
      .select([
        'stores.name as store_name',
        'orders.number as order_number',
        'orders.status as order_status',
        'orders.payment_status',
        'orders.pay_by',
        (eb) =>
          eb
            .selectFrom('order_lines')
            .select('order_lines.item_name')
            .whereRef('order_lines.order_id', '=', 'orders.id')
            .orderBy('order_lines.position')
            .limit(1)
            .as('first_item_name'),
        (eb) =>
          eb
            .selectFrom('order_lines')
            .select((inner) => inner.fn.countAll<string>().as('n'))
            .whereRef('order_lines.order_id', '=', 'orders.id')
            .as('line_count'),
      ])
      .where('payment_attempts.id', '=', paymentId)
      .where('payment_attempts.method', '=', 'mobile')
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      attempt: toAttempt(row),
      storeName: row.store_name,
      orderNumber: row.order_number,
      orderStatus: row.order_status,
      paymentStatus: row.payment_status,
      payBy: row.pay_by,
      firstItemName: row.first_item_name ?? null,
      lineCount: Number(row.line_count ?? 0),
    };
  }

  /**
   * Takes the attempt for one gateway payment key: only while it is requested (or approved, a
   * confirmation interrupted before the order was paid) and not already taken by another key, so
   * two payments can never both be confirmed for one order. False when another key holds it.
   */
  async claim(paymentId: string, reference: string): Promise<boolean> {
    const result = await this.db
      .updateTable('payment_attempts')
      .set({ provider_reference: reference, updated_at: new Date() })
      .where('id', '=', paymentId)
      .where('state', 'in', ['requested', 'approved'])
      .where((eb) => eb.or([eb('provider_reference', 'is', null), eb('provider_reference', '=', reference)]))
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** moves the attempt from one of `from` to `to`; false when it was not in one of them (someone else moved it) */
  async transition(
    paymentId: string,
    from: PaymentAttemptState[],
    to: PaymentAttemptState,
    fields: { approvalNumber?: string | null; outcomeMessage?: string | null } = {},
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('payment_attempts')
      .set({
        state: to,
        updated_at: new Date(),
        ...(fields.approvalNumber !== undefined ? { approval_number: fields.approvalNumber } : {}),
        ...(fields.outcomeMessage !== undefined ? { outcome_message: fields.outcomeMessage?.slice(0, 300) ?? null } : {}),
      })
      .where('id', '=', paymentId)
      .where('state', 'in', from)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** a pending refund of a mobile-paid order, once the gateway answered */
  async settleRefund(
    refundId: string,
    state: 'done' | 'failed',
    fields: { providerReference: string | null; outcomeMessage: string | null },
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('refunds')
      .set({ state, provider_reference: fields.providerReference, outcome_message: fields.outcomeMessage?.slice(0, 300) ?? null, updated_at: new Date() })
      .where('id', '=', refundId)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
