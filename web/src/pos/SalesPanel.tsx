// The 매출 tab: a date range and a period (day, week, month, year), a bar chart of the sales, the
// totals, the best sellers, and where the store stands in its brand over the last 30 days.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { api, type BestSeller, type SalesBucket, type SalesPeriod, type Standing } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { ColumnHeads } from '../components/ColumnHeads';
import { LoadError, Loading } from '../components/Page';
import { dayLabel, localDay, thousands, won } from '../format';
import { errorText, useI18n } from '../i18n';
import { BarChart, periodLabel } from './BarChart';
import { DateRange, rangeOfDays, type Range } from './DateRange';
import { useFirstOrderDate } from './useFirstOrderDate';

const periods: readonly SalesPeriod[] = ['day', 'week', 'month', 'year'];

export function SalesPanel({ storeId, timeZone }: { storeId: string; timeZone: string }) {
  const { t, lang } = useI18n();
  const s = t.pos.sales;
  const headingId = useId();
  const bestId = useId();
  const [today] = useState(() => localDay(timeZone));
  const [range, setRange] = useState<Range>(() => rangeOfDays(localDay(timeZone), 30));
  const [period, setPeriod] = useState<SalesPeriod>('day');
  const [series, setSeries] = useState<{ period: SalesPeriod; buckets: SalesBucket[] }>();
  const [best, setBest] = useState<BestSeller[]>();
  const [standing, setStanding] = useState<Standing>();
  const [error, setError] = useState<unknown>();
  const [standingError, setStandingError] = useState<unknown>();
  const ticket = useRef(0);
  const firstDate = useFirstOrderDate(storeId);

  const load = useCallback(async () => {
    const mine = ++ticket.current;
    setError(undefined);
    try {
      const [answer, sellers] = await Promise.all([api.sales(storeId, range.from, range.to, period), api.bestSellers(storeId, range.from, range.to, 10)]);
      if (mine !== ticket.current) return;
      setSeries({ period: answer.period, buckets: answer.buckets });
      setBest(sellers.items);
    } catch (caught) {
      if (mine === ticket.current) setError(caught);
    }
  }, [storeId, range, period]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    api.standing(storeId).then(setStanding, setStandingError);
  }, [storeId]);

  const total = series?.buckets.reduce((sum, bucket) => sum + bucket.total, 0) ?? 0;
  const orders = series?.buckets.reduce((sum, bucket) => sum + bucket.orderCount, 0) ?? 0;
  const sumOf = (field: 'eatInCount' | 'eatInTotal' | 'takeOutCount' | 'takeOutTotal') => series?.buckets.reduce((sum, bucket) => sum + bucket[field], 0) ?? 0;
  const fromText = dayLabel(range.from, lang, { year: 'numeric', month: 'long', day: 'numeric' });
  const toText = dayLabel(range.to, lang, { year: 'numeric', month: 'long', day: 'numeric' });
  const standingMoney = (amount: number) => won(amount, lang);

  return (
    <section aria-labelledby={headingId} className="panel sales">
      <h2 id={headingId}>{s.title}</h2>
      <p className="hint">{t.posPayments.salesNote}</p>

      <div className="standing" aria-live="polite">
        {standing ? (
          <>
            <p className="standing-line">{s.standing(standingMoney(standing.storeTotal), standing.storeCount, standing.rank)}</p>
            <p className="standing-average">{s.brandAverage(standingMoney(standing.brandAverage))}</p>
          </>
        ) : standingError ? (
          <ErrorAlert>{errorText(t, standingError)}</ErrorAlert>
        ) : (
          <Loading />
        )}
      </div>

      <div className="filters">
        <DateRange texts={s} value={range} today={today} min={firstDate} onChange={setRange} />
        <fieldset className="period-choice">
          <legend>{s.periodLegend}</legend>
          <div className="segmented">
            {periods.map((each) => (
              <label key={each} className={`segment${period === each ? ' segment-on' : ''}`}>
                <input type="radio" name="sales-period" value={each} checked={period === each} onChange={() => setPeriod(each)} />
                {s.periods[each]}
              </label>
            ))}
          </div>
        </fieldset>
      </div>

      {error ? (
        <LoadError error={error} onRetry={load} />
      ) : !series || !best ? (
        <Loading />
      ) : (
        <>
          <dl className="figures">
            <div className="figure">
              <dt>{s.totalSales}</dt>
              <dd>{won(total, lang)}</dd>
            </div>
            <div className="figure">
              <dt>{s.orderCount}</dt>
              <dd>{s.orders(orders)}</dd>
            </div>
            <div className="figure">
              <dt>{s.average}</dt>
              <dd>{won(orders === 0 ? 0 : Math.round(total / orders), lang)}</dd>
            </div>
            <div className="figure">
              <dt>{t.dining.eatIn}</dt>
              <dd>
                {won(sumOf('eatInTotal'), lang)} <span className="muted">({s.orders(sumOf('eatInCount'))})</span>
              </dd>
            </div>
            <div className="figure">
              <dt>{t.dining.takeOut}</dt>
              <dd>
                {won(sumOf('takeOutTotal'), lang)} <span className="muted">({s.orders(sumOf('takeOutCount'))})</span>
              </dd>
            </div>
          </dl>

          <figure className="chart">
            <figcaption className="chart-caption">{s.chartTitle}</figcaption>
            <BarChart
              buckets={series.buckets}
              period={series.period}
              lang={lang}
              title={s.chartTitle}
              description={s.chartLabel(fromText, toText, won(total, lang))}
            />
          </figure>
          <details className="chart-table">
            <summary>{s.showTable}</summary>
            <div className="table-scroll">
              <table className="data-table">
                <caption className="sr-only">{s.chartTitle}</caption>
                <ColumnHeads columns={[s.periodStart, { num: s.orderCount }, { num: s.amount }, { num: t.dining.eatIn }, { num: t.dining.takeOut }]} />
                <tbody>
                  {series.buckets.map((bucket) => (
                    <tr key={bucket.start}>
                      <th scope="row">{periodLabel(bucket.start, series.period, lang, true)}</th>
                      <td className="num">{thousands(bucket.orderCount)}</td>
                      <td className="num">{won(bucket.total, lang)}</td>
                      <td className="num">{won(bucket.eatInTotal, lang)}</td>
                      <td className="num">{won(bucket.takeOutTotal, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>

          <h3 id={bestId} className="section-title">
            {s.bestSellers}
          </h3>
          {best.length === 0 ? (
            <p className="empty">{s.noSales}</p>
          ) : (
            <div className="table-scroll">
              <table className="data-table best-table" aria-labelledby={bestId}>
                <ColumnHeads columns={[{ num: s.rank }, s.item, { num: s.quantity }, { num: s.amount }]} />
                <tbody>
                  {best.map((seller, index) => (
                    <tr key={seller.itemId}>
                      <td className="num">{index + 1}</td>
                      <th scope="row">{seller.name}</th>
                      <td className="num">{thousands(seller.quantity)}</td>
                      <td className="num">{won(seller.total, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
