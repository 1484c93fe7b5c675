// Today's consultations of this counselor (GET /api/consultations/mine), reloaded as they start
// and end.
import { useEffect, useId, useState } from 'react';
import { ErrorAlert } from '../components/Alert';
import { ConsultationsTable } from '../consultation/ConsultationsTable';
import { consultationsApi, type ConsultationRecord } from '../consultation/protocol';
import { errorText, useI18n } from '../i18n';

export function TodayConsultations({ reloadKey }: { reloadKey: string }) {
  const { t } = useI18n();
  const c = t.consultation.console;
  const headingId = useId();
  const [records, setRecords] = useState<ConsultationRecord[]>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    let current = true;
    consultationsApi
      .mine()
      .then((answer) => {
        if (!current) return;
        setRecords(answer.consultations);
        setError(undefined);
      })
      .catch((caught: unknown) => current && setError(caught));
    return () => {
      current = false;
    };
  }, [reloadKey]);

  return (
    <section className="console-card console-today" aria-labelledby={headingId}>
      <h2 id={headingId}>{c.today}</h2>
      {error ? <ErrorAlert>{errorText(t, error)}</ErrorAlert> : null}
      {records && records.length === 0 ? <p className="console-empty">{c.todayEmpty}</p> : null}
      {records && records.length > 0 ? <ConsultationsTable records={records} label={c.today} show="store" /> : null}
    </section>
  );
}
