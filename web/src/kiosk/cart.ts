// The kiosk's cart: lines of an item with chosen options and a quantity, kept in a reducer. Prices
// here are what the menu said when the line was made; the server computes the real total, and
// `repriceCart` brings the lines up to a freshly loaded menu.
import { createContext } from 'react';
import type { Menu, MenuItem, OptionGroup } from '../api/client';

export type Dining = 'eat_in' | 'take_out';
export type ItemDining = MenuItem['dining'];
/** a line's note ("덜 달게"), in characters; the server refuses longer ones */
export const MAX_NOTE_LENGTH = 40;

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
  /** the customer's request for this line, or null */
  note: string | null;
  /** which orders the item is offered for (the menu's word, brought up to date by repriceCart) */
  dining: ItemDining;
}

export interface Cart {
  lines: CartLine[];
}

export const emptyCart: Cart = { lines: [] };

export type CartAction =
  | { type: 'add'; item: MenuItem; optionIds: string[]; quantity: number; note?: string | null }
  | { type: 'increment'; key: string }
  | { type: 'decrement'; key: string }
  | { type: 'remove'; key: string }
  | { type: 'removeItem'; itemId: string }
  | { type: 'clear' }
  | { type: 'replace'; cart: Cart };

/** the same item with the same options and note is one line; another note makes another line */
export function lineKey(itemId: string, optionIds: readonly string[], note: string | null = null): string {
  return [itemId, ...[...optionIds].sort(), ...(note ? [`note:${note}`] : [])].join('|');
}

/** a note as the server will keep it: trimmed, empty is none */
export function cleanNote(note: string | null | undefined): string | null {
  const trimmed = (note ?? '').trim();
  return trimmed === '' ? null : trimmed;
}

/** a note's length as the server counts it (code points: a Korean syllable is one) */
export function noteLength(note: string): number {
  return [...note.trim()].length;
}

/** the dining the customer chose for this order (undefined until asked), for the menu's item cards */
export const DiningContext = createContext<Dining | undefined>(undefined);

/** whether an item can be had eat-in / take-out */
export function offeredFor(itemDining: ItemDining, dining: Dining | undefined): boolean {
  return !dining || itemDining === 'any' || itemDining === `${dining}_only`;
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
      const note = cleanNote(action.note);
      const key = lineKey(action.item.id, action.optionIds, note);
      const existing = cart.lines.find((line) => line.key === key);
      if (existing) {
        return {
          lines: cart.lines.map((line) => (line.key === key ? { ...line, quantity: Math.min(MAX_QUANTITY, line.quantity + action.quantity) } : line)),
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
        note,
        dining: action.item.dining,
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
    lines.push({ ...line, name: item.name, thumbUrl: item.thumbUrl, basePrice: item.price, options, dining: item.dining });
  }
  return { cart: { lines }, dropped };
}
