// Sales figures for a store: series by day, ISO week, month and year; best sellers; and the
// store's standing among its brand's stores over the last 30 days, served look-aside through the
// cache (correct, only slower, when the cache is flushed or unreachable).
import type { Cache } from '../../platform/cache/cache.js';
import type { Database } from '../../platform/db/database.js';
import { DomainError } from '../../platform/http/errors.js';
import { addDays, daysBetween, localDate } from '../../platform/time/local-date.js';
import { SalesRepository, type Period, type SalesBucket } from './sales.repository.js';

export const STANDING_DAYS = 30;
export const STANDING_CACHE_SECONDS = 60;
const MAX_DAYS: Record<Period, number> = { day: 366, week: 731, month: 3660, year: 3660 };

export interface Standing {
  days: number;
  from: string;
  to: string;
  storeTotal: number;
  brandTotal: number;
  brandAverage: number;
  storeCount: number;
  rank: number;
}

export class SalesService {
  constructor(
    private readonly db: Database,
    private readonly cache: Cache,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** one bucket per period from `from` to `to`, empty periods included as zero */
  async series(storeId: string, from: string, to: string, period: Period): Promise<SalesBucket[]> {
    if (from > to) throw new DomainError('invalid', 'invalid_range', 'The start date is after the end date.');
    if (daysBetween(from, to) > MAX_DAYS[period]) {
      throw new DomainError('invalid', 'range_too_long', `By ${period}, a range can be at most ${MAX_DAYS[period]} days.`, { maxDays: MAX_DAYS[period] });
    }
    const rows = await new SalesRepository(this.db).series(storeId, from, to, period);
    const byStart = new Map(rows.map((row) => [row.start, row]));
    return periodStarts(from, to, period).map(
      (start) => byStart.get(start) ?? { start, orderCount: 0, total: 0, eatInCount: 0, eatInTotal: 0, takeOutCount: 0, takeOutTotal: 0 },
    );
  }

  async bestSellers(storeId: string, from: string, to: string, limit: number) {
    if (from > to) throw new DomainError('invalid', 'invalid_range', 'The start date is after the end date.');
    if (daysBetween(from, to) > MAX_DAYS.year) throw new DomainError('invalid', 'range_too_long', 'The range is too long.');
    return new SalesRepository(this.db).bestSellers(storeId, from, to, limit);
  }

  /** the store among its brand's open stores over the last 30 local days, today included */
  async standing(storeId: string): Promise<Standing> {
    const repository = new SalesRepository(this.db);
    const { timeZone, brandId } = await repository.timeZoneOf(storeId);
    const to = localDate(timeZone, this.now());
    const from = addDays(to, -(STANDING_DAYS - 1));
    const key = `sales:standing:${brandId}:${from}:${to}`;
    let totals = await this.cache
      .get(key)
      .then((value) => (value ? (JSON.parse(value) as Array<{ storeId: string; total: number }>) : undefined))
      .catch(() => undefined);
    if (!totals) {
      totals = await repository.brandTotals(brandId, from, to);
      await this.cache.set(key, JSON.stringify(totals), STANDING_CACHE_SECONDS).catch(() => undefined);
    }
    const storeTotal = totals.find((entry) => entry.storeId === storeId)?.total ?? 0;
    const brandTotal = totals.reduce((sum, entry) => sum + entry.total, 0);
    const storeCount = totals.length;
    return {
      days: STANDING_DAYS,
      from,
      to,
      storeTotal,
      brandTotal,
      brandAverage: storeCount === 0 ? 0 : Math.round(brandTotal / storeCount),
      storeCount,
      rank: 1 + totals.filter((entry) => entry.total > storeTotal).length,
    };
  }

  /**
   * Recomputes every store's aggregates from the orders. Idempotent: running it twice, or while
   * orders arrive, gives the figures the live path would have.
   */
  async rebuildAll(onProgress: (done: number, total: number) => void = () => {}): Promise<number> {
    const storeIds = await new SalesRepository(this.db).storeIds();
    let done = 0;
    for (const storeId of storeIds) {
      await this.db.transaction().execute((trx) => new SalesRepository(trx).rebuildStore(storeId));
      onProgress(++done, storeIds.length);
    }
    return storeIds.length;
  }

  /** recomputes the given days of every store (the nightly reconciliation) */
  async rebuildDays(from: string, to: string): Promise<void> {
    const storeIds = await new SalesRepository(this.db).storeIds();
    for (const storeId of storeIds) {
      await this.db.transaction().execute((trx) => new SalesRepository(trx).rebuildStore(storeId, { from, to }));
    }
  }
}

function periodStart(day: string, period: Period): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (period === 'week') date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  if (period === 'month') date.setUTCDate(1);
  if (period === 'year') date.setUTCMonth(0, 1);
  return date.toISOString().slice(0, 10);
}

function periodStarts(from: string, to: string, period: Period): string[] {
  const starts: string[] = [];
  let current = periodStart(from, period);
  while (current <= to) {
    starts.push(current);
    const next = new Date(`${current}T00:00:00Z`);
    if (period === 'day') next.setUTCDate(next.getUTCDate() + 1);
    if (period === 'week') next.setUTCDate(next.getUTCDate() + 7);
    if (period === 'month') next.setUTCMonth(next.getUTCMonth() + 1);
    if (period === 'year') next.setUTCFullYear(next.getUTCFullYear() + 1);
    current = next.toISOString().slice(0, 10);
  }
  return starts;
}
