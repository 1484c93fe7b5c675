// The 결제 tab: the receipt's business details and the rules for orders paid at the counter, then
// the reconciliation of a day's card and mobile payments against the orders.
import { PaymentSettingsPanel } from './PaymentSettingsPanel';
import { ReconciliationPanel } from './ReconciliationPanel';

export function PaymentsTab({ storeId, timeZone, onNotice }: { storeId: string; timeZone: string; onNotice(text: string | undefined): void }) {
  return (
    <>
      <PaymentSettingsPanel storeId={storeId} onNotice={onNotice} />
      <ReconciliationPanel storeId={storeId} timeZone={timeZone} />
    </>
  );
}
