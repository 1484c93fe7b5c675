// The 주문 tab: the store's orders in a date range, newest first, filtered by status and paged;
// a dense two-column list so that a counter's 1366x768 screen shows a dozen at once (the filters
// fold away behind one button); each opens to its lines; the next status is one button away;
// cancelling asks for a reason and a confirmation, and is not offered once an order is picked up
// or cancelled. New orders arrive live, highlighted for a short while, with a soft chime. Each shows
// how it stands with its money (payments/): an unpaid one stands out with its minutes left and a
// "결제 받기" button; an open one offers the refund and the receipt's reprint.
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { api, type Order, type OrderStatus } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { ColumnHeads } from '../components/ColumnHeads';
import { DialogForm } from '../components/DialogForm';
import { TextAreaField } from '../components/Field';
import { LoadError, Loading } from '../components/Page';
import { RowAction } from '../components/RowAction';
import { useSubmit } from '../components/useSubmit';
import { dayLabel, localDay, priceDelta, timeOfDay, won } from '../format';
import { errorText, useI18n } from '../i18n';
import { chime, installAudioUnlock } from '../sound';
import { DateRange, rangeOfDays, type Range } from './DateRange';
import { Pager } from './PagedList';
import { useNow } from '../kitchen/useStoreScreen';
import { PaymentBadge, PaymentDetails, refundableOf } from './payments/PaymentBadge';
import { RefundDialog } from './payments/RefundDialog';
import { RefundHistory } from './payments/RefundHistory';
import { ReprintButton } from './payments/ReprintButton';
import { TakePaymentDialog } from './payments/TakePaymentDialog';
import { useFirstOrderDate } from './useFirstOrderDate';
import { useLiveOrders } from './useLiveOrders';

const PAGE_SIZE = 20;
/** how long a new order stays highlighted unless someone touches it first */
const FRESH_MS = 45_000;
const allStatuses: readonly OrderStatus[] = ['placed', 'preparing', 'ready', 'completed', 'cancelled'];
const nextStatus: Partial<Record<OrderStatus, 'preparing' | 'ready' | 'completed'>> = {
  placed: 'preparing',
  preparing: 'ready',
  ready: 'completed',
};

interface Props {
  storeId: string;
  timeZone: string;
  onNotice(text: string | undefined): void;
}

