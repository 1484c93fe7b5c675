// A member's recommendations against today's menu: the top items as menu cards (what is no longer on
// the menu is left out), and the last order as cart lines ("지난번과 같은 걸로", with its notes). The last order
// names its options by group and name, so they are found again by those names; a line whose item
// or options are gone or sold out is skipped and named, never guessed.
import type { Menu, MenuItem, Recommendations } from '../../api/client';
import type { CartAction } from '../cart';

export function menuItems(menu: Menu | undefined): Map<string, MenuItem> {
  const byId = new Map<string, MenuItem>();
  for (const category of menu?.categories ?? []) for (const item of category.items) byId.set(item.id, item);
  return byId;
}

export function recommendedItems(recommendations: Recommendations | undefined, menu: Menu | undefined): MenuItem[] {
  if (!recommendations || !menu) return [];
  const byId = menuItems(menu);
  const chosen: MenuItem[] = [];
  for (const top of recommendations.topItems) {
    const item = byId.get(top.itemId);
    if (item && !chosen.includes(item)) chosen.push(item);
  }
  return chosen;
}

export interface Reorder {
  actions: CartAction[];
  /** names of what could not be ordered again */
  skipped: string[];
}

export function reorderLastOrder(recommendations: Recommendations | undefined, menu: Menu | undefined): Reorder {
  const lastOrder = recommendations?.lastOrder;
  if (!lastOrder || !menu) return { actions: [], skipped: [] };
  const byId = menuItems(menu);
  const actions: CartAction[] = [];
  const skipped: string[] = [];
  for (const line of lastOrder.lines ?? []) {
    const item = byId.get(line.itemId);
    if (!item || item.soldOut) {
      skipped.push(line.itemName);
      continue;
    }
    const optionIds: string[] = [];
    let missing = false;
    for (const chosen of line.options ?? []) {
      const group = item.optionGroups.find((each) => each.name === chosen.group);
      const option = group?.options.find((each) => each.name === chosen.name);
      if (option) optionIds.push(option.id);
      else missing = true;
    }
    const requiredUnmet = item.optionGroups.some((group) => group.required && !group.options.some((option) => optionIds.includes(option.id)));
    if (missing || requiredUnmet) {
      skipped.push(line.itemName);
      continue;
    }
    actions.push({ type: 'add', item, optionIds, quantity: line.quantity, note: line.note ?? null });
  }
  return { actions, skipped };
}
