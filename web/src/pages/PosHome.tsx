// The store owner's POS: the store's header, tabs (only kiosks for now) and the account menu.
import { useState } from 'react';
import { Navigate, NavLink, Route, Routes } from 'react-router-dom';
import type { AccountProfile } from '../api/client';
import { AccountMenu } from '../components/AccountMenu';
import { ErrorAlert, Notice } from '../components/Alert';
import { Loading, Page } from '../components/Page';
import { useMe } from '../hooks';
import { errorText, useI18n, useTitle } from '../i18n';
import { KiosksPanel } from './KiosksPanel';

// later tabs (상품, 주문, 매출, 고객, 상담) join this list with their routes below
const tabs = [{ path: 'kiosks', label: (t: ReturnType<typeof useI18n>['t']) => t.pos.tabs.kiosks }] as const;

export function PosHome() {
  const { t } = useI18n();
  useTitle(t.pos.title);
  const { me, error, reload } = useMe<AccountProfile>('owner');
  const [notice, setNotice] = useState<string>();

  if (!me || !me.store) {
    return (
      <Page width="wide">
        <h1>{t.pos.title}</h1>
        {error ? (
          <>
            <ErrorAlert>{errorText(t, error)}</ErrorAlert>
            <button type="button" className="button button-primary" onClick={() => void reload()}>
              {t.common.retry}
            </button>
          </>
        ) : (
          <Loading />
        )}
      </Page>
    );
  }
  const store = me.store;

  return (
    <Page width="wide" actions={<AccountMenu role="owner" email={me.email} onNotice={setNotice} />}>
      <div className="page-head">
        <h1>{store.name}</h1>
        <p className="page-subtitle">{t.pos.storeOf(me.brand.name)}</p>
      </div>
      <nav aria-label={t.pos.navLabel} className="tabs">
        <ul>
          {tabs.map((tab) => (
            <li key={tab.path}>
              <NavLink to={`/pos/${tab.path}`} className="tab">
                {tab.label(t)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Notice>{notice}</Notice>
      <Routes>
        <Route index element={<Navigate to="kiosks" replace />} />
        <Route path="kiosks" element={<KiosksPanel storeId={store.id} timeZone={store.timeZone} onNotice={setNotice} />} />
        <Route path="*" element={<Navigate to="kiosks" replace />} />
      </Routes>
    </Page>
  );
}
