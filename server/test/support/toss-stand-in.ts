// A stand-in for Toss Payments' REST API on loopback, following its published contract
// (docs.tosspayments.com/reference): Basic auth with the secret key as the user, POST
// /v1/payments/confirm, GET /v1/payments/{paymentKey}, POST /v1/payments/{paymentKey}/cancel,
// GET /v1/transactions, errors as {code, message}, Idempotency-Key replays the first answer.
// A test plays the customer in Toss' window with authorize(), and can make it decline or fail.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

interface StandInPayment {
  mId: string;
  version: string;
  paymentKey: string;
  orderId: string;
  orderName: string;
  status: 'IN_PROGRESS' | 'DONE' | 'CANCELED' | 'PARTIAL_CANCELED';
  requestedAt: string;
  approvedAt: string | null;
  method: string;
  currency: 'KRW';
  totalAmount: number;
  balanceAmount: number;
  suppliedAmount: number;
  vat: number;
  lastTransactionKey: string | null;
  card: { approveNo: string; amount: number } | null;
  cancels: Array<{ transactionKey: string; cancelReason: string; cancelAmount: number; canceledAt: string; cancelStatus: 'DONE' }> | null;
}

interface StandInTransaction {
  mId: string;
  transactionKey: string;
  paymentKey: string;
  orderId: string;
  currency: 'KRW';
  method: string;
  amount: number;
  status: 'DONE' | 'CANCELED' | 'PARTIAL_CANCELED';
  transactionAt: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  body: any;
  status: number;
}

export interface TossStandIn {
  url: string;
  secretKey: string;
  /** every request, in order, with the answer's status */
  requests: RecordedRequest[];
  /** the customer authorises a payment in Toss' window: its paymentKey, as the success URL carries it */
  authorize(payment: { orderId: string; amount: number; orderName?: string }): string;
  /** Toss now expects this secret key (a key revoked in its dashboard): requests with another answer 401 */
  useSecretKey(secretKey: string): void;
  /** the next confirmation is refused by the card company (403 REJECT_CARD_PAYMENT) */
  declineNext(): void;
  /** the next request of any kind answers 500 FAILED_INTERNAL_SYSTEM_PROCESSING */
  failNext(): void;
  /** runs once, inside the next confirmation, before Toss approves */
  beforeNextConfirm(hook: () => Promise<void>): void;
  payment(paymentKey: string): StandInPayment | undefined;
  close(): Promise<void>;
}

/** Toss answers in Korean time: 2024-05-09T11:09:30+09:00 */
function koreanTime(at: Date): string {
  return `${new Date(at.getTime() + 9 * 3600_000).toISOString().slice(0, 19)}+09:00`;
}

/** the transactions query's times: Korean time without an offset */
function fromKoreanQuery(value: string | null): Date | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?$/.test(value)) return undefined;
  return new Date(`${value}+09:00`);
}

