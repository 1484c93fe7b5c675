// The product editor's menu facts: caffeine (mg), sugar (g), energy (kcal), each empty when unknown,
// and the allergens as large checkboxes. Kept apart from ItemEditor, which holds the draft.
import { CheckField, NumberField } from '../components/Field';
import { useI18n } from '../i18n';
import type { Messages } from '../i18n/messages';
import { ALLERGEN_CODES, FACT_LIMITS, allergenName, type MenuFacts } from '../menu-facts';

export interface DraftFacts {
  caffeineMg: string;
  sugarG: string;
  kcal: string;
  allergens: string[];
}

const NUMBERS = ['caffeineMg', 'sugarG', 'kcal'] as const;

export function draftFacts(item: Partial<MenuFacts> | undefined): DraftFacts {
  const text = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));
  return { caffeineMg: text(item?.caffeineMg), sugarG: text(item?.sugarG), kcal: text(item?.kcal), allergens: [...(item?.allergens ?? [])] };
}

/** field errors keyed fact-caffeineMg, fact-sugarG, fact-kcal */
export function factProblems(t: Messages, draft: DraftFacts): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const field of NUMBERS) {
    const value = draft[field].trim();
    if (value && (!/^\d{1,5}$/.test(value) || Number(value) > FACT_LIMITS[field])) problems[`fact-${field}`] = t.menuFacts.editor.invalid(FACT_LIMITS[field]);
  }
  return problems;
}

export function factsInput(draft: DraftFacts): MenuFacts {
  const number = (value: string) => (value.trim() === '' ? null : Number(value.trim()));
  return {
    caffeineMg: number(draft.caffeineMg),
    sugarG: number(draft.sugarG),
    kcal: number(draft.kcal),
    allergens: ALLERGEN_CODES.filter((code) => draft.allergens.includes(code)),
  };
}

export function MenuFactsFields({ draft, onChange, errors }: { draft: DraftFacts; onChange(draft: DraftFacts): void; errors: Record<string, string> }) {
  const { t } = useI18n();
  const e = t.menuFacts.editor;
  const number = (value: string) => value.replace(/[,\s]/g, '');
  return (
    <fieldset className="menu-facts-editor">
      <legend>{e.section}</legend>
      <p className="hint">{e.sectionHint}</p>
      <div className="menu-facts-numbers">
        <NumberField
          label={e.caffeine}
          hint={e.caffeineHint}
          optional
          value={draft.caffeineMg}
          onChange={(event) => onChange({ ...draft, caffeineMg: number(event.target.value) })}
          error={errors['fact-caffeineMg']}
        />
        <NumberField
          label={e.sugar}
          optional
          value={draft.sugarG}
          onChange={(event) => onChange({ ...draft, sugarG: number(event.target.value) })}
          error={errors['fact-sugarG']}
        />
        <NumberField
          label={e.kcal}
          optional
          value={draft.kcal}
          onChange={(event) => onChange({ ...draft, kcal: number(event.target.value) })}
          error={errors['fact-kcal']}
        />
      </div>
      <fieldset className="menu-facts-allergens">
        <legend>{e.allergens}</legend>
        <div className="allergen-choices">
          {ALLERGEN_CODES.map((code) => (
            <CheckField
              key={code}
              label={allergenName(t, code)}
              checked={draft.allergens.includes(code)}
              onChange={(event) =>
                onChange({ ...draft, allergens: event.target.checked ? [...draft.allergens, code] : draft.allergens.filter((each) => each !== code) })
              }
            />
          ))}
        </div>
      </fieldset>
    </fieldset>
  );
}
