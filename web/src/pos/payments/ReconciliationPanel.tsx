// The 결제 tab's reconciliation: a day (yesterday by default: the daily job checks it after
// midnight), that day's mismatches between the card terminals', the gateway's records and the
// orders, and "지금 대조" to check it again now (a rerun replaces the day's previous run).
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { api, ApiError, type Reconciliation } from '../../api/client';
import { ErrorAlert } from '../../components/Alert';
import { TextField } from '../../components/Field';
import { LoadError, Loading } from '../../components/Page';
import { addDays, localDay, timeOfDay, won } from '../../format';
import { errorText, useI18n } from '../../i18n';
import './payments.css';

export function ReconciliationPanel({ storeId, timeZone }: { storeId: string; timeZone: string }) {
  const { t, lang } = useI18n();
  const p = t.posPayments;
  const headingId = useId();
  const [day, setDay] = useState(() => addDays(localDay(timeZone), -1));
  /** null: the day has not been reconciled yet */
  const [run, setRun] = useState<Reconciliation | null>();
  const [loadError, setLoadError] = useState<unknown>();
  const [running, setRunning] = useState(false);
  const [runError, setRunError] = useState<string>();
  const ticket = useRef(0);

  const load = useCallback(async () => {
    const mine = ++ticket.current;
    setLoadError(undefined);
    setRun(undefined);
    try {
      const answer = await api.reconciliation(storeId, day);
      if (mine === ticket.current) setRun(answer);
    } catch (caught) {
      if (mine !== ticket.current) return;
      if (caught instanceof ApiError && caught.code === 'not_reconciled') setRun(null);
      else setLoadError(caught);
    }
  }, [storeId, day]);

  useEffect(() => {
    void load();
  }, [load]);

  const runNow = async () => {
    setRunning(true);
    setRunError(undefined);
    const mine = ++ticket.current;
    try {
      const answer = await api.runReconciliation(storeId, day);
      if (mine === ticket.current) setRun(answer);
    } catch (caught) {
      setRunError(errorText(t, caught));
    } finally {
      setRunning(false);
    }
  };

  const amount = (value: number | null) => (value === null ? '–' : won(value, lang));

  return (
    <section aria-labelledby={headingId} className="panel reconciliation">
      <h2 id={headingId}>{p.reconciliationTitle}</h2>
      <p className="hint">{p.reconciliationIntro}</p>
      <div className="filters reconciliation-controls">
        <TextField
          className="reconciliation-day"
          label={p.reconciliationDay}
          type="date"
          value={day}
          max={localDay(timeZone)}
          onChange={(event) => {
            if (/^\d{4}-\d{2}-\d{2}$/.test(event.target.value)) setDay(event.target.value);
          }}
        />
        <button type="button" className="button button-primary" disabled={running} onClick={() => void runNow()}>
          {running ? p.running : p.runNow}
        </button>
      </div>
      <ErrorAlert>{runError}</ErrorAlert>
      <div aria-live="polite">
        {loadError ? (
          <LoadError error={loadError} onRetry={load} />
        ) : run === undefined ? (
          <Loading />
        ) : run === null ? (
          <p className="empty">{p.notReconciled}</p>
        ) : (
          <>
            <p className="reconciliation-summary">
              {p.ranAt(timeOfDay(String(run.finishedAt), lang, timeZone), run.ordersChecked)} ·{' '}
              <strong className={run.mismatchCount > 0 ? 'mismatch-count' : undefined}>
                {run.mismatchCount > 0 ? p.mismatchCount(run.mismatchCount) : p.clean}
              </strong>
            </p>
            {run.mismatches.length > 0 ? (
              <div className="table-scroll">
                <table className="data-table mismatch-table" aria-label={p.mismatchTable}>
                  <thead>
                    <tr>
                      <th scope="col">{p.columns.kind}</th>
                      <th scope="col">{p.columns.order}</th>
                      <th scope="col" className="num">
                        {p.columns.expected}
                      </th>
                      <th scope="col" className="num">
                        {p.columns.actual}
                      </th>
                      <th scope="col">{p.columns.detail}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {run.mismatches.map((mismatch) => (
                      <tr key={mismatch.id}>
                        <th scope="row">{p.kinds[mismatch.kind] ?? mismatch.kind}</th>
                        <td>{mismatch.orderNumber === null ? p.noOrder : t.pos.orders.number(mismatch.orderNumber)}</td>
                        <td className="num">{amount(mismatch.expectedAmount)}</td>
                        <td className="num">{amount(mismatch.actualAmount)}</td>
                        <td lang="en">{mismatch.detail}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
          </>
        )}
      </div>
    </section>
  );
}
