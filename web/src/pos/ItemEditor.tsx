// Add or edit a product: every field, the option groups (each with its options), and a photo
// with a preview. The photo goes up after the product is saved; when that fails the product
// stays saved and the dialog stays open on it, with the server's reason.
import { useEffect, useId, useRef, useState } from 'react';
import { api, type Category, type Item, type ItemInput, type OptionGroupInput } from '../api/client';
import { DialogForm } from '../components/DialogForm';
import { CheckField, NumberField, SelectField, TextAreaField, TextField } from '../components/Field';
import { useFormErrors } from '../components/useSubmit';
import { errorText, useI18n } from '../i18n';
import { MenuFactsFields, draftFacts, factProblems, factsInput } from './MenuFactsFields';

const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

interface DraftOption {
  key: number;
  name: string;
  priceDelta: string;
}

interface DraftGroup {
  key: number;
  name: string;
  kind: 'single' | 'multiple';
  required: boolean;
  options: DraftOption[];
}

let nextKey = 1;
const key = () => nextKey++;

function draftGroups(item: Item | undefined): DraftGroup[] {
  return (item?.optionGroups ?? []).map((group) => ({
    key: key(),
    name: group.name,
    kind: group.kind,
    required: group.required,
    options: group.options.map((option) => ({ key: key(), name: option.name, priceDelta: String(option.priceDelta) })),
  }));
}

function groupsInput(groups: DraftGroup[]): OptionGroupInput[] {
  return groups.map((group) => ({
    name: group.name.trim(),
    kind: group.kind,
    required: group.required,
    options: group.options.map((option) => ({ name: option.name.trim(), priceDelta: Number(option.priceDelta.trim() || '0') })),
  }));
}

interface Props {
  storeId: string;
  categories: Category[];
  /** the product to edit; none: a new one */
  item?: Item;
  /** the category a new product starts in */
  defaultCategoryId?: string;
  onClose(): void;
  onSaved(item: Item): void;
}

