import { Type, type Static } from 'typebox';
import { DateTime, StoreParams, Uuid, errorResponses } from '../../platform/http/common-schemas.js';

const security = [{ bearer: [] }];
const BusinessDate = Type.String({ format: 'date', description: "a business day in the store's time zone, YYYY-MM-DD (the orders' local date)" });

export const MismatchKindSchema = Type.Union(
  [
    Type.Literal('charge_without_order'),
    Type.Literal('amount_mismatch'),
    Type.Literal('order_without_charge'),
    Type.Literal('void_failed'),
    Type.Literal('refund_failed'),
    Type.Literal('gateway_mismatch'),
  ],
  {
    description:
      "'charge_without_order': a card or mobile charge taken and not voided whose order is not paid by it; " +
      "'amount_mismatch': the charge (or what was recorded as paid) differs from the order's total; " +
      "'order_without_charge': an order marked paid by kiosk card or mobile with no approved charge; " +
      "'void_failed': the terminal could not void a charge (money still taken); " +
      "'refund_failed': a refund that failed at the terminal or the gateway, or was never answered; " +
      "'gateway_mismatch': the gateway's own record disagrees with ours (unknown there, amount or cancellation differs)",
  },
);
export type MismatchKind = Static<typeof MismatchKindSchema>;

export const ReconciliationMismatchSchema = Type.Object(
  {
    id: Uuid,
    kind: MismatchKindSchema,
    orderId: Type.Union([Uuid, Type.Null()]),
    orderNumber: Type.Union([Type.Integer(), Type.Null()], { description: "the order's number on its day, when there is an order" }),
    paymentAttemptId: Type.Union([Uuid, Type.Null()], { description: 'the charge (payment_id on the wire), when one is concerned' }),
    expectedAmount: Type.Union([Type.Integer(), Type.Null()], { description: 'in won: what our records say should have been taken' }),
    actualAmount: Type.Union([Type.Integer(), Type.Null()], { description: 'in won: what the terminal or the gateway reports' }),
    detail: Type.String({ description: 'one line for people, in English: what is wrong and what to do' }),
  },
  { title: 'ReconciliationMismatch' },
);

export const ReconciliationRunSchema = Type.Object(
  {
    id: Uuid,
    date: BusinessDate,
    startedAt: DateTime,
    finishedAt: DateTime,
    ordersChecked: Type.Integer({ description: 'orders of that business day' }),
    mismatchCount: Type.Integer(),
    mismatches: Type.Array(ReconciliationMismatchSchema),
  },
  { title: 'ReconciliationRun' },
);

export const GetReconciliationRoute = {
  tags: ['payments'],
  summary: "The latest reconciliation of one of the store's business days: the mismatches between the terminals', the gateway's records and the orders",
  description:
    'The daily job reconciles the previous business day shortly after midnight in the store’s time zone; `POST` runs it now. ' +
    '404 `not_reconciled` when that day has not been reconciled yet.',
  security,
  params: StoreParams,
  querystring: Type.Object({ date: BusinessDate }, { additionalProperties: false }),
  response: { 200: ReconciliationRunSchema, ...errorResponses(400, 401, 403, 404) },
};

export const RunReconciliationRoute = {
  tags: ['payments'],
  summary: "Reconciles one of the store's business days now; a rerun replaces that day's previous run",
  security,
  params: StoreParams,
  body: Type.Object({ date: BusinessDate }, { additionalProperties: false }),
  response: { 200: ReconciliationRunSchema, ...errorResponses(400, 401, 403, 503) },
};
