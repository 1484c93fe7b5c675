// "Add to cart" for the customer: an item of the kiosk's menu (as the kiosk mirrors it), its
// options, a quantity and a note; the kiosk shows it and the customer confirms or declines. The
// suggestions sent are listed with the customer's answer.
import { useId, useMemo, useState, type FormEvent } from 'react';
import type { MirrorMenuItem } from '../consultation/protocol';
import { priceDelta, won } from '../format';
import { useI18n } from '../i18n';
import type { CounselorDesk, Seat } from './desk';

export function SuggestForm({ seat, desk }: { seat: Seat; desk: CounselorDesk | undefined }) {
  const { t, lang } = useI18n();
  const c = t.consultation.console;
  const headingId = useId();
  const id = useId();
  const menu = useMemo(() => seat.mirror?.menu ?? [], [seat.mirror?.menu]);
  const [itemId, setItemId] = useState('');
  const [chosen, setChosen] = useState<Record<number, string[]>>({});
  const [quantity, setQuantity] = useState(1);
  const [note, setNote] = useState('');
  const item = menu.find((each) => each.id === itemId);
  const categories = useMemo(() => [...new Set(menu.map((each) => each.category))], [menu]);

  const pick = (next: string) => {
    setItemId(next);
    const picked = menu.find((each) => each.id === next);
    // a required one-choice group starts on its first option
    setChosen(
      Object.fromEntries(
        (picked?.groups ?? []).map((group, index) => [index, group.required && group.kind === 'single' && group.options[0] ? [group.options[0].id] : []]),
      ),
    );
  };

  const missing = item?.groups.some((group, index) => group.required && (chosen[index]?.length ?? 0) === 0) ?? true;

  const send = (event: FormEvent) => {
    event.preventDefault();
    if (!item || missing) return;
    const optionIds = Object.values(chosen).flat();
    const names = item.groups.flatMap((group) => group.options.filter((option) => optionIds.includes(option.id)).map((option) => option.name));
    desk?.suggest(seat.consultation.consultationId, {
      itemId: item.id,
      optionIds,
      quantity,
      note: note.trim() || undefined,
      label: `${item.name} × ${quantity}${names.length > 0 ? ` (${names.join(', ')})` : ''}`,
    });
    setNote('');
  };

  return (
    <section className="console-card" aria-labelledby={headingId}>
      <h2 id={headingId}>{c.suggestTitle}</h2>
      {menu.length === 0 ? (
        <p className="console-empty">{c.noMenu}</p>
      ) : (
        <form className="console-suggest" onSubmit={send}>
          <p className="hint">{c.suggestHint}</p>
          <label htmlFor={`${id}-item`}>{c.item}</label>
          <select id={`${id}-item`} value={itemId} onChange={(event) => pick(event.target.value)}>
            <option value="">{c.chooseItem}</option>
            {categories.map((category) => (
              <optgroup key={category} label={category}>
                {menu
                  .filter((each) => each.category === category)
                  .map((each) => (
                    <option key={each.id} value={each.id} disabled={each.soldOut}>
                      {each.name} · {won(each.price, lang)}
                      {each.soldOut ? ` · ${c.soldOut}` : ''}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
          {item?.groups.map((group, index) => (
            <OptionGroupField
              key={`${item.id}-${index}`}
              group={group}
              value={chosen[index] ?? []}
              onChange={(value) => setChosen((previous) => ({ ...previous, [index]: value }))}
            />
          ))}
          <label htmlFor={`${id}-quantity`}>{c.quantity}</label>
          <input
            id={`${id}-quantity`}
            type="number"
            inputMode="numeric"
            min={1}
            max={99}
            value={quantity}
            onChange={(event) => setQuantity(Math.min(99, Math.max(1, Math.round(Number(event.target.value)) || 1)))}
          />
          <label htmlFor={`${id}-note`}>
            {c.note} <span className="optional">{t.common.optional}</span>
          </label>
          <input id={`${id}-note`} type="text" maxLength={200} value={note} onChange={(event) => setNote(event.target.value)} />
          <button type="submit" className="button button-primary" disabled={!item || missing}>
            {c.send}
          </button>
        </form>
      )}
      {seat.suggestions.length > 0 ? (
        <>
          <h3>{c.suggestions}</h3>
          <ul className="console-sent">
            {seat.suggestions.map((each) => (
              <li key={each.suggestionId} className={`console-sent-${each.status}`}>
                <span>{each.label}</span> <strong>{c.suggestionStatus[each.status]}</strong>
                {each.code ? <span> · {t.consultation.errors[each.code] ?? each.code}</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function OptionGroupField({ group, value, onChange }: { group: MirrorMenuItem['groups'][number]; value: string[]; onChange(value: string[]): void }) {
  const { t, lang } = useI18n();
  const id = useId();
  const label = (option: { name: string; priceDelta: number }) => `${option.name}${option.priceDelta ? ` (${priceDelta(option.priceDelta, lang)})` : ''}`;
  const legend = `${group.name}${group.required ? ` (${t.kiosk.item.required})` : ''}`;
  if (group.kind === 'single') {
    return (
      <>
        <label htmlFor={id}>{legend}</label>
        <select id={id} value={value[0] ?? ''} onChange={(event) => onChange(event.target.value ? [event.target.value] : [])}>
          {group.required ? null : <option value="">{t.consultation.console.optionNone}</option>}
          {group.options.map((option) => (
            <option key={option.id} value={option.id}>
              {label(option)}
            </option>
          ))}
        </select>
      </>
    );
  }
  return (
    <fieldset className="console-options">
      <legend>{legend}</legend>
      {group.options.map((option) => (
        <label key={option.id} className="checkbox">
          <input
            type="checkbox"
            checked={value.includes(option.id)}
            onChange={(event) => onChange(event.target.checked ? [...value, option.id] : value.filter((each) => each !== option.id))}
          />
          {label(option)}
        </label>
      ))}
    </fieldset>
  );
}