export function ItemEditor({ storeId, categories, item: initial, defaultCategoryId, onClose, onSaved }: Props) {
  const { t } = useI18n();
  const e = t.pos.products.editor;
  const [item, setItem] = useState<Item | undefined>(initial);
  const [categoryId, setCategoryId] = useState(initial?.categoryId ?? defaultCategoryId ?? categories[0]?.id ?? '');
  const [name, setName] = useState(initial?.name ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [price, setPrice] = useState(initial ? String(initial.price) : '');
  const [trackStock, setTrackStock] = useState(initial ? initial.stock !== null : false);
  const [stock, setStock] = useState(initial?.stock !== null && initial?.stock !== undefined ? String(initial.stock) : '');
  const [shownOnKiosk, setShownOnKiosk] = useState(initial?.shownOnKiosk ?? true);
  const [soldOut, setSoldOut] = useState(initial?.soldOut ?? false);
  const [dining, setDining] = useState<Item['dining']>(initial?.dining ?? 'any');
  const [groups, setGroups] = useState<DraftGroup[]>(() => draftGroups(initial));
  const [facts, setFacts] = useState(() => draftFacts(initial));
  const [photo, setPhoto] = useState<File>();
  const [preview, setPreview] = useState<string>();
  const [removePhoto, setRemovePhoto] = useState(false);
  const { formRef, fieldErrors, setFieldErrors, error, setError, fail, busy, run } = useFormErrors();
  const fileRef = useRef<HTMLInputElement>(null);
  const photoId = useId();
  const originalGroups = useRef(JSON.stringify(groupsInput(draftGroups(initial))));

  useEffect(() => {
    if (!photo) {
      setPreview(undefined);
      return;
    }
    const url = URL.createObjectURL(photo);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [photo]);

  const choosePhoto = (file: File | undefined) => {
    setFieldErrors(({ photo: _gone, ...rest }) => rest);
    setPhoto(undefined);
    if (!file) return;
    if (file.type && !PHOTO_TYPES.includes(file.type)) {
      setFieldErrors((current) => ({ ...current, photo: e.photoType }));
      if (fileRef.current) fileRef.current.value = '';
      return;
    }
    if (file.size > MAX_PHOTO_BYTES) {
      setFieldErrors((current) => ({ ...current, photo: e.photoSize }));
      if (fileRef.current) fileRef.current.value = '';
      return;
    }
    setRemovePhoto(false);
    setPhoto(file);
  };

  const updateGroup = (groupKey: number, change: Partial<DraftGroup>) =>
    setGroups((list) => list.map((group) => (group.key === groupKey ? { ...group, ...change } : group)));
  const updateOption = (groupKey: number, optionKey: number, change: Partial<DraftOption>) =>
    setGroups((list) =>
      list.map((group) =>
        group.key === groupKey ? { ...group, options: group.options.map((option) => (option.key === optionKey ? { ...option, ...change } : option)) } : group,
      ),
    );

  const validate = (): Record<string, string> => {
    const problems: Record<string, string> = {};
    if (!categoryId) problems.categoryId = e.chooseCategory;
    if (!name.trim()) problems.name = t.validation.required(e.name);
    if (!/^\d{1,8}$/.test(price.trim())) problems.price = e.priceInvalid;
    if (trackStock && !/^\d{1,7}$/.test(stock.trim())) problems.stock = e.stockInvalid;
    for (const group of groups) {
      if (!group.name.trim()) problems[`group-${group.key}`] = e.groupNameMissing;
      else if (group.required && group.options.length === 0) problems[`group-${group.key}`] = e.groupNeedsOptions;
      for (const option of group.options) {
        if (!option.name.trim()) problems[`option-${option.key}`] = e.optionNameMissing;
        if (option.priceDelta.trim() && !/^-?\d{1,8}$/.test(option.priceDelta.trim())) problems[`delta-${option.key}`] = e.deltaInvalid;
      }
    }
    Object.assign(problems, factProblems(t, facts));
    return problems;
  };

  const submit = () => {
    const problems = validate();
    if (Object.keys(problems).length > 0) return fail(problems);
    setFieldErrors({});
    const input: ItemInput = {
      categoryId,
      name: name.trim(),
      description: description.trim(),
      price: Number(price.trim()),
      stock: trackStock ? Number(stock.trim()) : null,
      shownOnKiosk,
      soldOut,
      dining,
      optionGroups: groupsInput(groups),
      ...factsInput(facts),
    };
    void run(async () => {
      let saved: Item;
      if (item) {
        // options are replaced as a whole (new ids), so they are sent only when they changed
        const { optionGroups, ...rest } = input;
        const changed = JSON.stringify(optionGroups) !== originalGroups.current;
        saved = await api.updateItem(storeId, item.id, changed ? input : rest);
      } else {
        saved = await api.addItem(storeId, input);
      }
      setItem(saved);
      originalGroups.current = JSON.stringify(input.optionGroups);
      try {
        if (photo) saved = await api.setItemPhoto(storeId, saved.id, photo, photo.name);
        else if (removePhoto && saved.hasPhoto) saved = await api.removeItemPhoto(storeId, saved.id);
      } catch (caught) {
        // the product is saved: from here on the dialog edits it
        setFieldErrors({ photo: errorText(t, caught) });
        setError(`${e.photoFailed} ${errorText(t, caught)}`);
        return;
      }
      onSaved(saved);
    });
  };

  const currentPicture = item && !removePhoto ? item.imageUrl : undefined;

  return (
    <DialogForm
      title={item ? e.editTitle(item.name) : e.addTitle}
      onClose={onClose}
      className="dialog-wide"
      closeLabel={t.common.close}
      onSubmit={submit}
      formRef={formRef}
      formClassName="form item-form"
      buttonsClassName="dialog-actions"
      error={error}
      busy={busy}
      submitLabel={busy ? e.saving : e.save}
    >
      <SelectField
        label={e.category}
        value={categoryId}
        options={categories.map((category) => ({ value: category.id, label: category.name }))}
        onChange={(event) => setCategoryId(event.target.value)}
        error={fieldErrors.categoryId}
      />
      <TextField
        label={e.name}
        hint={e.nameHint}
        maxLength={40}
        autoComplete="off"
        value={name}
        onChange={(event) => setName(event.target.value)}
        error={fieldErrors.name}
      />
      <TextAreaField
        label={e.description}
        hint={e.descriptionHint}
        optional
        maxLength={200}
        rows={3}
        value={description}
        onChange={(event) => setDescription(event.target.value)}
      />
      <NumberField
        label={e.price}
        hint={e.priceHint}
        value={price}
        onChange={(event) => setPrice(event.target.value.replace(/[,\s원₩]/g, ''))}
        error={fieldErrors.price}
      />
      <div className="field-group">
        <CheckField label={e.trackStock} checked={trackStock} onChange={(event) => setTrackStock(event.target.checked)} />
        {trackStock ? (
          <NumberField
            label={e.stock}
            hint={e.stockHint}
            value={stock}
            onChange={(event) => setStock(event.target.value.replace(/[,\s]/g, ''))}
            error={fieldErrors.stock}
          />
        ) : null}
      </div>
      <div className="field-group">
        <CheckField label={e.shownOnKiosk} checked={shownOnKiosk} onChange={(event) => setShownOnKiosk(event.target.checked)} />
        <CheckField label={e.soldOut} checked={soldOut} onChange={(event) => setSoldOut(event.target.checked)} />
      </div>
      <SelectField
        label={t.dining.itemField}
        hint={t.dining.itemHint}
        value={dining}
        onChange={(event) => setDining(event.target.value as Item['dining'])}
        options={(['any', 'eat_in_only', 'take_out_only'] as const).map((value) => ({ value, label: t.dining.itemOptions[value] }))}
      />
      <MenuFactsFields draft={facts} onChange={setFacts} errors={fieldErrors} />

      <div className={`field photo-field${fieldErrors.photo ? ' field-invalid' : ''}`}>
        <label htmlFor={photoId}>{e.photo}</label>
        <p id={`${photoId}-hint`} className="hint">
          {e.photoHint}
        </p>
        <div className="photo-row">
          {preview ? (
            <figure className="photo-preview">
              <img src={preview} alt={e.photoPreview} width={160} height={160} />
              <figcaption>{e.photoPreview}</figcaption>
            </figure>
          ) : currentPicture ? (
            <figure className="photo-preview">
              <img src={currentPicture} alt={e.photoCurrent} width={160} height={160} />
              <figcaption>{item?.hasPhoto ? e.photoCurrent : e.photoDefault}</figcaption>
            </figure>
          ) : removePhoto ? (
            <p className="hint">{e.photoWillBeRemoved}</p>
          ) : null}
          <div className="photo-controls">
            {/* the native input, for keyboards and screen readers; its browser-language "Choose File"
                text is replaced by a button in the page's language for pointers */}
            <span className="file-picker">
              <input
                ref={fileRef}
                id={photoId}
                type="file"
                className="file-input"
                accept={PHOTO_TYPES.join(',')}
                aria-describedby={`${photoId}-hint ${photoId}-file${fieldErrors.photo ? ` ${photoId}-error` : ''}`}
                aria-invalid={fieldErrors.photo ? true : undefined}
                onChange={(event) => choosePhoto(event.target.files?.[0])}
              />
              <span className="button button-secondary file-button" aria-hidden="true" onClick={() => fileRef.current?.click()}>
                {e.choosePhoto}
              </span>
              <span id={`${photoId}-file`} className="file-name">
                {photo ? photo.name : e.noFile}
              </span>
            </span>
            {photo ? (
              <button
                type="button"
                className="button button-secondary"
                onClick={() => {
                  setPhoto(undefined);
                  if (fileRef.current) fileRef.current.value = '';
                }}
              >
                {e.clearNewPhoto}
              </button>
            ) : item?.hasPhoto ? (
              <button type="button" className="button button-danger-outline" aria-pressed={removePhoto} onClick={() => setRemovePhoto((on) => !on)}>
                {removePhoto ? e.keepPhoto : e.removePhoto}
              </button>
            ) : null}
          </div>
        </div>
        {fieldErrors.photo ? (
          <p id={`${photoId}-error`} className="field-error">
            {fieldErrors.photo}
          </p>
        ) : null}
      </div>

      <section className="option-editor" aria-labelledby={`${photoId}-options`}>
        <h3 id={`${photoId}-options`}>{e.optionGroups}</h3>
        <p className="hint">{e.optionGroupsHint}</p>
        {groups.length === 0 ? <p className="hint">{e.noGroups}</p> : null}
        {groups.map((group, index) => (
          <fieldset key={group.key} className="option-group-editor">
            <legend>{e.groupTitle(index + 1)}</legend>
            <TextField
              label={e.groupName}
              hint={e.groupNameHint}
              maxLength={30}
              autoComplete="off"
              value={group.name}
              onChange={(event) => updateGroup(group.key, { name: event.target.value })}
              error={fieldErrors[`group-${group.key}`]}
            />
            <fieldset className="kind-choice">
              <legend>{e.kind}</legend>
              <div className="kind-options">
                {(['single', 'multiple'] as const).map((kind) => (
                  <label key={kind} className="kind-option">
                    <input type="radio" name={`kind-${group.key}`} checked={group.kind === kind} onChange={() => updateGroup(group.key, { kind })} />
                    {kind === 'single' ? e.kindSingle : e.kindMultiple}
                  </label>
                ))}
              </div>
            </fieldset>
            <CheckField label={e.required} checked={group.required} onChange={(event) => updateGroup(group.key, { required: event.target.checked })} />
            <ol className="option-rows">
              {group.options.map((option, optionIndex) => (
                <li key={option.key}>
                  <fieldset className="option-row">
                    <legend className="sr-only">{e.optionTitle(optionIndex + 1)}</legend>
                    <TextField
                      label={e.optionName}
                      maxLength={30}
                      autoComplete="off"
                      value={option.name}
                      onChange={(event) => updateOption(group.key, option.key, { name: event.target.value })}
                      error={fieldErrors[`option-${option.key}`]}
                    />
                    <NumberField
                      label={e.priceDelta}
                      value={option.priceDelta}
                      placeholder="0"
                      onChange={(event) => updateOption(group.key, option.key, { priceDelta: event.target.value.replace(/[,\s원₩+]/g, '') })}
                      error={fieldErrors[`delta-${option.key}`]}
                    />
                    <button
                      type="button"
                      className="button button-danger-outline option-remove"
                      aria-label={e.removeOption(option.name.trim() || e.optionTitle(optionIndex + 1))}
                      onClick={() => updateGroup(group.key, { options: group.options.filter((each) => each.key !== option.key) })}
                    >
                      {t.pos.products.delete}
                    </button>
                  </fieldset>
                </li>
              ))}
            </ol>
            <div className="button-row">
              <button
                type="button"
                className="button button-secondary"
                onClick={() => updateGroup(group.key, { options: [...group.options, { key: key(), name: '', priceDelta: '0' }] })}
              >
                + {e.addOption}
              </button>
              <button type="button" className="button button-danger-outline" onClick={() => setGroups((list) => list.filter((each) => each.key !== group.key))}>
                {e.removeGroup}
              </button>
            </div>
          </fieldset>
        ))}
        <button
          type="button"
          className="button button-secondary"
          onClick={() =>
            setGroups((list) => [...list, { key: key(), name: '', kind: 'single', required: false, options: [{ key: key(), name: '', priceDelta: '0' }] }])
          }
        >
          + {e.addGroup}
        </button>
      </section>
    </DialogForm>
  );
}
