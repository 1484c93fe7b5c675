import { Type } from 'typebox';
import { Uuid, errorResponses } from '../../platform/http/common-schemas.js';

const security = [{ bearer: [] }];
const LocalDay = Type.String({ format: 'date', description: "a day in the store's time zone, YYYY-MM-DD" });
const params = Type.Object({ storeId: Uuid });
const periods = [Type.Literal('day'), Type.Literal('week'), Type.Literal('month'), Type.Literal('year')];

export const SalesSeriesRoute = {
  tags: ['sales'],
  summary: 'Sales by day, ISO week (from Monday), month or year; cancelled orders are not counted',
  security,
  params,
  querystring: Type.Object(
    {
      from: LocalDay,
      to: LocalDay,
      period: Type.Union(periods, { default: 'day' }),
    },
    { additionalProperties: false },
  ),
  response: {
    200: Type.Object({
      period: Type.Union(periods),
      buckets: Type.Array(
        Type.Object({
          start: Type.String(),
          orderCount: Type.Integer(),
          total: Type.Integer(),
          eatInCount: Type.Integer({ description: 'of orderCount, eat-in orders' }),
          eatInTotal: Type.Integer({ description: 'of total, eat-in orders' }),
          takeOutCount: Type.Integer({ description: 'of orderCount, take-out orders' }),
          takeOutTotal: Type.Integer({ description: 'of total, take-out orders; orders placed before the kiosk asked are in neither' }),
        }),
      ),
    }),
    ...errorResponses(400, 401, 403),
  },
};

export const BestSellersRoute = {
  tags: ['sales'],
  summary: 'The items sold most in a date range',
  security,
  params,
  querystring: Type.Object({ from: LocalDay, to: LocalDay, limit: Type.Integer({ minimum: 1, maximum: 50, default: 10 }) }, { additionalProperties: false }),
  response: {
    200: Type.Object({
      items: Type.Array(Type.Object({ itemId: Uuid, name: Type.String(), quantity: Type.Integer(), total: Type.Integer() })),
    }),
    ...errorResponses(400, 401, 403),
  },
};

export const StandingRoute = {
  tags: ['sales'],
  summary: "The store's last-30-days sales among the brand's stores: total, average, store count, rank",
  security,
  params,
  response: {
    200: Type.Object({
      days: Type.Integer(),
      from: Type.String(),
      to: Type.String(),
      storeTotal: Type.Integer(),
      brandTotal: Type.Integer(),
      brandAverage: Type.Integer(),
      storeCount: Type.Integer(),
      rank: Type.Integer(),
    }),
    ...errorResponses(401, 403),
  },
};
