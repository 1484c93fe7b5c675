// The embedded default gateway (PAYMENT_GATEWAY=fake): no money moves. The customer's checkout page
// shows "결제하기 / 취소" instead of a real gateway's window and, on 결제하기, makes up a
// `fake_...` payment key which confirm() approves. Its records are kept in this process's memory,
// enough for development, the demo and reconciliation on one instance. Never for real sales.
import { randomUUID } from 'node:crypto';
import { type GatewayCheckout, type GatewayPayment, type GatewayTransaction, type PaymentGateway, PaymentGatewayError } from './payment-gateway.js';

export const FAKE_PAYMENT_KEY_PREFIX = 'fake_';

interface FakeRecord {
  payment: GatewayPayment;
  /** answers by idempotency key, like a real gateway's replay */
  cancels: Map<string, GatewayPayment>;
}

export class FakePaymentGateway implements PaymentGateway {
  readonly name = 'fake' as const;
  private readonly payments = new Map<string, FakeRecord>();

  checkout(): GatewayCheckout {
    return { provider: 'fake' };
  }

  async confirm(request: { reference: string; orderId: string; amount: number; idempotencyKey: string }): Promise<GatewayPayment> {
    const known = this.payments.get(request.reference);
    if (known) {
      if (known.payment.orderId !== request.orderId || known.payment.totalAmount !== request.amount) {
        throw new PaymentGatewayError('declined', 'ALREADY_PROCESSED_PAYMENT', 'this payment key was confirmed for another payment');
      }
      return { ...known.payment };
    }
    if (!request.reference.startsWith(FAKE_PAYMENT_KEY_PREFIX)) {
      throw new PaymentGatewayError('declined', 'NOT_FOUND_PAYMENT_SESSION', 'not a payment key of the fake gateway');
    }
    const payment: GatewayPayment = {
      reference: request.reference,
      orderId: request.orderId,
      status: 'approved',
      totalAmount: request.amount,
      balanceAmount: request.amount,
      approvedAt: new Date(),
      method: 'fake',
      approvalNumber: `F${randomUUID().replaceAll('-', '').slice(0, 8).toUpperCase()}`,
    };
    this.payments.set(request.reference, { payment, cancels: new Map() });
    return { ...payment };
  }

  async get(reference: string): Promise<GatewayPayment> {
    const record = this.payments.get(reference);
    if (!record) throw new PaymentGatewayError('rejected', 'NOT_FOUND_PAYMENT', 'no such payment');
    return { ...record.payment };
  }

  async cancel(request: { reference: string; reason: string; amount?: number; idempotencyKey: string }): Promise<GatewayPayment> {
    const record = this.payments.get(request.reference);
    if (!record) throw new PaymentGatewayError('rejected', 'NOT_FOUND_PAYMENT', 'no such payment');
    const replay = record.cancels.get(request.idempotencyKey);
    if (replay) return { ...replay };
    const amount = request.amount ?? record.payment.balanceAmount;
    if (amount <= 0 || amount > record.payment.balanceAmount) {
      throw new PaymentGatewayError('rejected', 'NOT_CANCELABLE_AMOUNT', 'more than is left of the payment');
    }
    const balanceAmount = record.payment.balanceAmount - amount;
    record.payment = { ...record.payment, balanceAmount, status: balanceAmount === 0 ? 'cancelled' : 'partially_cancelled' };
    record.cancels.set(request.idempotencyKey, { ...record.payment });
    return { ...record.payment };
  }

  async listTransactions(from: Date, to: Date): Promise<GatewayTransaction[]> {
    const lines: GatewayTransaction[] = [];
    for (const { payment } of this.payments.values()) {
      if (!payment.approvedAt || payment.approvedAt < from || payment.approvedAt >= to || payment.status === 'other') continue;
      lines.push({
        reference: payment.reference,
        orderId: payment.orderId,
        amount: payment.totalAmount,
        status: payment.status,
        cancelledAmount: payment.totalAmount - payment.balanceAmount,
        approvedAt: payment.approvedAt,
      });
    }
    return lines;
  }
}
