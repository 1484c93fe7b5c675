// The practice receipt's order, made on the kiosk from the cart: the orders API is never called in
// practice, so no order, stock change or sale can come of it.
import type { Order, PaymentMethod } from '../../api/client';
import { type Cart, type Dining, cartTotal, lineTotal, unitPrice } from '../cart';

export function practiceOrder(cart: Cart, paymentMethod: PaymentMethod, dining: Dining, storeId: string): Order {
  const now = new Date().toISOString();
  return {
    id: '00000000-0000-0000-0000-000000000000',
    storeId,
    kioskId: null,
    customerId: null,
    number: 0,
    localDate: now.slice(0, 10),
    status: 'placed',
    paymentMethod,
    dining,
    total: cartTotal(cart),
    cancelReason: null,
    createdAt: now,
    updatedAt: now,
    cancelledAt: null,
    // nothing is ever paid in practice
    payment: { status: 'unpaid', method: null, paidAmount: 0, refundedAmount: 0, approvalNumber: null, paidAt: null, payBy: null },
    lines: cart.lines.map((line) => ({
      itemId: line.itemId,
      itemName: line.name,
      unitPrice: unitPrice(line),
      quantity: line.quantity,
      options: line.options.map(({ group, name, priceDelta }) => ({ group, name, priceDelta })),
      lineTotal: lineTotal(line),
      note: line.note,
    })),
  };
}
