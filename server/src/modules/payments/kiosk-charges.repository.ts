// SQL only the card charges at the kiosk need: the order and refund a report names, and what an agent
// missed while away. Their payment_attempts rows (method `card`) are payment-attempts.repository's.
import type { Database } from '../../platform/db/database.js';
import type { PaymentStatus } from '../../platform/db/schema.js';
import { ATTEMPT_COLUMNS, type PaymentAttempt, toAttempt } from './payment-attempts.repository.js';

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

export class KioskChargesRepository {
  constructor(private readonly db: Database) {}

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

  /**
   * What this kiosk's agent may have missed while away: card voids asked for but not reported, and
   * card refunds not answered (both recent; older ones are reconciliation's).
   */
  async unansweredForKiosk(
    kioskId: string,
    since: Date,
  ): Promise<{ voids: PaymentAttempt[]; refunds: Array<{ refundId: string; amount: number; attempt: PaymentAttempt }> }> {
    const voids = await this.db
      .selectFrom('payment_attempts')
      .select(ATTEMPT_COLUMNS)
      .where('payment_attempts.kiosk_id', '=', kioskId)
      .where('payment_attempts.method', '=', 'card')
      .where('payment_attempts.state', '=', 'void_requested')
      .where('payment_attempts.updated_at', '>', since)
      .execute();
    const refunds = await this.db
      .selectFrom('refunds')
      .innerJoin('payment_attempts', (join) =>
        join
          .onRef('payment_attempts.order_id', '=', 'refunds.order_id')
          .on('payment_attempts.method', '=', 'card')
          .on('payment_attempts.state', '=', 'confirmed'),
      )
      .select(['refunds.id as refund_id', 'refunds.amount as refund_amount', ...ATTEMPT_COLUMNS])
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
