// An order's refunds under its opened lines: when, how much, why, and whether a kiosk card or
// mobile refund is still waiting for the terminal or the gateway (or failed there). Read when the
// lines are opened and again whenever the refunded total changes.
import { useEffect, useState } from 'react';
import { api, type Order, type Refund } from '../../api/client';
import { timeOfDay, won } from '../../format';
import { useI18n } from '../../i18n';

export function RefundHistory({ storeId, order, timeZone }: { storeId: string; order: Order; timeZone: string }) {
  const { t, lang } = useI18n();
  const p = t.posPayments;
  const [refunds, setRefunds] = useState<Refund[]>();
  const refunded = order.payment.refundedAmount;

  useEffect(() => {
    let current = true;
    api.refunds(storeId, order.id).then(
      (answer) => current && setRefunds(answer.refunds),
      () => current && setRefunds(undefined),
    );
    return () => {
      current = false;
    };
    // the refunded total is what changes when a refund lands (here or on another counter)
  }, [storeId, order.id, refunded]);

  if (!refunds || refunds.length === 0) return null;
  return (
    <ul className="refund-history" aria-label={p.refundHistory}>
      {refunds.map((refund) => (
        <li key={refund.id}>
          {timeOfDay(String(refund.createdAt), lang, timeZone)} · {p.refundedAmount(won(refund.amount, lang))} · {refund.reason}
          {refund.state !== 'done' ? <strong className={`refund-state-${refund.state}`}> · {p.refundStates[refund.state]}</strong> : null}
        </li>
      ))}
    </ul>
  );
}
