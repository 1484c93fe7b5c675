// The kiosk's cart: lines of an item with chosen options and a quantity, kept in a reducer. Prices
// here are what the menu said when the line was made; the server computes the real total, and
// `repriceCart` brings the lines up to a freshly loaded menu.
import type { Menu, MenuItem, OptionGroup } from '../api/client';

export const MAX_QUANTITY = 99;

export interface CartOption {
  id: string;
  group: string;
  name: string;
  priceDelta: number;
}

export interface CartLine {
  /** the item and its sorted option ids: the same choice twice is one line */
  key: string;
  itemId: string;
  name: string;
  thumbUrl: string;
  basePrice: number;
  options: CartOption[];
  quantity: number;
}

export interface Cart {
  lines: CartLine[];
}

export const emptyCart: Cart = { lines: [] };

export type CartAction =
  | { type: 'add'; item: MenuItem; optionIds: string[]; quantity: number }
  | { type: 'increment'; key: string }
  | { type: 'decrement'; key: string }
  | { type: 'remove'; key: string }
  | { type: 'removeItem'; itemId: string }
  | { type: 'clear' }
  | { type: 'replace'; cart: Cart };

export function lineKey(itemId: string, optionIds: readonly string[]): string {
  return [itemId, ...[...optionIds].sort()].join('|');
}

export function unitPrice(line: Pick<CartLine, 'basePrice' | 'options'>): number {
  return Math.max(0, line.basePrice + line.options.reduce((sum, option) => sum + option.priceDelta, 0));
}

export function lineTotal(line: CartLine): number {
  return unitPrice(line) * line.quantity;
}

export function cartTotal(cart: Cart): number {
  return cart.lines.reduce((sum, line) => sum + lineTotal(line), 0);
}

export function cartCount(cart: Cart): number {
  return cart.lines.reduce((sum, line) => sum + line.quantity, 0);
}

/** the options of an item that the ids name, in the item's own order */
export function chosenOptions(groups: readonly OptionGroup[], optionIds: readonly string[]): CartOption[] {
  const wanted = new Set(optionIds);
  const chosen: CartOption[] = [];
  for (const group of groups) {
    for (const option of group.options) {
      if (wanted.has(option.id)) chosen.push({ id: option.id, group: group.name, name: option.name, priceDelta: option.priceDelta });
    }
  }
  return chosen;
}

export function cartReducer(cart: Cart, action: CartAction): Cart {
  switch (action.type) {
    case 'add': {
      const key = lineKey(action.item.id, action.optionIds);
      const existing = cart.lines.find((line) => line.key === key);
      if (existing) {
        return {
          lines: cart.lines.map((line) =>
            line.key === key ? { ...line, quantity: Math.min(MAX_QUANTITY, line.quantity + action.quantity) } : line,
          ),
        };
      }
      const line: CartLine = {
        key,
        itemId: action.item.id,
        name: action.item.name,
        thumbUrl: action.item.thumbUrl,
        basePrice: action.item.price,
        options: chosenOptions(action.item.optionGroups, action.optionIds),
        quantity: Math.min(MAX_QUANTITY, Math.max(1, action.quantity)),
      };
      return { lines: [...cart.lines, line] };
    }
    case 'increment':
      return {
        lines: cart.lines.map((line) => (line.key === action.key ? { ...line, quantity: Math.min(MAX_QUANTITY, line.quantity + 1) } : line)),
      };
    case 'decrement':
      // never below 1 here: taking a line out is the remove button's job, on purpose
      return { lines: cart.lines.map((line) => (line.key === action.key ? { ...line, quantity: Math.max(1, line.quantity - 1) } : line)) };
    case 'remove':
      return { lines: cart.lines.filter((line) => line.key !== action.key) };
    case 'removeItem':
      return { lines: cart.lines.filter((line) => line.itemId !== action.itemId) };
    case 'clear':
      return emptyCart;
    case 'replace':
      return action.cart;
  }
}

export interface Repriced {
  cart: Cart;
  /** names of lines dropped: the item left the menu, is sold out, or an option is gone */
  dropped: string[];
}

/** the cart against a freshly loaded menu: current names and prices; what cannot be ordered is dropped */
export function repriceCart(cart: Cart, menu: Menu): Repriced {
  const items = new Map<string, MenuItem>();
  for (const category of menu.categories) for (const item of category.items) items.set(item.id, item);
  const dropped: string[] = [];
  const lines: CartLine[] = [];
  for (const line of cart.lines) {
    const item = items.get(line.itemId);
    if (!item || item.soldOut) {
      dropped.push(line.name);
      continue;
    }
    const ids = line.options.map((option) => option.id);
    const options = chosenOptions(item.optionGroups, ids);
    if (options.length !== ids.length) {
      dropped.push(line.name);
      continue;
    }
    lines.push({ ...line, name: item.name, thumbUrl: item.thumbUrl, basePrice: item.price, options });
  }
  return { cart: { lines }, dropped };
}
