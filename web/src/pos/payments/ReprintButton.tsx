// "영수증 다시 인쇄": the receipt (or the unpaid ticket) again on the printer of the kiosk that took
// the order. A printer that cannot print is the server's 409 printer_unavailable, said in words.
import { useState } from 'react';
import { api, type Order } from '../../api/client';
import { RowAction } from '../../components/RowAction';
import { errorText, useI18n } from '../../i18n';

export function ReprintButton({ storeId, order, onDone }: { storeId: string; order: Order; onDone(result: { notice?: string; error?: string }): void }) {
  const { t } = useI18n();
  const p = t.posPayments;
  const [busy, setBusy] = useState(false);
  const reprint = async () => {
    setBusy(true);
    try {
      await api.reprintReceipt(storeId, order.id);
      onDone({ notice: p.reprinted(order.number) });
    } catch (caught) {
      onDone({ error: errorText(t, caught, p.errors) });
    } finally {
      setBusy(false);
    }
  };
  return <RowAction label={p.reprint} row={t.pos.orders.number(order.number)} disabled={busy} onClick={() => void reprint()} />;
}
