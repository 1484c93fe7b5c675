// Ordering: big category tabs, the items of the chosen category as large cards (photo, name, price
// in won; sold out: marked "품절" and not tappable), the item dialog, and the cart (MenuLayout).
import { useId, useRef, type KeyboardEvent } from 'react';
import { won } from '../format';
import { useI18n } from '../i18n';
import { CaffeineFreeToggle, useCaffeineFreeFilter } from './CaffeineFreeFilter';
import { MenuItemCard, MenuLayout, useMenuKinds, type MenuScreenProps } from './MenuLayout';

export function MenuScreen(props: MenuScreenProps) {
  const { t, lang } = useI18n();
  const filter = useCaffeineFreeFilter(props.menu, props.recommended);
  const { kinds: tabs, current, choose } = useMenuKinds(filter.menu, filter.recommended);
  const tabRefs = useRef(new Map<string, HTMLButtonElement>());
  const baseId = useId();

  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const step = event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : event.key === 'ArrowLeft' || event.key === 'ArrowUp' ? -1 : 0;
    let target = index + step;
    if (event.key === 'Home') target = 0;
    else if (event.key === 'End') target = tabs.length - 1;
    else if (step === 0) return;
    event.preventDefault();
    const next = tabs[(target + tabs.length) % tabs.length]!;
    choose(next.id);
    tabRefs.current.get(next.id)?.focus();
  };

  return (
    <MenuLayout
      {...props}
      menu={filter.menu}
      kinds={tabs}
      first={props.menu ? <CaffeineFreeToggle on={filter.on} onToggle={filter.toggle} /> : undefined}
      emptyText={filter.on ? t.menuFacts.filterEmpty : undefined}
    >
      {(openItem) => (
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
                  onClick={() => choose(tab.id)}
                  onKeyDown={(event) => onTabKey(event, index)}
                >
                  {tab.name}
                </button>
              );
            })}
          </div>
          <div
            role="tabpanel"
            id={`${baseId}-panel`}
            aria-labelledby={current ? `${baseId}-tab-${current.id}` : undefined}
            className="menu-panel"
            data-speak={
              current
                ? t.speech.menu(
                    current.name,
                    tabs.map((tab) => tab.name),
                    current.items.map((item) => `${item.name} ${won(item.price, lang)}${item.soldOut ? ` ${t.kiosk.soldOut}` : ''}`),
                  )
                : undefined
            }
          >
            {current && current.items.length > 0 ? (
              <ul className="menu-grid" data-keypad-choices>
                {current.items.map((item) => (
                  <li key={item.id}>
                    <MenuItemCard item={item} lazy onOpen={openItem} />
                  </li>
                ))}
              </ul>
            ) : (
              <p className="kiosk-empty">{t.kiosk.emptyCategory}</p>
            )}
          </div>
        </>
      )}
    </MenuLayout>
  );
}
