// The store's categories: add, rename, delete (refused by the server while items are in it), and
// move up or down (the order of the kiosk's tabs).
import { useId, useState, type FormEvent } from 'react';
import { api, type Category } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { ConfirmDeleteDialog } from '../components/ConfirmDeleteDialog';
import { TextField } from '../components/Field';
import { LoadError, Loading } from '../components/Page';
import { RenameDialog } from '../components/RenameDialog';
import { RowAction } from '../components/RowAction';
import { useSubmit } from '../components/useSubmit';
import { errorText, useI18n } from '../i18n';

interface Props {
  storeId: string;
  categories?: Category[];
  loadError?: unknown;
  onReload(): void;
  onChange(categories: Category[]): void;
  onNotice(text: string | undefined): void;
}

export function CategoriesSection({ storeId, categories, loadError, onReload, onChange, onNotice }: Props) {
  const { t } = useI18n();
  const p = t.pos.products;
  const headingId = useId();
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string>();
  // the add form's trip; its error line also tells when a move failed
  const { busy, error, setError, run } = useSubmit();
  const [renaming, setRenaming] = useState<Category>();
  const [deleting, setDeleting] = useState<Category>();

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const value = name.trim();
    if (!value) {
      setNameError(t.validation.required(p.categoryName));
      return;
    }
    setNameError(undefined);
    await run(async () => {
      const created = await api.addCategory(storeId, value);
      onChange([...(categories ?? []), created]);
      setName('');
      onNotice(p.categoryAdded(created.name));
    });
  };

  const move = async (index: number, step: -1 | 1) => {
    if (!categories) return;
    const target = index + step;
    if (target < 0 || target >= categories.length) return;
    const reordered = [...categories];
    const [moved] = reordered.splice(index, 1);
    reordered.splice(target, 0, moved!);
    onChange(reordered); // at once; the server's answer follows
    setError(undefined);
    try {
      const answer = await api.reorderCategories(
        storeId,
        reordered.map((category) => category.id),
      );
      onChange(answer.categories);
      onNotice(p.categoryMoved(moved!.name, target + 1));
      // the moved row's button keeps the focus where it went
      window.setTimeout(() => {
        const same = document.getElementById(`category-${moved!.id}-${step < 0 ? 'up' : 'down'}`) as HTMLButtonElement | null;
        const other = document.getElementById(`category-${moved!.id}-${step < 0 ? 'down' : 'up'}`) as HTMLButtonElement | null;
        (same && !same.disabled ? same : other)?.focus();
      }, 0);
    } catch (caught) {
      setError(errorText(t, caught));
      onReload();
    }
  };

  return (
    <section aria-labelledby={headingId} className="panel categories">
      <h2 id={headingId}>{p.categoriesTitle}</h2>
      <p className="hint">{p.categoriesIntro}</p>
      {loadError ? (
        <LoadError error={loadError} onRetry={onReload} />
      ) : !categories ? (
        <Loading />
      ) : categories.length === 0 ? (
        <p className="empty">{p.noCategories}</p>
      ) : (
        <ol className="category-list" aria-label={p.categoriesTitle}>
          {categories.map((category, index) => (
            <li key={category.id} className="category-row" aria-labelledby={`category-${category.id}`}>
              <span className="category-position" aria-hidden="true">
                {index + 1}
              </span>
              <span className="category-name">
                <strong id={`category-${category.id}`}>{category.name}</strong> <span className="category-count">{p.itemCount(category.itemCount)}</span>
              </span>
              <span className="category-actions">
                <button
                  id={`category-${category.id}-up`}
                  type="button"
                  className="button button-secondary icon-button"
                  disabled={index === 0}
                  onClick={() => void move(index, -1)}
                >
                  <span aria-hidden="true">▲</span>
                  <span className="sr-only">
                    {category.name} {p.moveUp}
                  </span>
                </button>
                <button
                  id={`category-${category.id}-down`}
                  type="button"
                  className="button button-secondary icon-button"
                  disabled={index === categories.length - 1}
                  onClick={() => void move(index, 1)}
                >
                  <span aria-hidden="true">▼</span>
                  <span className="sr-only">
                    {category.name} {p.moveDown}
                  </span>
                </button>
                <RowAction label={p.rename} row={category.name} onClick={() => setRenaming(category)} />
                <RowAction label={p.delete} row={category.name} tone="danger-outline" onClick={() => setDeleting(category)} />
              </span>
            </li>
          ))}
        </ol>
      )}
      <ErrorAlert>{error}</ErrorAlert>
      <form onSubmit={add} noValidate className="inline-form">
        <TextField
          label={p.categoryName}
          hint={p.categoryNameHint}
          maxLength={20}
          autoComplete="off"
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={nameError}
        />
        <button type="submit" className="button button-primary" disabled={busy}>
          {p.addCategory}
        </button>
      </form>

      {renaming ? (
        <RenameDialog
          title={p.renameTitle(renaming.name)}
          label={p.newName}
          maxLength={20}
          name={renaming.name}
          onClose={() => setRenaming(undefined)}
          onRename={async (name) => {
            const renamed = await api.renameCategory(storeId, renaming.id, name);
            onChange((categories ?? []).map((each) => (each.id === renamed.id ? renamed : each)));
            setRenaming(undefined);
            onNotice(p.categoryRenamed(renamed.name));
          }}
        />
      ) : null}
      {deleting ? (
        <ConfirmDeleteDialog
          title={p.deleteCategoryTitle}
          text={p.deleteCategoryText(deleting.name)}
          confirmLabel={p.deleteConfirm}
          onClose={() => setDeleting(undefined)}
          onConfirm={async () => {
            await api.deleteCategory(storeId, deleting.id);
            onChange((categories ?? []).filter((each) => each.id !== deleting.id));
            setDeleting(undefined);
            onNotice(p.categoryDeleted(deleting.name));
          }}
        />
      ) : null}
    </section>
  );
}
