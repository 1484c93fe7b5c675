// Ordering in senior mode: the same menu, cart and item dialog, but fewer choices per screen: four
// big cards a page, with big "이전 메뉴" / "다음 메뉴" buttons and the page written out, and the
// kinds of menu as big buttons. The counselor button comes first (`counselor`); the way back to the
// normal screen is the big button in the header (SeniorToggle).
import { useEffect, useState, type Dispatch, type ReactNode } from 'react';
import type { Menu, MenuItem } from '../../api/client';
import { ErrorAlert } from '../../components/Alert';
import { won } from '../../format';
import { errorText, useI18n } from '../../i18n';
import { CartPanel } from '../CartPanel';
import type { Cart, CartAction } from '../cart';
import { ItemDialog } from '../ItemDialog';

export const SENIOR_ITEMS_PER_PAGE = 4;

interface Props {
  menu?: Menu;
  menuError?: unknown;
  onRetry(): void;
  cart: Cart;
  dispatch: Dispatch<CartAction>;
  onCheckout(): void;
  message?: string;
  recommended?: MenuItem[];
  /** above the menu: the member's greeting and "지난번 주문 다시 하기" */
  banner?: ReactNode;
  /**
   * The counselor button, first on the screen: the consultation's
   * `<ConsultButton consultation={…} size="large" />` (web/src/kiosk/consultation/), passed in by
   * KioskApp where the consultation hook lives.
   */
  counselor?: ReactNode;
}

const RECOMMENDED = 'recommended';

export function SeniorMenuScreen({ menu, menuError, onRetry, cart, dispatch, onCheckout, message, recommended, banner, counselor }: Props) {
  const { t, lang } = useI18n();
  const kinds: Array<{ id: string; name: string; items: MenuItem[] }> = [
    ...(recommended && recommended.length > 0 ? [{ id: RECOMMENDED, name: t.kiosk.recommended, items: recommended }] : []),
    ...(menu?.categories ?? []),
  ];
  const [chosen, setChosen] = useState<string>();
  const [page, setPage] = useState(0);
  const [open, setOpen] = useState<MenuItem>();
  const [announcement, setAnnouncement] = useState<string>();
  const current = kinds.find((kind) => kind.id === chosen) ?? kinds[0];
  const pageCount = Math.max(1, Math.ceil((current?.items.length ?? 0) / SENIOR_ITEMS_PER_PAGE));
  const shownPage = Math.min(page, pageCount - 1);
  const items = current?.items.slice(shownPage * SENIOR_ITEMS_PER_PAGE, (shownPage + 1) * SENIOR_ITEMS_PER_PAGE) ?? [];

  useEffect(() => {
    if (chosen && !kinds.some((kind) => kind.id === chosen)) setChosen(undefined);
  }, [chosen, kinds]);

  return (
    <div className="order-layout senior-layout">
      <section className="menu-area senior-menu" aria-label={t.kiosk.menuTitle}>
        <h1 className="sr-only">{t.kiosk.menuTitle}</h1>
        {counselor ? <div className="senior-counselor">{counselor}</div> : null}
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
          <p className="kiosk-empty">{t.kiosk.emptyMenu}</p>
        ) : (
          <>
            <div role="group" aria-label={t.kiosk.categories} className="senior-kinds">
              {kinds.map((kind) => (
                <button
                  key={kind.id}
                  type="button"
                  className="category-tab senior-kind"
                  aria-pressed={kind.id === current?.id}
                  onClick={() => {
                    setChosen(kind.id);
                    setPage(0);
                  }}
                >
                  {kind.name}
                </button>
              ))}
            </div>
            {items.length > 0 ? (
              <ul className="senior-grid" aria-label={current?.name}>
                {items.map((item) => (
                  <li key={item.id}>
                    <button
                      type="button"
                      className={`menu-item senior-item${item.soldOut ? ' menu-item-sold-out' : ''}`}
                      disabled={item.soldOut}
                      onClick={() => setOpen(item)}
                    >
                      <span className="menu-item-photo">
                        <img src={item.thumbUrl} alt="" width={200} height={200} />
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
            {pageCount > 1 ? (
              <nav className="senior-pager" aria-label={t.kioskPresence.senior.pages}>
                <button type="button" className="kiosk-secondary" disabled={shownPage === 0} onClick={() => setPage(shownPage - 1)}>
                  <span aria-hidden="true">◀ </span>
                  {t.kioskPresence.senior.previous}
                </button>
                <p className="senior-page" aria-live="polite">
                  {t.kioskPresence.senior.page(shownPage + 1, pageCount)}
                </p>
                <button type="button" className="kiosk-secondary" disabled={shownPage >= pageCount - 1} onClick={() => setPage(shownPage + 1)}>
                  {t.kioskPresence.senior.next}
                  <span aria-hidden="true"> ▶</span>
                </button>
              </nav>
            ) : null}
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
