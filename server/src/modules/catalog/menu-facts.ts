// Menu facts: what older customers ask about an item before ordering it. Caffeine (mg), sugar (g)
// and energy (kcal) are whole numbers, null when the owner has not said (unknown, never "none");
// caffeineMg 0 is what makes an item caffeine-free (the kiosk's "카페인 없는 메뉴" filter). Allergens
// are stable codes from the Korean food-labelling list (식품 등의 표시기준); screens translate them.
//
// The facts describe the item as served by default: an option (디카페인, 샷 추가, 시럽) does not
// change them. An owner who sells a decaf version as its own item gives it caffeineMg 0.
import { DomainError } from '../../platform/http/errors.js';

/** the allergens Korean food labelling names, by code, in the order the label lists them */
export const ALLERGEN_CODES = [
  'egg', // 알류(가금류)
  'milk', // 우유
  'buckwheat', // 메밀
  'peanut', // 땅콩
  'soy', // 대두
  'wheat', // 밀
  'mackerel', // 고등어
  'crab', // 게
  'shrimp', // 새우
  'pork', // 돼지고기
  'peach', // 복숭아
  'tomato', // 토마토
  'sulfites', // 아황산류
  'walnut', // 호두
  'chicken', // 닭고기
  'beef', // 쇠고기
  'squid', // 오징어
  'shellfish', // 조개류 (굴, 전복, 홍합 포함)
  'pine_nut', // 잣
] as const;

export type AllergenCode = (typeof ALLERGEN_CODES)[number];

/** sane maxima: a large cold brew has some 300 mg of caffeine, a big shake some 1,200 kcal */
export const MAX_CAFFEINE_MG = 1000;
export const MAX_SUGAR_G = 300;
export const MAX_KCAL = 3000;

export interface MenuFacts {
  caffeineMg: number | null;
  sugarG: number | null;
  kcal: number | null;
  allergens: AllergenCode[];
}

const known = new Set<string>(ALLERGEN_CODES);

/** the codes, each once, in the label's order; an unknown code is a 400 naming it and the list */
export function cleanAllergens(codes: string[]): AllergenCode[] {
  const unknown = codes.filter((code) => !known.has(code));
  if (unknown.length > 0) {
    throw new DomainError('invalid', 'unknown_allergen', `Unknown allergen code "${unknown[0]}". Use codes from: ${ALLERGEN_CODES.join(', ')}.`, {
      unknown,
      allowed: [...ALLERGEN_CODES],
    });
  }
  const given = new Set(codes);
  return ALLERGEN_CODES.filter((code) => given.has(code));
}

/** caffeine-free only when the owner said 0 mg; unknown caffeine is not caffeine-free */
export const isCaffeineFree = (caffeineMg: number | null): boolean => caffeineMg === 0;
