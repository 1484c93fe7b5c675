// Menu facts (the server's modules/catalog/menu-facts.ts): caffeine, sugar and energy per item as
// served by default, null when unknown; caffeineMg 0 is caffeine-free; allergens are codes of the
// Korean food-labelling list, named on screen in the page's language.
import type { Messages } from './i18n/messages';

export const ALLERGEN_CODES = [
  'egg',
  'milk',
  'buckwheat',
  'peanut',
  'soy',
  'wheat',
  'mackerel',
  'crab',
  'shrimp',
  'pork',
  'peach',
  'tomato',
  'sulfites',
  'walnut',
  'chicken',
  'beef',
  'squid',
  'shellfish',
  'pine_nut',
] as const;

export type AllergenCode = (typeof ALLERGEN_CODES)[number];

/** the server's maxima */
export const FACT_LIMITS = { caffeineMg: 1000, sugarG: 300, kcal: 3000 } as const;

export interface MenuFacts {
  caffeineMg: number | null;
  sugarG: number | null;
  kcal: number | null;
  allergens: string[];
}

export function allergenName(t: Messages, code: string): string {
  return (t.menuFacts.allergenNames as Record<string, string>)[code] ?? code;
}

/** the facts as short lines ("카페인 없음", "당 20g", "250kcal", "알레르기: 우유, 대두"); unknown ones are left out */
export function factLines(t: Messages, facts: MenuFacts): string[] {
  const lines: string[] = [];
  if (facts.caffeineMg !== null) lines.push(facts.caffeineMg === 0 ? t.menuFacts.caffeineFree : t.menuFacts.caffeine(facts.caffeineMg));
  if (facts.sugarG !== null) lines.push(t.menuFacts.sugar(facts.sugarG));
  if (facts.kcal !== null) lines.push(t.menuFacts.kcal(facts.kcal));
  if (facts.allergens.length > 0) lines.push(t.menuFacts.allergens(facts.allergens.map((code) => allergenName(t, code)).join(', ')));
  return lines;
}