export async function startTossStandIn(options: { secretKey?: string } = {}): Promise<TossStandIn> {
  const secretKey = options.secretKey ?? `test_sk_${randomBytes(12).toString('base64url')}`;
  const authorizationOf = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
  let expectedAuthorization = authorizationOf(secretKey);
  const payments = new Map<string, StandInPayment>();
  const transactions: StandInTransaction[] = [];
  const replies = new Map<string, { status: number; body: unknown }>();
  const requests: RecordedRequest[] = [];
  let declineNext = false;
  let failNext = false;
  let confirmHook: (() => Promise<void>) | undefined;

  const key = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;
  const error = (status: number, code: string, message: string) => ({ status, body: { code, message } });
  /** the payment's latest transaction, as the transactions query lists it */
  const record = (payment: StandInPayment, amount: number, status: StandInTransaction['status'], at: string) =>
    transactions.push({
      mId: payment.mId,
      transactionKey: payment.lastTransactionKey!,
      paymentKey: payment.paymentKey,
      orderId: payment.orderId,
      currency: 'KRW',
      method: payment.method,
      amount,
      status,
      transactionAt: at,
    });

  async function answer(method: string, url: URL, headers: http.IncomingHttpHeaders, body: any): Promise<{ status: number; body: unknown }> {
    if (headers.authorization !== expectedAuthorization) {
      return error(401, 'UNAUTHORIZED_KEY', '인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다.');
    }
    if (failNext) {
      failNext = false;
      return error(500, 'FAILED_INTERNAL_SYSTEM_PROCESSING', '내부 시스템 처리 작업이 실패했습니다. 잠시 후 다시 시도해주세요.');
    }
    if (method === 'POST' && url.pathname === '/v1/payments/confirm') {
      const payment = payments.get(String(body?.paymentKey));
      if (!payment) return error(404, 'NOT_FOUND_PAYMENT_SESSION', '결제 시간이 만료되어 결제 진행 데이터가 존재하지 않습니다.');
      if (payment.orderId !== body.orderId || payment.totalAmount !== body.amount) {
        return error(400, 'INVALID_REQUEST', '잘못된 요청입니다.');
      }
      if (payment.status !== 'IN_PROGRESS') return error(400, 'ALREADY_PROCESSED_PAYMENT', '이미 처리된 결제 입니다.');
      if (confirmHook) {
        const hook = confirmHook;
        confirmHook = undefined;
        await hook();
      }
      if (declineNext) {
        declineNext = false;
        return error(403, 'REJECT_CARD_PAYMENT', '한도초과 혹은 잔액부족으로 결제에 실패했습니다.');
      }
      const now = new Date();
      payment.status = 'DONE';
      payment.approvedAt = koreanTime(now);
      payment.lastTransactionKey = key('');
      payment.card = { approveNo: String(10_000_000 + Math.floor(Math.random() * 89_999_999)), amount: payment.totalAmount };
      record(payment, payment.totalAmount, 'DONE', payment.approvedAt);
      return { status: 200, body: payment };
    }
    const cancel = url.pathname.match(/^\/v1\/payments\/([^/]+)\/cancel$/);
    if (method === 'POST' && cancel) {
      const payment = payments.get(decodeURIComponent(cancel[1]!));
      if (!payment) return error(404, 'NOT_FOUND_PAYMENT', '존재하지 않는 결제 정보 입니다.');
      if (typeof body?.cancelReason !== 'string' || body.cancelReason === '') return error(400, 'INVALID_REQUEST', '취소 사유를 입력해주세요.');
      if (payment.status === 'IN_PROGRESS') return error(403, 'NOT_CANCELABLE_PAYMENT', '취소 할 수 없는 결제 입니다.');
      if (payment.balanceAmount === 0) return error(400, 'ALREADY_CANCELED_PAYMENT', '이미 취소된 결제 입니다.');
      const amount = body.cancelAmount === undefined ? payment.balanceAmount : body.cancelAmount;
      if (!Number.isInteger(amount) || amount <= 0 || amount > payment.balanceAmount) {
        return error(403, 'NOT_CANCELABLE_AMOUNT', '취소 할 수 없는 금액 입니다.');
      }
      payment.balanceAmount -= amount;
      payment.status = payment.balanceAmount === 0 ? 'CANCELED' : 'PARTIAL_CANCELED';
      payment.lastTransactionKey = key('');
      const canceledAt = koreanTime(new Date());
      payment.cancels = [
        ...(payment.cancels ?? []),
        { transactionKey: payment.lastTransactionKey, cancelReason: body.cancelReason, cancelAmount: amount, canceledAt, cancelStatus: 'DONE' },
      ];
      record(payment, amount, payment.status, canceledAt);
      return { status: 200, body: payment };
    }
    const get = url.pathname.match(/^\/v1\/payments\/([^/]+)$/);
    if (method === 'GET' && get) {
      const payment = payments.get(decodeURIComponent(get[1]!));
      return payment ? { status: 200, body: payment } : error(404, 'NOT_FOUND_PAYMENT', '존재하지 않는 결제 정보 입니다.');
    }
    if (method === 'GET' && url.pathname === '/v1/transactions') {
      const start = fromKoreanQuery(url.searchParams.get('startDate'));
      const end = fromKoreanQuery(url.searchParams.get('endDate'));
      if (!start || !end) return error(400, 'INVALID_DATE', '날짜 데이터가 잘못 되었습니다.');
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 100) || 100, 10_000);
      const after = url.searchParams.get('startingAfter');
      let inRange = transactions.filter((transaction) => {
        const at = new Date(transaction.transactionAt).getTime();
        return at >= start.getTime() && at <= end.getTime() + 999;
      });
      if (after) inRange = inRange.slice(inRange.findIndex((transaction) => transaction.transactionKey === after) + 1);
      return { status: 200, body: inRange.slice(0, limit) };
    }
    return error(404, 'NOT_FOUND', '존재하지 않는 정보 입니다.');
  }

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const url = new URL(request.url ?? '/', 'http://stand-in');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: any;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      const idempotencyKey = request.headers['idempotency-key'] as string | undefined;
      const replayKey = idempotencyKey && request.method === 'POST' ? `${request.headers.authorization} ${url.pathname} ${idempotencyKey}` : undefined;
      let reply = replayKey ? replies.get(replayKey) : undefined;
      if (!reply) {
        reply = await answer(request.method ?? 'GET', url, request.headers, body);
        // Toss keeps the answer to an idempotency key (15 days); a 401 never reached the payment
        if (replayKey && reply.status !== 401 && reply.status < 500) replies.set(replayKey, { status: reply.status, body: structuredClone(reply.body) });
      }
      requests.push({ method: request.method ?? 'GET', path: url.pathname, idempotencyKey, body, status: reply.status });
      response.writeHead(reply.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    secretKey,
    requests,
    authorize({ orderId, amount, orderName }) {
      const paymentKey = key('tgen_');
      const vat = Math.floor(amount / 11);
      payments.set(paymentKey, {
        mId: 'tvivarepublica',
        version: '2022-11-16',
        paymentKey,
        orderId,
        orderName: orderName ?? '주문',
        status: 'IN_PROGRESS',
        requestedAt: koreanTime(new Date()),
        approvedAt: null,
        method: '카드',
        currency: 'KRW',
        totalAmount: amount,
        balanceAmount: amount,
        suppliedAmount: amount - vat,
        vat,
        lastTransactionKey: null,
        card: null,
        cancels: null,
      });
      return paymentKey;
    },
    useSecretKey(key) {
      expectedAuthorization = authorizationOf(key);
    },
    declineNext() {
      declineNext = true;
    },
    failNext() {
      failNext = true;
    },
    beforeNextConfirm(hook) {
      confirmHook = hook;
    },
    payment: (paymentKey) => payments.get(paymentKey),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
