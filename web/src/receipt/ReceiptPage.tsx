// The digital receipt (/receipt/:token), opened from the QR code on the paper receipt or the kiosk's
// screen: no sign-in, the token is the whole key. What the paper receipt shows, in large type, Korean
// first; printable (the page's own print style leaves out the bar and the button).
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { ApiError, api, type DigitalReceipt } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { LoadError, Loading, Page } from '../components/Page';
import { useI18n, useTitle } from '../i18n';
import { won } from '../format';
import './receipt.css';

export function ReceiptPage() {
  const { t } = useI18n();
  const r = t.digitalReceipt;
  useTitle(r.title);
  const { token = '' } = useParams();
  const [receipt, setReceipt] = useState<DigitalReceipt>();
  const [error, setError] = useState<unknown>();

  const load = useCallback(() => {
    setError(undefined);
    api.digitalReceipt(token).then(setReceipt, setError);
  }, [token]);
  useEffect(load, [load]);

  if (error instanceof ApiError && error.code === 'receipt_not_found') {
    return (
      <Page>
        <h1>{r.title}</h1>
        <ErrorAlert>{r.notFound}</ErrorAlert>
      </Page>
    );
  }
  if (error) {
    return (
      <Page>
        <h1>{r.title}</h1>
        <LoadError error={error} onRetry={load} />
      </Page>
    );
  }
  if (!receipt) {
    return (
      <Page>
        <Loading />
      </Page>
    );
  }
  return (
    <Page>
      <ReceiptView receipt={receipt} />
    </Page>
  );
}

function ReceiptView({ receipt }: { receipt: DigitalReceipt }) {
  const { t, lang } = useI18n();
  const r = t.digitalReceipt;
  const { store, order, payment } = receipt;
  const money = (amount: number) => won(amount, lang);
  const paid = payment.status !== 'pending' && payment.status !== 'unpaid';
  return (
    <article className="digital-receipt" aria-labelledby="dr-store">
      <header className="dr-store">
        <h1 id="dr-store">{store.businessName ?? store.name}</h1>
        {store.businessName && store.businessName !== store.name && <p>{store.name}</p>}
        <dl className="dr-facts">
          {store.registrationNumber && <Fact term={r.registrationNumber} value={store.registrationNumber} />}
          {store.address && <Fact term={r.address} value={store.address} className="dr-address" />}
          {store.phone && <Fact term={r.phone} value={<a href={`tel:${store.phone.replace(/[^\d+]/g, '')}`}>{store.phone}</a>} />}
        </dl>
      </header>

      <section className="dr-number" aria-label={`${r.orderNumber} ${order.number}`}>
        <p className="dr-number-label">{r.orderNumber}</p>
        <p className="dr-number-value" data-testid="receipt-number">
          {order.number}
        </p>
        {order.dining && <p className="dr-dining">{r.dining[order.dining]}</p>}
        {order.cancelled && <p className="dr-cancelled">{r.cancelled}</p>}
      </section>

      <section aria-labelledby="dr-lines">
        <h2 id="dr-lines">{r.linesTitle}</h2>
        <table className="dr-lines">
          <thead>
            <tr>
              <th scope="col">{r.item}</th>
              <th scope="col" className="numeric">
                {r.quantity}
              </th>
              <th scope="col" className="numeric">
                {r.amount}
              </th>
            </tr>
          </thead>
          <tbody>
            {receipt.lines.map((line, index) => (
              <tr key={index}>
                <th scope="row">
                  {line.name}
                  {line.options.length > 0 && (
                    <ul className="dr-options">
                      {line.options.map((option) => (
                        <li key={`${option.group}:${option.name}`}>
                          {option.group}: {option.name}
                          {option.priceDelta !== 0 && <span className="dr-delta"> ({`${option.priceDelta > 0 ? '+' : ''}${money(option.priceDelta)}`})</span>}
                        </li>
                      ))}
                    </ul>
                  )}
                  {line.note && (
                    <p className="dr-note">
                      {r.note}: {line.note}
                    </p>
                  )}
                </th>
                <td className="numeric">{r.quantityOf(line.quantity)}</td>
                <td className="numeric">{money(line.lineTotal)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <dl className="dr-totals">
          <Fact term={r.total} value={money(receipt.total)} className="dr-total" />
          <Fact term={r.supplyValue} value={money(receipt.supplyValue)} />
          <Fact term={r.vat} value={money(receipt.vat)} />
        </dl>
        <p className="dr-hint">{r.vatNote}</p>
      </section>

      <section aria-labelledby="dr-payment">
        <h2 id="dr-payment">{r.paymentTitle}</h2>
        <p className={`dr-status dr-status-${payment.status}`}>{r.statuses[payment.status]}</p>
        <dl className="dr-facts">
          {paid && payment.method && <Fact term={r.method} value={r.methods[payment.method]} />}
          {paid && payment.approvalNumber && <Fact term={r.approvalNumber} value={payment.approvalNumber} />}
          {paid && <Fact term={r.paidAmount} value={money(payment.paidAmount)} />}
          {paid && payment.paidAtLocal && <Fact term={r.paidAt} value={payment.paidAtLocal} />}
          {receipt.refunds.map((refund) => (
            <Fact key={`${refund.at}`} term={`${r.refund} ${refund.atLocal}`} value={money(-refund.amount)} />
          ))}
          <Fact term={r.orderedAt} value={order.orderedAtLocal} />
        </dl>
      </section>

      <button type="button" className="button button-secondary dr-print" onClick={() => window.print()}>
        {r.print}
      </button>
    </article>
  );
}

function Fact({ term, value, className }: { term: string; value: ReactNode; className?: string }) {
  return (
    <div className={className}>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
}
