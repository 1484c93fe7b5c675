// One menu item, large: photo, description, its option groups (one choice: big radio buttons;
// several: big checkboxes; required ones marked), the quantity, the price as it changes, "담기".
import { useId, useState } from 'react';
import type { MenuItem, OptionGroup } from '../api/client';
import { Dialog } from '../components/Dialog';
import { priceDelta, won } from '../format';
import { useI18n } from '../i18n';
import { MAX_NOTE_LENGTH, MAX_QUANTITY, chosenOptions, noteLength, unitPrice } from './cart';
import { ItemFacts } from './ItemFacts';

interface Props {
  item: MenuItem;
  onAdd(optionIds: string[], quantity: number, note: string | null): void;
  onClose(): void;
}

export function ItemDialog({ item, onAdd, onClose }: Props) {
  const { t, lang } = useI18n();
  const [selected, setSelected] = useState<Record<string, string[]>>({});
  const [quantity, setQuantity] = useState(1);
  const [missing, setMissing] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const descriptionId = useId();

  const optionIds = item.optionGroups.flatMap((group) => selected[group.id] ?? []);
  const unit = unitPrice({ basePrice: item.price, options: chosenOptions(item.optionGroups, optionIds) });
  const total = unit * quantity;

  const choose = (group: OptionGroup, optionId: string, on: boolean) => {
    setSelected((current) => {
      const now = current[group.id] ?? [];
      const next = group.kind === 'single' ? [optionId] : on ? [...now, optionId] : now.filter((id) => id !== optionId);
      return { ...current, [group.id]: next };
    });
    setMissing((list) => list.filter((id) => id !== group.id));
  };

  const add = () => {
    const lacking = item.optionGroups.filter((group) => group.required && (selected[group.id] ?? []).length === 0);
    if (lacking.length > 0) {
      setMissing(lacking.map((group) => group.id));
      // the first group still to choose comes into view and takes focus
      window.setTimeout(() => {
        const first = document.getElementById(`group-${lacking[0]!.id}`);
        first?.scrollIntoView({ block: 'center', behavior: 'smooth' });
        first?.querySelector<HTMLInputElement>('input')?.focus({ preventScroll: true });
      }, 0);
      return;
    }
    if (noteLength(note) > MAX_NOTE_LENGTH) {
      document.getElementById(`${descriptionId}-note`)?.focus();
      return;
    }
    onAdd(optionIds, quantity, note.trim() === '' ? null : note.trim());
  };

  const missingNames = item.optionGroups.filter((group) => missing.includes(group.id)).map((group) => group.name);

  return (
    <Dialog title={item.name} onClose={onClose} className="dialog-kiosk item-dialog" closeLabel={t.common.close}>
      <div
        className="item-dialog-body"
        data-speak={t.speech.item(
          item.name,
          won(item.price, lang),
          item.optionGroups.map((group) =>
            t.speech.group(
              group.name,
              group.required,
              group.options.map((option) => `${option.name} ${priceDelta(option.priceDelta, lang)}`.trim()),
            ),
          ),
        )}
      >
        <div className="item-dialog-intro">
          <img className="item-dialog-photo" src={item.imageUrl} alt={item.name} width={320} height={320} />
          <div>
            <p className="item-dialog-price">{won(item.price, lang)}</p>
            {item.description ? (
              <p id={descriptionId} className="item-dialog-description">
                {item.description}
              </p>
            ) : null}
            <ItemFacts item={item} />
          </div>
        </div>
        {item.optionGroups.map((group) => (
          <OptionGroupField
            key={group.id}
            group={group}
            selected={selected[group.id] ?? []}
            missing={missing.includes(group.id)}
            onChoose={(optionId, on) => choose(group, optionId, on)}
          />
        ))}
        <NoteField id={`${descriptionId}-note`} note={note} onChange={setNote} />
      </div>
      <div className="item-dialog-footer">
        <div className="quantity" role="group" aria-label={t.kiosk.item.quantity}>
          <span className="quantity-label" aria-hidden="true">
            {t.kiosk.item.quantity}
          </span>
          <button
            type="button"
            className="quantity-button"
            aria-label={t.kiosk.item.decrease}
            disabled={quantity <= 1}
            onClick={() => setQuantity((count) => Math.max(1, count - 1))}
          >
            −
          </button>
          <output className="quantity-value" aria-live="polite" aria-label={`${t.kiosk.item.quantity} ${quantity}`}>
            {quantity}
          </output>
          <button
            type="button"
            className="quantity-button"
            aria-label={t.kiosk.item.increase}
            disabled={quantity >= MAX_QUANTITY}
            onClick={() => setQuantity((count) => Math.min(MAX_QUANTITY, count + 1))}
          >
            +
          </button>
        </div>
        <div role="alert" className={missingNames.length ? 'alert alert-error item-missing' : 'alert-empty'}>
          {missingNames.map((name) => t.kiosk.item.missing(name)).join(' ')}
        </div>
        <button type="button" className="kiosk-primary add-button" onClick={add}>
          {t.kiosk.item.add(won(total, lang))}
        </button>
      </div>
    </Dialog>
  );
}

