import type { Database } from '../../platform/db/database.js';
import type { ReceiptPrintState } from '../../platform/db/schema.js';
import type { ReceiptContent } from './receipt-layout.js';

export interface ReceiptRow {
  id: string;
  storeId: string;
  orderId: string;
  expiresAt: Date;
}

/** the order as a receipt needs it, with who placed it (never shown) to decide where it prints */
export interface OrderForReceipt {
  storeId: string;
  kioskId: string | null;
  paymentStatus: ReceiptContent['payment']['status'];
}

export class ReceiptsRepository {
  constructor(private readonly db: Database) {}

  /** locks the order's row (so one receipt per order however many ask at once); undefined: not this store's */
  async lockOrder(storeId: string, orderId: string): Promise<OrderForReceipt | undefined> {
    const row = await this.db
      .selectFrom('orders')
      .select(['store_id', 'kiosk_id', 'payment_status'])
      .where('id', '=', orderId)
      .where('store_id', '=', storeId)
      .forUpdate()
      .executeTakeFirst();
    return row && { storeId: row.store_id, kioskId: row.kiosk_id, paymentStatus: row.payment_status };
  }

  async findOrder(storeId: string, orderId: string): Promise<OrderForReceipt | undefined> {
    const row = await this.db
      .selectFrom('orders')
      .select(['store_id', 'kiosk_id', 'payment_status'])
      .where('id', '=', orderId)
      .where('store_id', '=', storeId)
      .executeTakeFirst();
    return row && { storeId: row.store_id, kioskId: row.kiosk_id, paymentStatus: row.payment_status };
  }

  /** the order's newest receipt */
  async findByOrder(orderId: string): Promise<ReceiptRow | undefined> {
    const row = await this.db
      .selectFrom('receipts')
      .select(['id', 'store_id', 'order_id', 'expires_at'])
      .where('order_id', '=', orderId)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && { id: row.id, storeId: row.store_id, orderId: row.order_id, expiresAt: row.expires_at };
  }

  async findByTokenHash(tokenHash: string): Promise<ReceiptRow | undefined> {
    const row = await this.db
      .selectFrom('receipts')
      .select(['id', 'store_id', 'order_id', 'expires_at'])
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row && { id: row.id, storeId: row.store_id, orderId: row.order_id, expiresAt: row.expires_at };
  }

  async insert(receipt: { id: string; storeId: string; orderId: string; tokenHash: string; expiresAt: Date }): Promise<void> {
    await this.db
      .insertInto('receipts')
      .values({ id: receipt.id, store_id: receipt.storeId, order_id: receipt.orderId, token_hash: receipt.tokenHash, expires_at: receipt.expiresAt })
      .execute();
  }

  async extend(receiptId: string, expiresAt: Date): Promise<void> {
    await this.db.updateTable('receipts').set({ expires_at: expiresAt }).where('id', '=', receiptId).execute();
  }

  /** the order's latest print on this kiosk */
  async latestPrint(orderId: string, kioskId: string): Promise<{ id: string; state: ReceiptPrintState } | undefined> {
    return this.db
      .selectFrom('receipt_prints')
      .select(['id', 'state'])
      .where('order_id', '=', orderId)
      .where('kiosk_id', '=', kioskId)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async insertPrint(orderId: string, kioskId: string): Promise<string> {
    const row = await this.db.insertInto('receipt_prints').values({ order_id: orderId, kiosk_id: kioskId }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  /** the print's new state when it is this kiosk's; undefined when it is not (or does not exist) */
  async setPrintState(printId: string, kioskId: string, state: ReceiptPrintState): Promise<{ orderId: string } | undefined> {
    const row = await this.db
      .updateTable('receipt_prints')
      .set({ state, updated_at: new Date() })
      .where('id', '=', printId)
      .where('kiosk_id', '=', kioskId)
      .returning('order_id')
      .executeTakeFirst();
    return row && { orderId: row.order_id };
  }

  /** whether the kiosk belongs to the store (and is not deleted) */
  async isKioskOf(storeId: string, kioskId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('kiosks')
      .select('id')
      .where('id', '=', kioskId)
      .where('store_id', '=', storeId)
      .where('deleted_at', 'is', null)
      .where('kind', '=', 'kiosk')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** what the receipt shows: the order, its lines, the store's business details, done refunds */
  async content(storeId: string, orderId: string): Promise<ReceiptContent | undefined> {
    const order = await this.db
      .selectFrom('orders')
      .innerJoin('stores', 'stores.id', 'orders.store_id')
      .select([
        'stores.name as store_name',
        'stores.business_name',
        'stores.business_registration_number',
        'stores.business_address',
        'stores.business_phone',
        'stores.time_zone',
        'orders.number',
        'orders.dining',
        'orders.created_at',
        'orders.status',
        'orders.total',
        'orders.payment_status',
        'orders.paid_method',
        'orders.paid_amount',
        'orders.refunded_amount',
        'orders.approval_number',
        'orders.paid_at',
      ])
      .where('orders.id', '=', orderId)
      .where('orders.store_id', '=', storeId)
      .executeTakeFirst();
    if (!order) return undefined;
    const [lines, refunds] = await Promise.all([
      this.db
        .selectFrom('order_lines')
        .select(['item_name', 'quantity', 'unit_price', 'line_total', 'options', 'note'])
        .where('order_id', '=', orderId)
        .orderBy('position')
        .execute(),
      this.db
        .selectFrom('refunds')
        .select(['amount', 'created_at'])
        .where('order_id', '=', orderId)
        .where('state', '=', 'done')
        .orderBy('created_at')
        .execute(),
    ]);
    return {
      store: {
        name: order.store_name,
        businessName: order.business_name,
        registrationNumber: order.business_registration_number,
        address: order.business_address,
        phone: order.business_phone,
        timeZone: order.time_zone,
      },
      order: { number: order.number, dining: order.dining, orderedAt: order.created_at, cancelled: order.status === 'cancelled' },
      lines: lines.map((line) => ({
        name: line.item_name,
        quantity: line.quantity,
        unitPrice: line.unit_price,
        lineTotal: line.line_total,
        // jsonb: parsed by the driver, text on some paths
        options: typeof line.options === 'string' ? JSON.parse(line.options) : line.options,
        note: line.note,
      })),
      total: order.total,
      payment: {
        status: order.payment_status,
        method: order.paid_method,
        paidAmount: order.paid_amount,
        refundedAmount: order.refunded_amount,
        approvalNumber: order.approval_number,
        paidAt: order.paid_at,
      },
      refunds: refunds.map((refund) => ({ amount: refund.amount, at: refund.created_at })),
    };
  }
}
