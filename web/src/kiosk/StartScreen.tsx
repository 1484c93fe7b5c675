// The kiosk's start screen: a full-screen welcome for the store and the big "주문하기".
import type { KioskProfile } from '../api/client';
import { useI18n } from '../i18n';

export function StartScreen({ me, onOrder }: { me: KioskProfile; onOrder(): void }) {
  const { t } = useI18n();
  return (
    <>
      <p className="kiosk-welcome">{t.kiosk.welcome}</p>
      <h1 className="kiosk-store">{me.store.name}</h1>
      <button type="button" className="kiosk-order" onClick={onOrder} data-keypad-start>
        <span className="kiosk-order-label">{t.kiosk.order}</span>
        <span className="kiosk-order-hint">{t.kiosk.orderHint}</span>
      </button>
    </>
  );
}