/** a short request for this line: one-touch suggestions ("덜 달게") and free text up to MAX_NOTE_LENGTH */
function NoteField({ id, note, onChange }: { id: string; note: string; onChange(note: string): void }) {
  const { t } = useI18n();
  const length = noteLength(note);
  const tooLong = length > MAX_NOTE_LENGTH;
  const add = (suggestion: string) => {
    const words = note.trim() === '' ? [] : [note.trim()];
    if (words.some((word) => word.includes(suggestion))) return;
    onChange([...words, suggestion].join(', '));
  };
  return (
    <fieldset className="option-group note-field">
      <legend>{t.dining.noteLegend}</legend>
      <div className="note-suggestions">
        {t.dining.noteSuggestions.map((suggestion) => (
          <button
            key={suggestion}
            type="button"
            className="kiosk-secondary note-suggestion"
            aria-pressed={note.includes(suggestion)}
            onClick={() => add(suggestion)}
          >
            {suggestion}
          </button>
        ))}
      </div>
      <label className="note-label" htmlFor={id}>
        {t.dining.noteLabel}
      </label>
      <input
        id={id}
        className="note-input"
        type="text"
        value={note}
        maxLength={MAX_NOTE_LENGTH * 2}
        aria-invalid={tooLong || undefined}
        aria-describedby={`${id}-count`}
        onChange={(event) => onChange(event.target.value.replace(/[\p{Cc}]/gu, ''))}
      />
      <p id={`${id}-count`} className={tooLong ? 'note-count note-count-over' : 'note-count'} aria-live="polite">
        {tooLong ? t.dining.noteTooLong(MAX_NOTE_LENGTH) : t.dining.noteCount(length, MAX_NOTE_LENGTH)}
      </p>
    </fieldset>
  );
}

function OptionGroupField({
  group,
  selected,
  missing,
  onChoose,
}: {
  group: OptionGroup;
  selected: string[];
  missing: boolean;
  onChoose(optionId: string, on: boolean): void;
}) {
  const { t, lang } = useI18n();
  const name = useId();
  const hint = group.kind === 'single' ? t.kiosk.item.chooseOne : group.required ? t.kiosk.item.chooseAnyRequired : t.kiosk.item.chooseAny;
  return (
    <fieldset id={`group-${group.id}`} className={`option-group${missing ? ' option-group-missing' : ''}`} aria-describedby={`${name}-hint`}>
      <legend>
        {group.name}
        {group.required ? <span className="required-badge">{t.kiosk.item.required}</span> : null}
      </legend>
      <p id={`${name}-hint`} className="option-hint">
        {missing ? <span aria-hidden="true">⚠ </span> : null}
        {hint}
      </p>
      <div className="option-choices" data-keypad-choices>
        {group.options.map((option) => {
          const checked = selected.includes(option.id);
          return (
            <label key={option.id} className={`option-choice${checked ? ' option-choice-selected' : ''}`}>
              <input
                type={group.kind === 'single' ? 'radio' : 'checkbox'}
                name={name}
                value={option.id}
                checked={checked}
                aria-invalid={missing || undefined}
                onChange={(event) => onChoose(option.id, event.target.checked)}
              />
              <span className="option-name">{option.name}</span>
              <span className="option-price">{priceDelta(option.priceDelta, lang)}</span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
