// The store's products as a table: thumbnail, name, price, stock, and switches for "shown on the
// kiosk" and "sold out"; a search box and a category filter; add, edit and delete.
import { useCallback, useEffect, useId, useState } from 'react';
import { api, type Category, type Item } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { ColumnHeads } from '../components/ColumnHeads';
import { ConfirmDeleteDialog } from '../components/ConfirmDeleteDialog';
import { LoadError, Loading } from '../components/Page';
import { RowAction } from '../components/RowAction';
import { thousands, won } from '../format';
import { errorText, useI18n } from '../i18n';
import { ItemEditor } from './ItemEditor';

interface Props {
  storeId: string;
  categories: Category[];
  /** items were added, moved or deleted: the categories' counts changed */
  onItemsChanged(): void;
  onNotice(text: string | undefined): void;
}

export function ItemsSection({ storeId, categories, onItemsChanged, onNotice }: Props) {
  const { t, lang } = useI18n();
  const p = t.pos.products;
  const headingId = useId();
  const searchId = useId();
  const filterId = useId();
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [categoryId, setCategoryId] = useState('');
  const [items, setItems] = useState<Item[]>();
  const [loadError, setLoadError] = useState<unknown>();
  const [error, setError] = useState<string>();
  const [editing, setEditing] = useState<Item | 'new'>();
  const [deleting, setDeleting] = useState<Item>();
  const [pending, setPending] = useState<string>();

  // typing settles for a moment before the search goes out
  useEffect(() => {
    const timer = window.setTimeout(() => setQuery(q.trim()), 300);
    return () => window.clearTimeout(timer);
  }, [q]);

  const load = useCallback(async () => {
    setLoadError(undefined);
    try {
      const answer = await api.listItems(storeId, { q: query || undefined, categoryId: categoryId || undefined });
      setItems(answer.items);
    } catch (caught) {
      setLoadError(caught);
    }
  }, [storeId, query, categoryId]);

  useEffect(() => {
    void load();
  }, [load]);

  const categoryName = (id: string) => categories.find((category) => category.id === id)?.name ?? '';

  const toggle = async (item: Item, field: 'shownOnKiosk' | 'soldOut') => {
    const next = !item[field];
    setError(undefined);
    setPending(`${item.id}-${field}`);
    try {
      const saved = await api.updateItem(storeId, item.id, { [field]: next });
      setItems((list) => list?.map((each) => (each.id === saved.id ? saved : each)));
      onNotice(field === 'shownOnKiosk' ? p.shownChanged(saved.name, saved.shownOnKiosk) : p.soldOutChanged(saved.name, saved.soldOut));
    } catch (caught) {
      setError(`${item.name}: ${errorText(t, caught)}`);
    } finally {
      setPending(undefined);
    }
  };

  return (
    <section aria-labelledby={headingId} className="panel items">
      <div className="section-head">
        <h2 id={headingId}>{p.itemsTitle}</h2>
        <button type="button" className="button button-primary" disabled={categories.length === 0} onClick={() => setEditing('new')}>
          + {p.addItem}
        </button>
      </div>
      <div className="toolbar">
        <div className="field">
          <label htmlFor={searchId}>{p.search}</label>
          <input id={searchId} type="search" value={q} autoComplete="off" maxLength={40} onChange={(event) => setQ(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={filterId}>{p.filterCategory}</label>
          <select id={filterId} value={categoryId} onChange={(event) => setCategoryId(event.target.value)}>
            <option value="">{p.allCategories}</option>
            {categories.map((category) => (
              <option key={category.id} value={category.id}>
                {category.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorAlert>{error}</ErrorAlert>
      {loadError ? (
        <LoadError error={loadError} onRetry={load} />
      ) : !items ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="empty">{query || categoryId ? p.noMatch : p.noItems}</p>
      ) : (
        <>
          <p className="count" aria-live="polite">
            {p.itemsCount(items.length)}
          </p>
          <div className="table-scroll">
            <table className="data-table item-table">
              <caption className="sr-only">{p.itemsTitle}</caption>
              <ColumnHeads
                columns={[
                  p.columns.photo,
                  p.columns.name,
                  { num: p.columns.price },
                  { num: p.columns.stock },
                  p.columns.shown,
                  p.columns.soldOut,
                  p.columns.actions,
                ]}
              />
              <tbody>
                {items.map((item) => (
                  <tr key={item.id} className={item.soldOut || !item.shownOnKiosk ? 'row-muted' : undefined}>
                    <td>
                      <img className="item-thumb" src={item.thumbUrl} alt={item.hasPhoto ? item.name : ''} width={64} height={64} loading="lazy" />
                    </td>
                    <th scope="row" className="item-name-cell">
                      <span className="item-name">{item.name}</span>
                      <span className="item-category">{categoryName(item.categoryId)}</span>
                    </th>
                    <td className="num">{won(item.price, lang)}</td>
                    <td className="num">{item.stock === null ? <span className="muted">{p.notCounted}</span> : thousands(item.stock)}</td>
                    <td>
                      <Switch
                        label={p.shownLabel(item.name)}
                        on={item.shownOnKiosk}
                        busy={pending === `${item.id}-shownOnKiosk`}
                        onToggle={() => void toggle(item, 'shownOnKiosk')}
                      />
                    </td>
                    <td>
                      <Switch
                        label={p.soldOutLabel(item.name)}
                        on={item.soldOut}
                        tone="warn"
                        busy={pending === `${item.id}-soldOut`}
                        onToggle={() => void toggle(item, 'soldOut')}
                      />
                    </td>
                    <td>
                      <div className="row-actions">
                        <RowAction label={p.edit} row={item.name} onClick={() => setEditing(item)} />
                        <RowAction label={p.delete} row={item.name} tone="danger-outline" onClick={() => setDeleting(item)} />
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      {editing ? (
        <ItemEditor
          storeId={storeId}
          categories={categories}
          item={editing === 'new' ? undefined : editing}
          defaultCategoryId={categoryId || undefined}
          onClose={() => {
            setEditing(undefined);
            void load(); // a product may have been saved before its photo failed
            onItemsChanged();
          }}
          onSaved={(saved) => {
            setEditing(undefined);
            onNotice(p.itemSaved(saved.name));
            void load();
            onItemsChanged();
          }}
        />
      ) : null}
      {deleting ? (
        <ConfirmDeleteDialog
          title={p.deleteItemTitle}
          text={p.deleteItemText(deleting.name)}
          confirmLabel={p.deleteConfirm}
          onClose={() => setDeleting(undefined)}
          onConfirm={async () => {
            await api.deleteItem(storeId, deleting.id);
            setDeleting(undefined);
            setItems((list) => list?.filter((each) => each.id !== deleting.id));
            onNotice(p.itemDeleted(deleting.name));
            onItemsChanged();
          }}
        />
      ) : null}
    </section>
  );
}

/** an on/off switch: a button with role="switch", its state in words as well as in colour */
function Switch({ label, on, busy, tone = 'ok', onToggle }: { label: string; on: boolean; busy: boolean; tone?: 'ok' | 'warn'; onToggle(): void }) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      role="switch"
      aria-checked={on}
      aria-label={label}
      className={`switch switch-${tone}${on ? ' switch-on' : ''}`}
      disabled={busy}
      onClick={onToggle}
    >
      <span className="switch-track" aria-hidden="true">
        <span className="switch-thumb" />
      </span>
      <span className="switch-text" aria-hidden="true">
        {on ? t.pos.products.on : t.pos.products.off}
      </span>
    </button>
  );
}
