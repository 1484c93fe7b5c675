// A list the POS shows a page at a time (consultations, members): the page asked for, the answer
// (only the latest request's, so a slow older page never replaces a newer one), a retry after an
// error, and around the rows the loading, error, empty and count states and the pager.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { LoadError, Loading } from '../components/Page';

export interface Paged<Row> {
  rows: Row[];
  total: number;
}

/** the words of a list; each tab's dictionary section has them */
export interface PagedTexts {
  empty: string;
  count(total: number): string;
  page(page: number, pages: number): string;
  previous: string;
  next: string;
}

export interface PagedListState<Row> {
  page: number;
  setPage(page: number | ((page: number) => number)): void;
  pageSize: number;
  data?: Paged<Row>;
  /** for changes made here (a row removed, a flag cleared) without a reload */
  setData(update: (data: Paged<Row> | undefined) => Paged<Row> | undefined): void;
  error?: unknown;
  reload(): Promise<void>;
}

/** `fetchPage` should change (useCallback) only when what it lists changes: that reloads the list */
export function usePagedList<Row>(fetchPage: (page: number, pageSize: number) => Promise<Paged<Row>>, pageSize: number): PagedListState<Row> {
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Paged<Row>>();
  const [error, setError] = useState<unknown>();
  const ticket = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++ticket.current;
    setError(undefined);
    try {
      const answer = await fetchPage(page, pageSize);
      if (mine === ticket.current) setData(answer);
    } catch (caught) {
      if (mine === ticket.current) setError(caught);
    }
  }, [fetchPage, page, pageSize]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { page, setPage, pageSize, data, setData, error, reload };
}

export function PagedList<Row>({ list, texts, children }: { list: PagedListState<Row>; texts: PagedTexts; children(rows: Row[]): ReactNode }) {
  const { data, error, page, pageSize } = list;
  if (error) return <LoadError error={error} onRetry={list.reload} retryTone="secondary" />;
  if (!data) return <Loading />;
  if (data.total === 0) return <p className="empty">{texts.empty}</p>;
  return (
    <>
      <p className="count" role="status">
        {texts.count(data.total)}
      </p>
      {children(data.rows)}
      <Pager page={page} pages={Math.max(1, Math.ceil(data.total / pageSize))} onPage={list.setPage} texts={texts} />
    </>
  );
}

/** previous, "page of pages", next; nothing when there is one page */
export function Pager({ page, pages, onPage, texts }: { page: number; pages: number; onPage(page: number): void; texts: Omit<PagedTexts, 'empty' | 'count'> }) {
  if (pages <= 1) return null;
  return (
    <nav className="pager" aria-label={texts.page(page, pages)}>
      <button type="button" className="button button-secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        ← {texts.previous}
      </button>
      <span className="pager-text">{texts.page(page, pages)}</span>
      <button type="button" className="button button-secondary" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {texts.next} →
      </button>
    </nav>
  );
}
