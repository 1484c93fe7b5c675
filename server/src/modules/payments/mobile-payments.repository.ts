// SQL only mobile / QR payments need: what the customer's checkout page is shown of the order, and
// taking an attempt for one gateway payment key. Their payment_attempts rows (method 'mobile') are
// payment-attempts.repository's.
import type { Database } from '../../platform/db/database.js';
import type { PaymentStatus } from '../../platform/db/schema.js';
import { ATTEMPT_COLUMNS, isAttemptId, type PaymentAttempt, toAttempt } from './payment-attempts.repository.js';

export interface CheckoutFacts {
  attempt: PaymentAttempt;
  storeName: string;
  orderNumber: number;
  orderStatus: string;
  paymentStatus: PaymentStatus;
  payBy: Date | null;
  /** the order's first line's name and how many more lines there are ("아메리카노 외 2건") */
  firstItemName: string | null;
  lineCount: number;
}

export class MobilePaymentsRepository {
  constructor(private readonly db: Database) {}

  async checkoutFacts(paymentId: string): Promise<CheckoutFacts | undefined> {
    if (!isAttemptId(paymentId)) return undefined;
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
}
