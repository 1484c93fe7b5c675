// The 상담 tab: the store's video consultations in a date range, newest first, paged (who took
// them, at which kiosk, how long, how they ended).
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { ErrorAlert } from '../components/Alert';
import { Loading } from '../components/Page';
import { ConsultationsTable } from '../consultation/ConsultationsTable';
import { consultationsApi, type ConsultationRecord } from '../consultation/protocol';
import { localDay } from '../format';
import { errorText, useI18n } from '../i18n';
import { DateRange, rangeOfDays, type Range } from './DateRange';

const PAGE_SIZE = 50;

export function ConsultationsPanel({ storeId, timeZone }: { storeId: string; timeZone: string }) {
  const { t } = useI18n();
  const c = t.consultation.pos;
  const headingId = useId();
  const [today] = useState(() => localDay(timeZone));
  const [range, setRange] = useState<Range>(() => rangeOfDays(localDay(timeZone), 7));
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ consultations: ConsultationRecord[]; total: number }>();
  const [error, setError] = useState<unknown>();
  const ticket = useRef(0);

  const load = useCallback(async () => {
    const mine = ++ticket.current;
    setError(undefined);
    try {
      const answer = await consultationsApi.ofStore(storeId, { from: range.from, to: range.to, page, pageSize: PAGE_SIZE });
      if (mine === ticket.current) setData(answer);
    } catch (caught) {
      if (mine === ticket.current) setError(caught);
    }
  }, [storeId, range, page]);

  useEffect(() => {
    void load();
  }, [load]);

  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;

  return (
    <section aria-labelledby={headingId} className="panel">
      <div className="section-head">
        <h2 id={headingId}>{c.title}</h2>
      </div>
      <p className="hint">{c.intro}</p>
      <div className="filters">
        <DateRange
          legend={c.range}
          fromLabel={t.fields.from}
          toLabel={t.fields.to}
          value={range}
          today={today}
          quick={[
            { days: 1, label: c.quick.today },
            { days: 7, label: c.quick.days7 },
            { days: 30, label: c.quick.days30 },
          ]}
          onChange={(next) => {
            setRange(next);
            setPage(1);
          }}
        />
      </div>
      {error ? (
        <>
          <ErrorAlert>{errorText(t, error)}</ErrorAlert>
          <button type="button" className="button button-secondary" onClick={() => void load()}>
            {t.common.retry}
          </button>
        </>
      ) : !data ? (
        <Loading />
      ) : data.total === 0 ? (
        <p className="empty">{c.empty}</p>
      ) : (
        <>
          <p className="count" role="status">
            {c.count(data.total)}
          </p>
          <ConsultationsTable records={data.consultations} label={c.table} show="counselor" withDay />
          {pages > 1 ? (
            <nav className="pager" aria-label={c.page(page, pages)}>
              <button type="button" className="button button-secondary" disabled={page <= 1} onClick={() => setPage((n) => n - 1)}>
                ← {c.previous}
              </button>
              <span className="pager-text">{c.page(page, pages)}</span>
              <button type="button" className="button button-secondary" disabled={page >= pages} onClick={() => setPage((n) => n + 1)}>
                {c.next} →
              </button>
            </nav>
          ) : null}
        </>
      )}
    </section>
  );
}
