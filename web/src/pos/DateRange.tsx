// A range of local days: two date inputs and quick buttons ("오늘", "7일", "30일"...), each
// quick button ending today in the store's time zone.
import { useId } from 'react';
import { addDays } from '../format';

export interface Range {
  from: string;
  to: string;
}

interface Props {
  legend: string;
  fromLabel: string;
  toLabel: string;
  value: Range;
  today: string;
  /** days counted back from today, today included: 1 is "today" */
  quick: ReadonlyArray<{ days: number; label: string }>;
  onChange(range: Range): void;
  min?: string;
}

export function rangeOfDays(today: string, days: number): Range {
  return { from: addDays(today, -(days - 1)), to: today };
}

export function DateRange({ legend, fromLabel, toLabel, value, today, quick, onChange, min }: Props) {
  const id = useId();
  return (
    <fieldset className="date-range">
      <legend>{legend}</legend>
      <div className="date-range-row">
        <div className="quick-buttons" role="group" aria-label={legend}>
          {quick.map((each) => {
            const range = rangeOfDays(today, each.days);
            const pressed = range.from === value.from && range.to === value.to;
            return (
              <button
                key={each.days}
                type="button"
                className="button button-secondary quick-button"
                aria-pressed={pressed}
                onClick={() => onChange(range)}
              >
                {each.label}
              </button>
            );
          })}
        </div>
        <div className="date-inputs">
          <div className="field field-date">
            <label htmlFor={`${id}-from`}>{fromLabel}</label>
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
                if (from) onChange({ from, to: from > value.to ? from : value.to });
              }}
            />
          </div>
          <span aria-hidden="true" className="date-dash">
            ~
          </span>
          <div className="field field-date">
            <label htmlFor={`${id}-to`}>{toLabel}</label>
            <input
              id={`${id}-to`}
              type="date"
              value={value.to}
              min={min}
              max={today}
              required
              onChange={(event) => {
                const to = event.target.value;
                if (to) onChange({ from: to < value.from ? to : value.from, to });
              }}
            />
          </div>
        </div>
      </div>
    </fieldset>
  );
}
