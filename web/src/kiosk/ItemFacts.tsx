// An item's menu facts in the item dialog, large: "카페인 없음" or "카페인 120mg", "당 20g",
// "250kcal", "알레르기: 우유, 대두". Unknown facts are left out; nothing known: nothing shown.
import type { MenuItem } from '../api/client';
import { useI18n } from '../i18n';
import { factLines } from '../menu-facts';

export function ItemFacts({ item }: { item: MenuItem }) {
  const { t } = useI18n();
  const lines = factLines(t, item);
  if (lines.length === 0) return null;
  return (
    <ul className="item-facts" aria-label={t.menuFacts.title}>
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}
