// A table of consultation records: when, which kiosk, the store or the counselor, how long, how it
// ended. Shared by the counselor's "today" and the POS's list.
import { timeOfDay, dayLabel } from '../format';
import { useI18n } from '../i18n';
import type { ConsultationRecord } from './protocol';

interface Props {
  records: ConsultationRecord[];
  label: string;
  /** the counselor sees the store; the store owner sees the counselor */
  show: 'store' | 'counselor';
  /** the day too (lists over several days) */
  withDay?: boolean;
  /** the zone the times are shown in: the store's on the POS; the browser's when not given */
  timeZone?: string;
}

const browserTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function ConsultationsTable({ records, label, show, withDay, timeZone = browserTimeZone }: Props) {
  const { t, lang } = useI18n();
  const c = t.consultation.console;
  return (
    <div className="table-scroll">
      <table className="data-table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">{c.columns.started}</th>
            <th scope="col">{c.columns.kiosk}</th>
            <th scope="col">{show === 'store' ? c.columns.store : c.columns.counselor}</th>
            <th scope="col" className="num">
              {c.columns.duration}
            </th>
            <th scope="col">{c.columns.outcome}</th>
          </tr>
        </thead>
        <tbody>
          {records.map((record) => {
            const minutes = record.endedAt ? Math.floor((Date.parse(record.endedAt) - Date.parse(record.startedAt)) / 60_000) : undefined;
            return (
              <tr key={record.id}>
                <td>
                  {withDay ? `${dayLabel(record.localDate, lang)} ` : ''}
                  {timeOfDay(record.startedAt, lang, timeZone)}
                </td>
                <th scope="row">{record.kiosk.name}</th>
                <td>{show === 'store' ? record.store.name : record.counselor.name}</td>
                <td className="num">{minutes === undefined ? '' : c.minutes(minutes)}</td>
                <td>{record.outcome ? t.consultation.outcomes[record.outcome] : t.consultation.outcomes.live}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
