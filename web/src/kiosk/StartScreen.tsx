// The kiosk's start screen: a full-screen welcome for the store, the big "주문하기", and for
// everyone the large "큰 글씨 / 음성 안내" choice (access/StartChoice).
import type { KioskProfile } from '../api/client';
import { useI18n } from '../i18n';
import { StartChoice } from './access/StartChoice';

export function StartScreen({ me, onOrder, onLarge }: { me: KioskProfile; onOrder(): void /** start the order in large type */; onLarge?(): void }) {
  const { t } = useI18n();
  return (
    <>
      <p className="kiosk-welcome">{t.kiosk.welcome}</p>
      <h1 className="kiosk-store">{me.store.name}</h1>
      <button type="button" className="kiosk-order" onClick={onOrder} data-keypad-start>
        <span className="kiosk-order-label">{t.kiosk.order}</span>
        <span className="kiosk-order-hint">{t.kiosk.orderHint}</span>
      </button>
      {onLarge ? <StartChoice onLarge={onLarge} onOrder={onOrder} /> : null}
    </>
  );
}
