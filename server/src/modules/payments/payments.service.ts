// Payments at the counter and after: the POS marks a counter order paid (cash or the counter's own
// card reader), gives money back, and sets how the store takes payment (whether the kitchen starts
// unpaid orders, when they expire) and the business details its receipts print. The order's money
// itself (sales counting, refunds, expiry) is kept by OrdersService, in one transaction with each change.
import type { Database } from '../../platform/db/database.js';
import { DomainError } from '../../platform/http/errors.js';
import type { Order, Refund } from '../orders/orders.repository.js';
import type { OrdersService } from '../orders/orders.service.js';
import { PaymentsRepository, type PaymentSettings } from './payments.repository.js';

export type CounterMethod = 'counter_cash' | 'counter_card';

export class PaymentsService {
  constructor(
    private readonly db: Database,
    private readonly orders: OrdersService,
  ) {}

  /**
   * The POS takes the money at the counter: `amount` must be what is due (the order's total).
   * A retry with the same Idempotency-Key answers the paid order, counted once.
   */
  payAtCounter(
    storeId: string,
    orderId: string,
    payment: { method: CounterMethod; amount: number; approvalNumber?: string | null },
    idempotencyKey: string | null,
  ): Promise<Order> {
    const approvalNumber = payment.approvalNumber?.trim() || null;
    return this.orders.confirmPayment(storeId, orderId, { method: payment.method, amount: payment.amount, approvalNumber, idempotencyKey });
  }

  refund(
    storeId: string,
    orderId: string,
    request: { amount: number; reason: string },
    accountId: string,
    idempotencyKey: string | null,
  ): Promise<{ order: Order; refund: Refund; replayed: boolean }> {
    return this.orders.refund(storeId, orderId, { ...request, accountId, idempotencyKey });
  }

  refundsOf(storeId: string, orderId: string): Promise<Refund[]> {
    return this.orders.refundsOf(storeId, orderId);
  }

  async settings(storeId: string): Promise<PaymentSettings> {
    const settings = await new PaymentsRepository(this.db).settings(storeId);
    if (!settings) throw new DomainError('not_found', 'store_not_found', 'There is no such store.');
    return settings;
  }

  /** replaces the settings; business fields left empty are cleared */
  async saveSettings(storeId: string, settings: PaymentSettings): Promise<PaymentSettings> {
    const business = {
      name: emptyToNull(settings.business.name),
      registrationNumber: registrationNumberOf(settings.business.registrationNumber),
      address: emptyToNull(settings.business.address),
      phone: emptyToNull(settings.business.phone),
    };
    await new PaymentsRepository(this.db).saveSettings(storeId, { ...settings, business });
    return this.settings(storeId);
  }

  /** the expiry job: orders still waiting for their money past their pay-by time are cancelled */
  expireDue(): Promise<number> {
    return this.orders.expireDue();
  }
}

function emptyToNull(value: string | null): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/**
 * A Korean business registration number (사업자등록번호), given with or without hyphens, as its 10
 * digits; a number whose check digit does not match is refused (a digit mistyped or two swapped).
 */
export function registrationNumberOf(value: string | null): string | null {
  const given = emptyToNull(value);
  if (given === null) return null;
  const digits = given.replace(/-/g, '');
  if (!/^[0-9]{10}$/.test(digits) || !hasValidCheckDigit(digits)) {
    throw new DomainError('invalid', 'invalid_registration_number', 'The business registration number is not valid (000-00-00000). Please check the digits.');
  }
  return digits;
}

function hasValidCheckDigit(digits: string): boolean {
  return registrationCheckDigit(digits.slice(0, 9)) === Number(digits[9]);
}

/** the National Tax Service's check digit of a registration number's first 9 digits: weights 1 3 7 1 3 7 1 3 5, plus the tens of 5 × the ninth */
export function registrationCheckDigit(first9: string): number {
  const d = [...first9].map(Number);
  const weights = [1, 3, 7, 1, 3, 7, 1, 3, 5];
  const sum = weights.reduce((total, weight, index) => total + weight * d[index]!, 0) + Math.floor((d[8]! * 5) / 10);
  return (10 - (sum % 10)) % 10;
}

/** 1248100998 -> 124-81-00998, as receipts and the POS show it */
export function formatRegistrationNumber(digits: string | null): string | null {
  return digits === null ? null : `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`;
}
