// Toss Payments' REST API (https://docs.tosspayments.com/reference), PAYMENT_GATEWAY=toss:
//
//   Authorization: Basic base64(TOSS_SECRET_KEY + ':')        (the secret key is the user, no password)
//   POST /v1/payments/confirm {paymentKey, orderId, amount}   Idempotency-Key   -> Payment
//   GET  /v1/payments/{paymentKey}                                               -> Payment
//   POST /v1/payments/{paymentKey}/cancel {cancelReason, cancelAmount?} Idempotency-Key -> Payment
//   GET  /v1/transactions?startDate&endDate[&startingAfter&limit]                -> Transaction[]
//   errors: 4xx/5xx {code, message}
//
// Payment: {paymentKey, orderId, status: READY | IN_PROGRESS | WAITING_FOR_DEPOSIT | DONE | CANCELED
// | PARTIAL_CANCELED | ABORTED | EXPIRED, approvedAt, method, totalAmount, balanceAmount,
// lastTransactionKey, card: {approveNo} | null, cancels: [{cancelAmount, canceledAt}] | null}.
// Transaction: {transactionKey, paymentKey, orderId, amount, status: DONE (the approval) | CANCELED |
// PARTIAL_CANCELED (a cancellation of `amount`), transactionAt}. Toss' times are Korean time.
import { type GatewayCheckout, type GatewayPayment, type GatewayTransaction, type PaymentGateway, PaymentGatewayError } from './payment-gateway.js';

export interface TossSettings {
  apiUrl: string;
  secretKey: string;
  clientKey: string;
  timeoutMs: number;
}

interface TossPayment {
  paymentKey: string;
  orderId: string;
  status: string;
  approvedAt: string | null;
  method: string | null;
  totalAmount: number;
  balanceAmount: number;
  lastTransactionKey?: string | null;
  card?: { approveNo?: string | null } | null;
}

interface TossTransaction {
  transactionKey: string;
  paymentKey: string;
  orderId: string;
  amount: number;
  status: string;
  transactionAt: string;
}

// Toss' codes for a fault on their side or the card company's: the outcome is not known, so the
// payment is neither approved nor refused (docs.tosspayments.com/reference/error-codes)
const UNAVAILABLE_CODES = new Set([
  'PROVIDER_ERROR',
  'COMMON_ERROR',
  'FAILED_INTERNAL_SYSTEM_PROCESSING',
  'FAILED_PAYMENT_INTERNAL_SYSTEM_PROCESSING',
  'FAILED_CARD_COMPANY_RESPONSE',
  'UNKNOWN_PAYMENT_ERROR',
]);
const UNAUTHORIZED_CODES = new Set(['UNAUTHORIZED_KEY', 'INVALID_API_KEY']);
const TRANSACTIONS_PAGE = 5000;

export class TossPaymentsGateway implements PaymentGateway {
  readonly name = 'toss' as const;
  private readonly authorization: string;

  constructor(private readonly settings: TossSettings) {
    this.authorization = `Basic ${Buffer.from(`${settings.secretKey}:`).toString('base64')}`;
  }

  checkout(): GatewayCheckout {
    return { provider: 'toss', clientKey: this.settings.clientKey };
  }

  async confirm(request: { reference: string; orderId: string; amount: number; idempotencyKey: string }): Promise<GatewayPayment> {
    try {
      const payment = await this.call<TossPayment>(
        'POST',
        '/v1/payments/confirm',
        { paymentKey: request.reference, orderId: request.orderId, amount: request.amount },
        request.idempotencyKey,
        'declined',
      );
      return toGatewayPayment(payment);
    } catch (error) {
      // confirmed before (by a request whose answer was lost): what Toss holds is the answer
      if (error instanceof PaymentGatewayError && error.code === 'ALREADY_PROCESSED_PAYMENT') {
        const payment = await this.get(request.reference);
        if (payment.orderId === request.orderId && payment.status !== 'other') return payment;
      }
      throw error;
    }
  }

  async get(reference: string): Promise<GatewayPayment> {
    return toGatewayPayment(await this.call<TossPayment>('GET', `/v1/payments/${encodeURIComponent(reference)}`, undefined, undefined, 'rejected'));
  }

  async cancel(request: { reference: string; reason: string; amount?: number; idempotencyKey: string }): Promise<GatewayPayment> {
    const body: Record<string, unknown> = { cancelReason: request.reason.slice(0, 200) };
    if (request.amount !== undefined) body.cancelAmount = request.amount;
    try {
      return toGatewayPayment(
        await this.call<TossPayment>('POST', `/v1/payments/${encodeURIComponent(request.reference)}/cancel`, body, request.idempotencyKey, 'rejected'),
      );
    } catch (error) {
      // a whole cancellation of a payment already cancelled (our earlier request's answer was lost) is done
      if (error instanceof PaymentGatewayError && error.code === 'ALREADY_CANCELED_PAYMENT' && request.amount === undefined) {
        return this.get(request.reference);
      }
      throw error;
    }
  }

