// Ordering: big category tabs, the items of the chosen category as large cards (photo, name, price
// in won; sold out: marked "품절" and not tappable), the item dialog, and the cart.
import { useEffect, useId, useRef, useState, type Dispatch, type KeyboardEvent, type ReactNode } from 'react';
import type { Menu, MenuItem } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { won } from '../format';
import { errorText, useI18n } from '../i18n';
import { CartPanel } from './CartPanel';
import type { Cart, CartAction } from './cart';
import { ItemDialog } from './ItemDialog';

interface Props {
  menu?: Menu;
  menuError?: unknown;
  onRetry(): void;
  cart: Cart;
  dispatch: Dispatch<CartAction>;
  onCheckout(): void;
  /** a message about the cart from elsewhere (e.g. the checkout sent the customer back) */
  message?: string;
  /**
   * Items to offer first, under their own tab (a later issue fills this from a recognised
   * customer's recommendations); absent or empty: no such tab.
   */
  recommended?: MenuItem[];
  /** above the menu: a recognised member's greeting and "지난번 주문 다시 하기" */
  banner?: ReactNode;
}

const RECOMMENDED = 'recommended';

export function MenuScreen({ menu, menuError, onRetry, cart, dispatch, onCheckout, message, recommended, banner }: Props) {
  const { t, lang } = useI18n();
  const tabs: Array<{ id: string; name: string; items: MenuItem[] }> = [
    ...(recommended && recommended.length > 0 ? [{ id: RECOMMENDED, name: t.kiosk.recommended, items: recommended }] : []),
    ...(menu?.categories ?? []),
  ];
  const [chosen, setChosen] = useState<string>();
  const [open, setOpen] = useState<MenuItem>();
  const [announcement, setAnnouncement] = useState<string>();
  const tabRefs = useRef(new Map<string, HTMLButtonElement>());
  const baseId = useId();
  const current = tabs.find((tab) => tab.id === chosen) ?? tabs[0];

  // a category that went away with a menu reload: back to the first
  useEffect(() => {
    if (chosen && !tabs.some((tab) => tab.id === chosen)) setChosen(undefined);
  }, [chosen, tabs]);

  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const step = event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : event.key === 'ArrowLeft' || event.key === 'ArrowUp' ? -1 : 0;
    let target = index + step;
    if (event.key === 'Home') target = 0;
    else if (event.key === 'End') target = tabs.length - 1;
    else if (step === 0) return;
    event.preventDefault();
    const next = tabs[(target + tabs.length) % tabs.length]!;
    setChosen(next.id);
    tabRefs.current.get(next.id)?.focus();
  };

  return (
    <div className="order-layout">
      <section className="menu-area" aria-label={t.kiosk.menuTitle}>
        <h1 className="sr-only">{t.kiosk.menuTitle}</h1>
        {banner}
        {message ? <div className="alert alert-info kiosk-message">{message}</div> : null}
        {menuError && !menu ? (
          <div className="menu-problem">
            <ErrorAlert>{errorText(t, menuError)}</ErrorAlert>
            <button type="button" className="kiosk-primary" onClick={onRetry}>
              {t.common.retry}
            </button>
          </div>
        ) : !menu ? (
          <p role="status" className="kiosk-loading">
            {t.common.loading}
          </p>
        ) : tabs.length === 0 ? (
          <p className="kiosk-empty">{t.kiosk.emptyMenu}</p>
        ) : (
          <>
            <div role="tablist" aria-label={t.kiosk.categories} className="category-tabs">
              {tabs.map((tab, index) => {
                const selected = tab.id === current?.id;
                return (
                  <button
                    key={tab.id}
                    ref={(element) => {
                      if (element) tabRefs.current.set(tab.id, element);
                      else tabRefs.current.delete(tab.id);
                    }}
                    type="button"
                    role="tab"
                    id={`${baseId}-tab-${tab.id}`}
                    aria-selected={selected}
                    aria-controls={`${baseId}-panel`}
                    tabIndex={selected ? 0 : -1}
                    className="category-tab"
                    onClick={() => setChosen(tab.id)}
                    onKeyDown={(event) => onTabKey(event, index)}
                  >
                    {tab.name}
                  </button>
                );
              })}
            </div>
            <div role="tabpanel" id={`${baseId}-panel`} aria-labelledby={current ? `${baseId}-tab-${current.id}` : undefined} className="menu-panel">
              {current && current.items.length > 0 ? (
                <ul className="menu-grid">
                  {current.items.map((item) => (
                    <li key={item.id}>
                      <button
                        type="button"
                        className={`menu-item${item.soldOut ? ' menu-item-sold-out' : ''}`}
                        disabled={item.soldOut}
                        onClick={() => setOpen(item)}
                      >
                        <span className="menu-item-photo">
                          <img src={item.thumbUrl} alt="" width={200} height={200} loading="lazy" />
                          {item.soldOut ? <span className="sold-out-mark">{t.kiosk.soldOut}</span> : null}
                        </span>
                        <span className="menu-item-name">{item.name}</span>
                        <span className="menu-item-price">{won(item.price, lang)}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="kiosk-empty">{t.kiosk.emptyCategory}</p>
              )}
            </div>
          </>
        )}
      </section>
      <CartPanel cart={cart} dispatch={dispatch} onCheckout={onCheckout} announcement={announcement} onAnnounce={setAnnouncement} />
      {open ? (
        <ItemDialog
          item={open}
          onClose={() => setOpen(undefined)}
          onAdd={(optionIds, quantity) => {
            dispatch({ type: 'add', item: open, optionIds, quantity });
            setAnnouncement(t.kiosk.cart.added(open.name, quantity));
            setOpen(undefined);
          }}
        />
      ) : null}
    </div>
  );
}
