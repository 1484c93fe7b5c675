// What the normal menu (MenuScreen) and the senior one (senior/SeniorMenuScreen) share: the kinds
// of menu with the recommended ones first, the menu area with its problem, loading and empty
// states, an item's card, the cart beside it and the item dialog. Each screen lays out the kinds
// and the items its own way.
import { useContext, useEffect, useMemo, useState, type Dispatch, type ReactNode } from 'react';
import type { Menu, MenuItem } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { won } from '../format';
import { errorText, useI18n } from '../i18n';
import { CartPanel } from './CartPanel';
import { type Cart, type CartAction, DiningContext, offeredFor } from './cart';
import { ItemDialog } from './ItemDialog';

export interface MenuScreenProps {
  menu?: Menu;
  menuError?: unknown;
  onRetry(): void;
  cart: Cart;
  dispatch: Dispatch<CartAction>;
  onCheckout(): void;
  /** a message about the cart from elsewhere (e.g. the checkout sent the customer back) */
  message?: string;
  /** items to offer first, under their own tab (a recognised member's); absent or empty: no such tab */
  recommended?: MenuItem[];
  /** above the menu: a recognised member's greeting and "지난번 주문 다시 하기" */
  banner?: ReactNode;
}

export interface MenuKind {
  id: string;
  name: string;
  items: MenuItem[];
}

const RECOMMENDED = 'recommended';

/** the kinds of menu (recommended first, then the categories) and the one chosen (the first by default) */
export function useMenuKinds(menu: Menu | undefined, recommended: MenuItem[] | undefined) {
  const { t } = useI18n();
  const kinds: MenuKind[] = useMemo(
    () => [...(recommended && recommended.length > 0 ? [{ id: RECOMMENDED, name: t.kiosk.recommended, items: recommended }] : []), ...(menu?.categories ?? [])],
    [recommended, menu, t],
  );
  const [chosen, setChosen] = useState<string>();
  const current = kinds.find((kind) => kind.id === chosen) ?? kinds[0];

  // a category that went away with a menu reload: back to the first
  useEffect(() => {
    if (chosen && !kinds.some((kind) => kind.id === chosen)) setChosen(undefined);
  }, [chosen, kinds]);

  return { kinds, current, choose: setChosen };
}

interface LayoutProps extends MenuScreenProps {
  /** extra class names: on the whole layout, and on the menu area */
  className?: string;
  areaClassName?: string;
  /** first in the menu area, before the banner (the senior screen's counselor button) */
  first?: ReactNode;
  kinds: MenuKind[];
  /** instead of "no menu" when there are no kinds (e.g. a filter left none) */
  emptyText?: string | undefined;
  /** the kinds and their items, shown once there is a menu with something in it */
  children(openItem: (item: MenuItem) => void): ReactNode;
}

export function MenuLayout({
  menu,
  menuError,
  onRetry,
  cart,
  dispatch,
  onCheckout,
  message,
  banner,
  className,
  areaClassName,
  first,
  kinds,
  emptyText,
  children,
}: LayoutProps) {
  const { t } = useI18n();
  const [open, setOpen] = useState<MenuItem>();
  const [announcement, setAnnouncement] = useState<string>();

  return (
    <div className={`order-layout${className ? ` ${className}` : ''}`}>
      <section className={`menu-area${areaClassName ? ` ${areaClassName}` : ''}`} aria-label={t.kiosk.menuTitle}>
        <h1 className="sr-only">{t.kiosk.menuTitle}</h1>
        {first}
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
        ) : kinds.length === 0 ? (
          <p className="kiosk-empty">{emptyText ?? t.kiosk.emptyMenu}</p>
        ) : (
          children(setOpen)
        )}
      </section>
      <CartPanel cart={cart} dispatch={dispatch} onCheckout={onCheckout} announcement={announcement} onAnnounce={setAnnouncement} />
      {open ? (
        <ItemDialog
          item={open}
          onClose={() => setOpen(undefined)}
          onAdd={(optionIds, quantity, note) => {
            dispatch({ type: 'add', item: open, optionIds, quantity, note });
            setAnnouncement(t.kiosk.cart.added(open.name, quantity));
            setOpen(undefined);
          }}
        />
      ) : null}
    </div>
  );
}

/** an item's card: photo, name, price in won; sold out: marked "품절" and not tappable */
export function MenuItemCard({ item, className, lazy, onOpen }: { item: MenuItem; className?: string; lazy?: boolean; onOpen(item: MenuItem): void }) {
  const { t, lang } = useI18n();
  // once eat-in or take-out is chosen, an item not offered for it cannot be tapped, like a sold-out one
  const dining = useContext(DiningContext);
  const unavailable = item.soldOut || !offeredFor(item.dining, dining);
  return (
    <button
      type="button"
      className={`menu-item${className ? ` ${className}` : ''}${unavailable ? ' menu-item-sold-out' : ''}`}
      disabled={unavailable}
      onClick={() => onOpen(item)}
    >
      <span className="menu-item-photo">
        <img src={item.thumbUrl} alt="" width={200} height={200} loading={lazy ? 'lazy' : undefined} />
        {item.soldOut ? <span className="sold-out-mark">{t.kiosk.soldOut}</span> : null}
      </span>
      <span className="menu-item-name">{item.name}</span>
      {item.dining !== 'any' ? <span className="menu-item-dining">{t.dining.only[item.dining]}</span> : null}
      <span className="menu-item-price">{won(item.price, lang)}</span>
    </button>
  );
}
