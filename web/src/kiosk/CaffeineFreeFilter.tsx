// The menu screen's "카페인 없는 메뉴" toggle: while it is pressed (aria-pressed), only the items the
// owner marked with 0 mg of caffeine are shown; categories left without any are hidden. Items whose
// caffeine is unknown are not caffeine-free.
import { useMemo, useState } from 'react';
import type { Menu, MenuItem } from '../api/client';
import { useI18n } from '../i18n';

const caffeineFree = (item: MenuItem) => item.caffeineMg === 0;

/** the menu and the recommended items as the toggle leaves them */
export function useCaffeineFreeFilter(menu: Menu | undefined, recommended: MenuItem[] | undefined) {
  const [on, setOn] = useState(false);
  const filtered = useMemo(() => {
    if (!on) return { menu, recommended };
    return {
      menu: menu && {
        ...menu,
        categories: menu.categories
          .map((category) => ({ ...category, items: category.items.filter(caffeineFree) }))
          .filter((category) => category.items.length > 0),
      },
      recommended: recommended?.filter(caffeineFree),
    };
  }, [on, menu, recommended]);
  return { on, toggle: () => setOn((value) => !value), ...filtered };
}

export function CaffeineFreeToggle({ on, onToggle }: { on: boolean; onToggle(): void }) {
  const { t } = useI18n();
  return (
    <button type="button" className="kiosk-secondary caffeine-filter" aria-pressed={on} onClick={onToggle}>
      <span aria-hidden="true">{on ? '✓' : '☕'}</span>
      {t.menuFacts.filter}
    </button>
  );
}