  async listTransactions(from: Date, to: Date): Promise<GatewayTransaction[]> {
    const transactions: TossTransaction[] = [];
    let startingAfter: string | undefined;
    for (;;) {
      const query = new URLSearchParams({ startDate: koreanTime(from), endDate: koreanTime(new Date(to.getTime() - 1)), limit: String(TRANSACTIONS_PAGE) });
      if (startingAfter) query.set('startingAfter', startingAfter);
      const page = await this.call<TossTransaction[]>('GET', `/v1/transactions?${query}`, undefined, undefined, 'rejected');
      transactions.push(...page);
      if (page.length < TRANSACTIONS_PAGE) break;
      startingAfter = page[page.length - 1]?.transactionKey;
    }
    // one line per payment: its approval, less what was cancelled of it in the range
    const byPayment = new Map<string, { approval?: TossTransaction; cancelled: number; orderId: string }>();
    for (const transaction of transactions) {
      const entry = byPayment.get(transaction.paymentKey) ?? { cancelled: 0, orderId: transaction.orderId };
      if (transaction.status === 'DONE') entry.approval = transaction;
      else if (transaction.status === 'CANCELED' || transaction.status === 'PARTIAL_CANCELED') entry.cancelled += transaction.amount;
      byPayment.set(transaction.paymentKey, entry);
    }
    const lines: GatewayTransaction[] = [];
    for (const [reference, entry] of byPayment) {
      let amount: number;
      let approvedAt: Date;
      let cancelledAmount = entry.cancelled;
      if (entry.approval) {
        amount = entry.approval.amount;
        approvedAt = new Date(entry.approval.transactionAt);
      } else {
        // approved before the range, cancelled in it: the payment itself says what was approved
        const payment = await this.get(reference);
        if (!payment.approvedAt) continue;
        amount = payment.totalAmount;
        approvedAt = payment.approvedAt;
        cancelledAmount = payment.totalAmount - payment.balanceAmount;
      }
      const status = cancelledAmount <= 0 ? 'approved' : cancelledAmount >= amount ? 'cancelled' : 'partially_cancelled';
      lines.push({ reference, orderId: entry.orderId, amount, status, cancelledAmount, approvedAt });
    }
    return lines;
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body: unknown, idempotencyKey: string | undefined, refusal: 'declined' | 'rejected'): Promise<T> {
    const headers: Record<string, string> = { authorization: this.authorization };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey.slice(0, 300);
    const what = `${method} ${path.split('?')[0]}`;
    let response: Response;
    try {
      response = await fetch(new URL(path, this.settings.apiUrl), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      const code = (error as { cause?: { code?: string } }).cause?.code;
      throw new PaymentGatewayError(
        'unavailable',
        timedOut ? 'TIMEOUT' : 'NETWORK_ERROR',
        `Toss Payments: ${what}: ${timedOut ? `no answer within ${this.settings.timeoutMs} ms` : `request failed${code ? ` (${code})` : ''}`}`,
      );
    }
    const text = await response.text().catch(() => '');
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (response.ok) {
      if (parsed === undefined) throw new PaymentGatewayError('unavailable', 'INVALID_RESPONSE', `Toss Payments: ${what}: an answer that is not JSON`);
      return parsed as T;
    }
    const error = (parsed ?? {}) as { code?: unknown; message?: unknown };
    const code = typeof error.code === 'string' ? error.code.slice(0, 80) : `HTTP_${response.status}`;
    const message = typeof error.message === 'string' ? error.message.slice(0, 300) : `answered ${response.status}`;
    const kind =
      response.status === 401 || UNAUTHORIZED_CODES.has(code)
        ? 'unauthorized'
        : response.status >= 500 || response.status === 429 || UNAVAILABLE_CODES.has(code)
          ? 'unavailable'
          : refusal;
    throw new PaymentGatewayError(kind, code, `Toss Payments: ${what}: ${response.status} ${code}: ${message}`, response.status);
  }
}

function toGatewayPayment(payment: TossPayment): GatewayPayment {
  const status =
    payment.status === 'DONE'
      ? 'approved'
      : payment.status === 'CANCELED'
        ? 'cancelled'
        : payment.status === 'PARTIAL_CANCELED'
          ? 'partially_cancelled'
          : 'other';
  return {
    reference: payment.paymentKey,
    orderId: payment.orderId,
    status,
    totalAmount: payment.totalAmount,
    balanceAmount: payment.balanceAmount,
    approvedAt: payment.approvedAt ? new Date(payment.approvedAt) : null,
    method: payment.method ?? null,
    approvalNumber: (payment.card?.approveNo || payment.lastTransactionKey || null)?.slice(0, 40) ?? null,
  };
}

/** Toss' query times are Korean time without an offset: 2022-01-01T00:00:00.000 */
function koreanTime(at: Date): string {
  return new Date(at.getTime() + 9 * 3600_000).toISOString().slice(0, 23);
}
