// Ordering in senior mode: the same menu, cart and item dialog (MenuLayout), but fewer choices per
// screen: four big cards a page, with big "이전 메뉴" / "다음 메뉴" buttons and the page written out,
// and the kinds of menu as big buttons (the caffeine-free toggle at their end). A page of four and
// its paging buttons fit the portrait screen above the cart with no scrolling (access/access.css);
// the counselor, and the way back to the normal screen (SeniorToggle), are in the control bar.
import { useState, type ReactNode } from 'react';
import { won } from '../../format';
import { useI18n } from '../../i18n';
import { CaffeineFreeToggle, useCaffeineFreeFilter } from '../CaffeineFreeFilter';
import { MenuItemCard, MenuLayout, useMenuKinds, type MenuScreenProps } from '../MenuLayout';

export const SENIOR_ITEMS_PER_PAGE = 4;

interface Props extends MenuScreenProps {
  /**
   * The counselor button, first on the screen: the consultation's
   * `<ConsultButton consultation={…} size="large" />` (web/src/kiosk/consultation/), passed in by
   * KioskApp where the consultation hook lives.
   */
  counselor?: ReactNode;
}

export function SeniorMenuScreen({ counselor, ...props }: Props) {
  const { t, lang } = useI18n();
  const filter = useCaffeineFreeFilter(props.menu, props.recommended);
  const { kinds, current, choose } = useMenuKinds(filter.menu, filter.recommended);
  const [page, setPage] = useState(0);
  const pageCount = Math.max(1, Math.ceil((current?.items.length ?? 0) / SENIOR_ITEMS_PER_PAGE));
  const shownPage = Math.min(page, pageCount - 1);
  const items = current?.items.slice(shownPage * SENIOR_ITEMS_PER_PAGE, (shownPage + 1) * SENIOR_ITEMS_PER_PAGE) ?? [];

  return (
    <MenuLayout
      {...props}
      className="senior-layout"
      areaClassName="senior-menu"
      menu={filter.menu}
      first={counselor ? <div className="senior-counselor">{counselor}</div> : null}
      emptyText={filter.on ? t.menuFacts.filterEmpty : undefined}
      kinds={kinds}
    >
      {(openItem) => (
        <>
          <div className="senior-kinds">
            <div role="group" aria-label={t.kiosk.categories} className="senior-kinds-group">
              {kinds.map((kind) => (
                <button
                  key={kind.id}
                  type="button"
                  className="category-tab senior-kind"
                  aria-pressed={kind.id === current?.id}
                  onClick={() => {
                    choose(kind.id);
                    setPage(0);
                  }}
                >
                  {kind.name}
                </button>
              ))}
            </div>
            <CaffeineFreeToggle
              on={filter.on}
              onToggle={() => {
                filter.toggle();
                setPage(0);
              }}
            />
          </div>
          {items.length > 0 ? (
            <ul
              className="senior-grid"
              aria-label={current?.name}
              data-keypad-choices
              data-speak={t.speech.menu(
                current?.name ?? '',
                kinds.map((kind) => kind.name),
                items.map((item) => `${item.name} ${won(item.price, lang)}${item.soldOut ? ` ${t.kiosk.soldOut}` : ''}`),
              )}
            >
              {items.map((item) => (
                <li key={item.id}>
                  <MenuItemCard item={item} className="senior-item" onOpen={openItem} />
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
    </MenuLayout>
  );
}
