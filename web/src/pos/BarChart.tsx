// A bar chart in plain SVG: one bar per period, a few gridlines with compact amounts, labels
// under some bars (as many as fit), and each bar's exact figure in its <title>. The figures are
// also in a table for those who do not see the chart (SalesPanel).
import { useId } from 'react';
import type { SalesBucket, SalesPeriod } from '../api/client';
import { dayLabel, locale, won } from '../format';
import type { Lang } from '../i18n';

const WIDTH = 1000;
const HEIGHT = 320;
const PAD = { top: 16, right: 12, bottom: 44, left: 76 };

/** a period's label: "11/26", "11/24~" (a week from its Monday), "2026.11", "2026" */
export function periodLabel(start: string, period: SalesPeriod, lang: Lang, long = false): string {
  if (period === 'year') return start.slice(0, 4);
  if (period === 'month') return dayLabel(start, lang, { year: 'numeric', month: long ? 'long' : 'short' });
  if (period === 'week') return `${dayLabel(start, lang, { month: long ? 'long' : 'numeric', day: 'numeric' })}~`;
  return dayLabel(start, lang, long ? { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' } : { month: 'numeric', day: 'numeric' });
}

/** a round number at or above `max`, so the gridlines fall on readable amounts */
function niceMax(max: number): number {
  if (max <= 0) return 10_000;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

export function BarChart({
  buckets,
  period,
  lang,
  title,
  description,
}: {
  buckets: SalesBucket[];
  period: SalesPeriod;
  lang: Lang;
  title: string;
  description: string;
}) {
  const titleId = useId();
  const descId = useId();
  const compact = new Intl.NumberFormat(locale(lang), { notation: 'compact', maximumFractionDigits: 1 });
  const top = niceMax(Math.max(0, ...buckets.map((bucket) => bucket.total)));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotWidth / Math.max(1, buckets.length);
  const barWidth = Math.max(1, Math.min(56, slot * 0.7));
  const labelEvery = Math.max(1, Math.ceil(buckets.length / 12));
  const y = (value: number) => PAD.top + plotHeight - (value / top) * plotHeight;
  const grid = [0, 0.25, 0.5, 0.75, 1].map((share) => share * top);

  return (
    <svg
      className="bar-chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-labelledby={titleId}
      aria-describedby={descId}
      preserveAspectRatio="xMidYMid meet"
    >
      <title id={titleId}>{title}</title>
      <desc id={descId}>{description}</desc>
      {grid.map((value) => (
        <g key={value}>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(value)} y2={y(value)} className={value === 0 ? 'chart-axis' : 'chart-grid'} />
          <text x={PAD.left - 10} y={y(value)} dy="0.35em" textAnchor="end" className="chart-label">
            {compact.format(value)}
          </text>
        </g>
      ))}
      {buckets.map((bucket, index) => {
        const x = PAD.left + index * slot + (slot - barWidth) / 2;
        const height = Math.max(0, y(0) - y(bucket.total));
        return (
          <g key={bucket.start}>
            <rect x={x} y={y(bucket.total)} width={barWidth} height={height} rx={Math.min(4, barWidth / 4)} className="chart-bar">
              <title>{`${periodLabel(bucket.start, period, lang, true)}: ${won(bucket.total, lang)}`}</title>
            </rect>
            {index % labelEvery === 0 ? (
              <text x={x + barWidth / 2} y={HEIGHT - PAD.bottom + 26} textAnchor="middle" className="chart-label">
                {periodLabel(bucket.start, period, lang)}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}