export function OrdersPanel({ storeId, timeZone, onNotice }: Props) {
  const { t, lang } = useI18n();
  const o = t.pos.orders;
  const headingId = useId();
  const [today, setToday] = useState(() => localDay(timeZone));
  const [range, setRange] = useState<Range>(() => rangeOfDays(localDay(timeZone), 1));
  const [statuses, setStatuses] = useState<OrderStatus[]>([]);
  /** only the orders still to be paid at the counter */
  const [unpaidOnly, setUnpaidOnly] = useState(false);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ orders: Order[]; total: number }>();
  const [loadError, setLoadError] = useState<unknown>();
  const [error, setError] = useState<string>();
  const [fresh, setFresh] = useState<Set<string>>(() => new Set());
  const [announcement, setAnnouncement] = useState<string>();
  const [cancelling, setCancelling] = useState<Order>();
  const [paying, setPaying] = useState<Order>();
  const [refunding, setRefunding] = useState<Order>();
  /** the unpaid orders' minutes left tick with it */
  const now = useNow(20_000);
  const [busy, setBusy] = useState<string>();
  const [filtersOpen, setFiltersOpen] = useState(false);
  const filtersId = useId();
  const ticket = useRef(0);
  const firstDate = useFirstOrderDate(storeId);

  useEffect(() => installAudioUnlock(), []);

  const load = useCallback(async () => {
    const mine = ++ticket.current;
    setLoadError(undefined);
    setToday(localDay(timeZone));
    try {
      const answer = await api.listOrders(storeId, {
        from: range.from,
        to: range.to,
        statuses,
        paymentStatuses: unpaidOnly ? ['unpaid'] : undefined,
        page,
        pageSize: PAGE_SIZE,
      });
      if (mine !== ticket.current) return;
      // a page beyond the end (orders cancelled away under a filter): the last one that exists
      const pages = Math.max(1, Math.ceil(answer.total / PAGE_SIZE));
      if (page > pages) {
        setPage(pages);
        return;
      }
      setData({ orders: answer.orders, total: answer.total });
    } catch (caught) {
      if (mine === ticket.current) setLoadError(caught);
    }
  }, [storeId, timeZone, range, statuses, unpaidOnly, page]);

  useEffect(() => {
    void load();
  }, [load]);

  /** would this order be on the page shown now? */
  const belongsHere = useCallback(
    (order: Order) =>
      page === 1 &&
      order.localDate >= range.from &&
      order.localDate <= range.to &&
      (statuses.length === 0 || statuses.includes(order.status)) &&
      (!unpaidOnly || order.payment.status === 'unpaid'),
    [page, range, statuses, unpaidOnly],
  );

  // a retried order is announced again by the server (orders.service.ts announceAgain): chime once
  const announced = useRef(new Set<string>());
  const live = useLiveOrders(storeId, {
    onReady: () => void load(),
    onPlaced: (order) => {
      if (announced.current.has(order.id)) return;
      announced.current.add(order.id);
      chime();
      setAnnouncement(o.newArrived(order.number));
      setFresh((set) => new Set(set).add(order.id));
      setTimeout(() => seen(order.id), FRESH_MS);
      if (!belongsHere(order)) return;
      setData((current) => {
        if (!current || current.orders.some((each) => each.id === order.id)) return current;
        return { orders: [order, ...current.orders].slice(0, PAGE_SIZE), total: current.total + 1 };
      });
    },
    onUpdated: (order) => {
      setData((current) => current && { ...current, orders: current.orders.map((each) => (each.id === order.id ? order : each)) });
    },
  });

  const seen = (orderId: string) =>
    setFresh((set) => {
      if (!set.has(orderId)) return set;
      const next = new Set(set);
      next.delete(orderId);
      return next;
    });

  const replace = (order: Order) =>
    setData((current) => current && { ...current, orders: current.orders.map((each) => (each.id === order.id ? order : each)) });

  const advance = async (order: Order, to: 'preparing' | 'ready' | 'completed') => {
    setBusy(order.id);
    setError(undefined);
    seen(order.id);
    try {
      const updated = await api.advanceOrder(storeId, order.id, to);
      replace(updated);
      onNotice(o.advanced(updated.number, o.statuses[updated.status]));
    } catch (caught) {
      setError(errorText(t, caught));
      void load();
    } finally {
      setBusy(undefined);
    }
  };

  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const multiDay = range.from !== range.to;
  const rangeText =
    range.from === range.to
      ? range.from === today
        ? o.quick.today
        : dayLabel(range.from, lang)
      : `${dayLabel(range.from, lang, { month: 'short', day: 'numeric' })} ~ ${dayLabel(range.to, lang, { month: 'short', day: 'numeric' })}`;
  const statusText =
    (statuses.length === 0 ? o.allStatuses : statuses.map((status) => o.statuses[status]).join(', ')) + (unpaidOnly ? `, ${t.posPayments.unpaidOnly}` : '');

  return (
    <section aria-labelledby={headingId} className="panel orders">
      <div className="section-head">
        <h2 id={headingId}>{o.title}</h2>
        {data ? <p className="count">{o.count(data.total)}</p> : null}
        <button
          type="button"
          className="button button-secondary filters-toggle"
          aria-expanded={filtersOpen}
          aria-controls={filtersId}
          onClick={() => setFiltersOpen((open) => !open)}
        >
          {o.filtersToggle(rangeText, statusText)}
        </button>
        <p className={`live-status live-${live}`} role="status">
          <span className="live-dot" aria-hidden="true" />
          {live === 'live' ? o.live : live === 'connecting' ? o.connecting : o.liveLost}
        </p>
      </div>
      <div className="filters" id={filtersId} hidden={!filtersOpen}>
        <DateRange
          texts={o}
          value={range}
          today={today}
          min={firstDate}
          onChange={(next) => {
            setRange(next);
            setPage(1);
          }}
        />
        <fieldset className="status-filter">
          <legend>{o.statusLegend}</legend>
          <div className="status-filter-options">
            {allStatuses.map((status) => (
              <label key={status} className="check-chip">
                <input
                  type="checkbox"
                  checked={statuses.includes(status)}
                  onChange={(event) => {
                    setStatuses((list) => (event.target.checked ? [...list, status] : list.filter((each) => each !== status)));
                    setPage(1);
                  }}
                />
                {o.statuses[status]}
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset className="status-filter">
          <legend>{t.posPayments.paymentLegend}</legend>
          <label className="check-chip">
            <input
              type="checkbox"
              checked={unpaidOnly}
              onChange={(event) => {
                setUnpaidOnly(event.target.checked);
                setPage(1);
              }}
            />
            {t.posPayments.unpaidOnly}
          </label>
        </fieldset>
      </div>
      <div role="status" className="sr-only">
        {announcement}
      </div>
      <ErrorAlert>{error}</ErrorAlert>
      {loadError ? (
        <LoadError error={loadError} onRetry={load} />
      ) : !data ? (
        <Loading />
      ) : data.orders.length === 0 ? (
        <p className="empty">{o.empty}</p>
      ) : (
        <>
          <ul className="order-list" aria-label={o.title}>
            {data.orders.map((order) => (
              <OrderCard
                key={order.id}
                order={order}
                storeId={storeId}
                timeZone={timeZone}
                now={now}
                showDay={multiDay}
                isNew={fresh.has(order.id)}
                busy={busy === order.id}
                onSeen={() => seen(order.id)}
                onAdvance={(to) => void advance(order, to)}
                onCancel={() => {
                  seen(order.id);
                  setCancelling(order);
                }}
                onTakePayment={() => {
                  seen(order.id);
                  setPaying(order);
                }}
                onRefund={() => setRefunding(order)}
                onReprinted={({ notice, error: failure }) => {
                  setError(failure);
                  onNotice(notice);
                }}
              />
            ))}
          </ul>
          <Pager page={page} pages={pages} onPage={setPage} texts={o} />
        </>
      )}
      {cancelling ? (
        <CancelDialog
          storeId={storeId}
          order={cancelling}
          onClose={() => setCancelling(undefined)}
          onCancelled={(order) => {
            setCancelling(undefined);
            replace(order);
            onNotice(o.cancelled(order.number));
          }}
        />
      ) : null}
      {paying ? (
        <TakePaymentDialog
          storeId={storeId}
          order={paying}
          onClose={() => setPaying(undefined)}
          onPaid={(order) => {
            setPaying(undefined);
            replace(order);
            onNotice(t.posPayments.taken(order.number, won(order.payment.paidAmount, lang)));
          }}
        />
      ) : null}
      {refunding ? (
        <RefundDialog
          storeId={storeId}
          order={refunding}
          onClose={() => setRefunding(undefined)}
          onRefunded={(order) => {
            const given = order.payment.refundedAmount - refunding.payment.refundedAmount;
            setRefunding(undefined);
            replace(order);
            onNotice(t.posPayments.refunded(order.number, won(given, lang)));
          }}
        />
      ) : null}
    </section>
  );
}

function OrderCard({
  order,
  storeId,
  timeZone,
  now,
  showDay,
  isNew,
  busy,
  onSeen,
  onAdvance,
  onCancel,
  onTakePayment,
  onRefund,
  onReprinted,
}: {
  order: Order;
  storeId: string;
  timeZone: string;
  now: number;
  showDay: boolean;
  isNew: boolean;
  busy: boolean;
  onSeen(): void;
  onAdvance(to: 'preparing' | 'ready' | 'completed'): void;
  onCancel(): void;
  onTakePayment(): void;
  onRefund(): void;
  onReprinted(result: { notice?: string; error?: string }): void;
}) {
  const { t, lang } = useI18n();
  const o = t.pos.orders;
  const [open, setOpen] = useState(false);
  const titleId = useId();
  const linesId = useId();
  const next = nextStatus[order.status];
  const count = order.lines.reduce((sum, line) => sum + line.quantity, 0);
  const payment = order.payment;
  const unpaid = payment.status === 'unpaid' && order.status !== 'cancelled';
  const refundable = (payment.status === 'paid' || payment.status === 'partially_refunded') && refundableOf(payment) > 0;
  const summary = useMemo(() => order.lines.map((line) => `${line.itemName} × ${line.quantity}`).join(', '), [order.lines]);
  return (
    <li className={`order-card order-${order.status}${unpaid ? ' order-unpaid' : ''}${isNew ? ' order-new' : ''}`} aria-labelledby={titleId}>
      <div className="order-main">
        <div className="order-head">
          <h3 id={titleId} className="order-number">
            {o.number(order.number)}
          </h3>
          {isNew ? <span className="new-badge">{o.newBadge}</span> : null}
          <span className={`status-badge status-${order.status}`}>{o.statuses[order.status]}</span>
          {order.dining ? <span className={`status-badge dining-badge dining-${order.dining}`}>{t.dining.short[order.dining]}</span> : null}
          <span className="order-time">
            {showDay ? `${dayLabel(order.localDate, lang, { month: 'short', day: 'numeric' })} ` : ''}
            {timeOfDay(order.createdAt, lang, timeZone)}
          </span>
          <PaymentBadge order={order} timeZone={timeZone} now={now} />
          <span className="order-total">{won(order.total, lang)}</span>
        </div>
        <p className="order-summary">
          {summary} <span className="muted">({o.items(count)})</span>
        </p>
        {order.lines.some((line) => line.note) ? (
          <p className="order-notes">
            {order.lines
              .filter((line) => line.note)
              .map((line) => `${line.itemName}: ${t.dining.note(line.note ?? '')}`)
              .join(' · ')}
          </p>
        ) : null}
        {order.status === 'cancelled' && order.cancelReason ? <p className="order-cancel-reason">{o.cancelledBecause(order.cancelReason)}</p> : null}
      </div>
      <div className="order-actions">
        <RowAction
          label={open ? o.hideLines : o.showLines}
          row={o.number(order.number)}
          aria-expanded={open}
          aria-controls={linesId}
          onClick={() => {
            setOpen((shown) => !shown);
            onSeen();
          }}
        />
        {unpaid ? <RowAction label={t.posPayments.take} row={o.number(order.number)} tone="primary" disabled={busy} onClick={onTakePayment} /> : null}
        {next ? <RowAction label={o.actions[next]} row={o.number(order.number)} tone="primary" disabled={busy} onClick={() => onAdvance(next)} /> : null}
        {order.status !== 'cancelled' && order.status !== 'completed' ? (
          <RowAction label={o.cancel} row={o.number(order.number)} tone="danger-outline" disabled={busy} onClick={onCancel} />
        ) : null}
      </div>
      <div id={linesId} hidden={!open} className="order-lines">
        <table className="data-table">
          <caption className="sr-only">{o.number(order.number)}</caption>
          <ColumnHeads columns={[t.pos.sales.item, { num: t.pos.sales.quantity }, { num: t.pos.sales.amount }]} />
          <tbody>
            {order.lines.map((line, index) => (
              <tr key={index}>
                <th scope="row">
                  {line.itemName}
                  {line.options.length > 0 ? (
                    <span className="line-options">
                      {line.options
                        .map((option) => `${option.group}: ${option.name}${option.priceDelta ? ` (${priceDelta(option.priceDelta, lang)})` : ''}`)
                        .join(' · ')}
                    </span>
                  ) : null}
                  {line.note ? <span className="line-options line-note">{t.dining.note(line.note)}</span> : null}
                </th>
                <td className="num">{line.quantity}</td>
                <td className="num">{won(line.lineTotal, lang)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>
                {o.total}
              </th>
              <td className="num">{won(order.total, lang)}</td>
            </tr>
          </tfoot>
        </table>
        <PaymentDetails order={order} timeZone={timeZone} />
        {open && payment.refundedAmount > 0 ? <RefundHistory storeId={storeId} order={order} timeZone={timeZone} /> : null}
        {refundable || payment.status !== 'pending' ? (
          <div className="order-payment-actions">
            {refundable ? <RowAction label={t.posPayments.refund} row={o.number(order.number)} tone="danger-outline" onClick={onRefund} /> : null}
            {payment.status !== 'pending' ? <ReprintButton storeId={storeId} order={order} onDone={onReprinted} /> : null}
          </div>
        ) : null}
      </div>
    </li>
  );
}

function CancelDialog({ storeId, order, onClose, onCancelled }: { storeId: string; order: Order; onClose(): void; onCancelled(order: Order): void }) {
  const { t } = useI18n();
  const o = t.pos.orders;
  const [reason, setReason] = useState('');
  const [fieldError, setFieldError] = useState<string>();
  const { busy, error, run } = useSubmit();
  const submit = () => {
    if (!reason.trim()) {
      setFieldError(o.reasonMissing);
      return;
    }
    setFieldError(undefined);
    void run(async () => onCancelled(await api.cancelOrder(storeId, order.id, reason.trim())));
  };
  return (
    <DialogForm
      title={o.cancelTitle(order.number)}
      onClose={onClose}
      tone="danger"
      intro={<p>{o.cancelText}</p>}
      onSubmit={submit}
      error={error}
      busy={busy}
      submitLabel={o.cancelConfirm}
      cancelLabel={o.cancelKeep}
      cancelFocused
    >
      <TextAreaField
        label={o.cancelReason}
        hint={o.cancelReasonHint}
        maxLength={200}
        rows={2}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        error={fieldError}
      />
      <div className="reason-chips" role="group" aria-label={o.cancelReasonHint}>
        {o.reasons.map((each) => (
          <button key={each} type="button" className="button button-secondary reason-chip" aria-pressed={reason === each} onClick={() => setReason(each)}>
            {each}
          </button>
        ))}
      </div>
    </DialogForm>
  );
}
