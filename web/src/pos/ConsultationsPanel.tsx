// The 상담 tab: the store's video consultations in a date range, newest first, paged (who took
// them, at which kiosk, how long, how they ended).
import { useCallback, useId, useState } from 'react';
import { ConsultationsTable } from '../consultation/ConsultationsTable';
import { consultationsApi } from '../consultation/protocol';
import { localDay } from '../format';
import { useI18n } from '../i18n';
import { DateRange, rangeOfDays, type Range } from './DateRange';
import { PagedList, usePagedList } from './PagedList';

const PAGE_SIZE = 50;

export function ConsultationsPanel({ storeId, timeZone }: { storeId: string; timeZone: string }) {
  const { t } = useI18n();
  const c = t.consultation.pos;
  const headingId = useId();
  const [today] = useState(() => localDay(timeZone));
  const [range, setRange] = useState<Range>(() => rangeOfDays(localDay(timeZone), 7));
  const fetchPage = useCallback(
    async (page: number, pageSize: number) => {
      const answer = await consultationsApi.ofStore(storeId, { from: range.from, to: range.to, page, pageSize });
      return { rows: answer.consultations, total: answer.total };
    },
    [storeId, range],
  );
  const list = usePagedList(fetchPage, PAGE_SIZE);

  return (
    <section aria-labelledby={headingId} className="panel">
      <div className="section-head">
        <h2 id={headingId}>{c.title}</h2>
      </div>
      <p className="hint">{c.intro}</p>
      <div className="filters">
        <DateRange
          texts={{ rangeLegend: c.range, from: t.fields.from, to: t.fields.to, quick: c.quick }}
          value={range}
          today={today}
          onChange={(next) => {
            setRange(next);
            list.setPage(1);
          }}
        />
      </div>
      <PagedList list={list} texts={c}>
        {(records) => <ConsultationsTable records={records} label={c.table} show="counselor" withDay timeZone={timeZone} />}
      </PagedList>
    </section>
  );
}
