// A range of local days: two date inputs and quick buttons ("오늘", "7일", "30일"...), each
// quick button ending today in the store's time zone.
import { useId } from 'react';
import { addDays } from '../format';

export interface Range {
  from: string;
  to: string;
}

/** the words of a range; each tab's dictionary section has them */
export interface DateRangeTexts {
  rangeLegend: string;
  from: string;
  to: string;
  /** the quick buttons, shortest first on the screen */
  quick: Partial<Record<QuickRange, string>>;
}

interface Props {
  texts: DateRangeTexts;
  value: Range;
  today: string;
  onChange(range: Range): void;
  min?: string;
}

/** days counted back from today, today included: 1 is "today" */
const quickDays = { today: 1, days7: 7, days30: 30, days90: 90, days365: 365 } as const;
export type QuickRange = keyof typeof quickDays;

export function rangeOfDays(today: string, days: number): Range {
  return { from: addDays(today, -(days - 1)), to: today };
}

export function DateRange({ texts, value, today, onChange, min }: Props) {
  const id = useId();
  const { rangeLegend: legend, quick } = texts;
  return (
    <fieldset className="date-range">
      <legend>{legend}</legend>
      <div className="date-range-row">
        <div className="quick-buttons" role="group" aria-label={legend}>
          {Object.entries(quickDays).map(([key, days]) => {
            const label = quick[key as QuickRange];
            if (!label) return null;
            const range = rangeOfDays(today, days);
            const pressed = range.from === value.from && range.to === value.to;
            return (
              <button key={days} type="button" className="button button-secondary quick-button" aria-pressed={pressed} onClick={() => onChange(range)}>
                {label}
              </button>
            );
          })}
        </div>
        <div className="date-inputs">
          <div className="field field-date">
            <label htmlFor={`${id}-from`}>{texts.from}</label>
            <input
              id={`${id}-from`}
              type="date"
              value={value.from}
              min={min}
              max={today}
              required
              onChange={(event) => {
                // a start after the end moves the end with it: the range stays a range
                const from = event.target.value;
                // biome-ignore lint/complexity/useMathMinMax: ISO dates compare as text
                if (from) onChange({ from, to: from > value.to ? from : value.to });
              }}
            />
          </div>
          <span aria-hidden="true" className="date-dash">
            ~
          </span>
          <div className="field field-date">
            <label htmlFor={`${id}-to`}>{texts.to}</label>
            <input
              id={`${id}-to`}
              type="date"
              value={value.to}
              min={min}
              max={today}
              required
              onChange={(event) => {
                const to = event.target.value;
                // biome-ignore lint/complexity/useMathMinMax: ISO dates compare as text
                if (to) onChange({ from: to < value.from ? to : value.from, to });
              }}
            />
          </div>
        </div>
      </div>
    </fieldset>
  );
}
