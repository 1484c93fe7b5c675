// The 고객 tab: the store's members, newest first, paged — masked name and phone, visits, last
// visit, whether a face is kept, whether they get ready messages — with "forget face", "stop ready
// messages" and "delete member". Never a face.
import { useCallback, useEffect, useId, useState } from 'react';
import { request, type Answer } from '../api/client';
import { ColumnHeads } from '../components/ColumnHeads';
import { ConfirmDeleteDialog } from '../components/ConfirmDeleteDialog';
import { RowAction } from '../components/RowAction';
import { useI18n } from '../i18n';
import { PagedList, usePagedList } from './PagedList';

const PAGE_SIZE = 50;

type CustomersPage = Answer<'/api/stores/{storeId}/customers', 'get'>;
/** a member as the POS sees them: masked, never a face */
export type CustomerListing = CustomersPage['customers'][number];

const customersPath = (storeId: string) => `/api/stores/${encodeURIComponent(storeId)}/customers`;

export const posCustomersApi = {
  list: (storeId: string, page: number, pageSize: number) =>
    request<CustomersPage>('GET', `${customersPath(storeId)}?page=${page}&pageSize=${pageSize}`, { role: 'owner' }),
  privacyNotice: (storeId: string) =>
    request<Answer<'/api/stores/{storeId}/customers/privacy-notice', 'get'>>('GET', `${customersPath(storeId)}/privacy-notice`, { role: 'owner' }),
  forgetFace: (storeId: string, customerId: string) =>
    request<void>('DELETE', `${customersPath(storeId)}/${encodeURIComponent(customerId)}/face`, { role: 'owner' }),
  /** no more "your order is ready" text messages to the member, on their request */
  revokeReadyNotice: (storeId: string, customerId: string) =>
    request<void>('DELETE', `${customersPath(storeId)}/${encodeURIComponent(customerId)}/ready-notice`, { role: 'owner' }),
  remove: (storeId: string, customerId: string) => request<void>('DELETE', `${customersPath(storeId)}/${encodeURIComponent(customerId)}`, { role: 'owner' }),
};

interface Props {
  storeId: string;
  timeZone: string;
  onNotice(text: string | undefined): void;
}

type Pending = { kind: 'forget' | 'delete' | 'readyNotice'; customer: CustomerListing };

export function CustomersPanel({ storeId, timeZone, onNotice }: Props) {
  const { t, lang } = useI18n();
  const c = t.customers;
  const headingId = useId();
  const [pending, setPending] = useState<Pending>();
  const fetchPage = useCallback(
    async (page: number, pageSize: number) => {
      const answer = await posCustomersApi.list(storeId, page, pageSize);
      return { rows: answer.customers, total: answer.total };
    },
    [storeId],
  );
  const list = usePagedList(fetchPage, PAGE_SIZE);
  // what the kiosks tell customers about retention, as the server is configured
  const [retentionDays, setRetentionDays] = useState<number>();
  useEffect(() => {
    let current = true;
    posCustomersApi
      .privacyNotice(storeId)
      .then((notice) => current && setRetentionDays(notice.faceRetentionDays))
      .catch(() => undefined); // the sentence is left out; the list matters more
    return () => {
      current = false;
    };
  }, [storeId]);

  const dateFormat = new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', { dateStyle: 'medium', timeZone });
  const formatDate = (iso: string | null) => {
    if (!iso) return c.never;
    try {
      return dateFormat.format(new Date(iso));
    } catch {
      return iso;
    }
  };
  const who = (customer: CustomerListing) => customer.maskedName ?? customer.maskedPhone;

  const confirm = async ({ kind, customer }: Pending) => {
    if (kind === 'forget') {
      await posCustomersApi.forgetFace(storeId, customer.id);
      list.setData((now) => now && { ...now, rows: now.rows.map((row) => (row.id === customer.id ? { ...row, hasFace: false } : row)) });
      onNotice(c.faceForgotten(who(customer)));
    } else if (kind === 'readyNotice') {
      await posCustomersApi.revokeReadyNotice(storeId, customer.id);
      list.setData((now) => now && { ...now, rows: now.rows.map((row) => (row.id === customer.id ? { ...row, readyNotice: false } : row)) });
      onNotice(c.readyNoticeRevoked(who(customer)));
    } else {
      await posCustomersApi.remove(storeId, customer.id);
      list.setData((now) => now && { rows: now.rows.filter((row) => row.id !== customer.id), total: now.total - 1 });
      onNotice(c.deleted(who(customer)));
    }
    setPending(undefined);
  };

  return (
    <section aria-labelledby={headingId} className="panel">
      <div className="section-head">
        <h2 id={headingId}>{c.title}</h2>
      </div>
      <p className="hint">{c.intro(retentionDays)}</p>
      <PagedList list={list} texts={c}>
        {(customers) => (
          <div className="table-scroll">
            <table className="data-table" aria-label={c.table}>
              <ColumnHeads
                columns={[
                  c.columns.name,
                  c.columns.phone,
                  { num: c.columns.visits },
                  c.columns.lastVisit,
                  c.columns.face,
                  c.columns.readyNotice,
                  c.columns.joined,
                  { hidden: c.columns.actions },
                ]}
              />
              <tbody>
                {customers.map((customer) => (
                  <tr key={customer.id}>
                    <th scope="row">{customer.maskedName ?? c.noName}</th>
                    <td className="mono">{customer.maskedPhone}</td>
                    <td className="num">{c.visits(customer.visits)}</td>
                    <td>{formatDate(customer.lastVisitAt)}</td>
                    <td>{customer.hasFace ? c.hasFace : c.noFace}</td>
                    <td>{customer.readyNotice ? c.readyNoticeOn : c.readyNoticeOff}</td>
                    <td>{formatDate(customer.createdAt)}</td>
                    <td>
                      <div className="button-row">
                        {customer.hasFace ? (
                          <RowAction label={c.forgetFace} row={who(customer)} onClick={() => setPending({ kind: 'forget', customer })} />
                        ) : null}
                        {customer.readyNotice ? (
                          <RowAction label={c.revokeReadyNotice} row={who(customer)} onClick={() => setPending({ kind: 'readyNotice', customer })} />
                        ) : null}
                        <RowAction label={c.delete} row={who(customer)} tone="danger-outline" onClick={() => setPending({ kind: 'delete', customer })} />
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </PagedList>
      {pending ? (
        <ConfirmDeleteDialog
          title={{ forget: c.forgetTitle, delete: c.deleteTitle, readyNotice: c.revokeTitle }[pending.kind]}
          text={{ forget: c.forgetText, delete: c.deleteText, readyNotice: c.revokeText }[pending.kind](who(pending.customer))}
          confirmLabel={{ forget: c.forgetConfirm, delete: c.deleteConfirm, readyNotice: c.revokeConfirm }[pending.kind]}
          onConfirm={() => confirm(pending)}
          onClose={() => setPending(undefined)}
        />
      ) : null}
    </section>
  );
}
