// The store owner's POS: the store's header, tabs (kiosks, products, orders, sales,
// consultations, customers, device settings, payments, staff calls) and the account menu.
import { useEffect, useState } from 'react';
import { Navigate, NavLink, Route, Routes, useLocation } from 'react-router-dom';
import type { AccountProfile } from '../api/client';
import { AccountHome, AccountHomePending } from '../components/AccountHome';
import { Notice } from '../components/Alert';
import { useMe } from '../hooks';
import { useI18n, useTitle } from '../i18n';
import { ConsultationsPanel } from '../pos/ConsultationsPanel';
import { CustomersPanel } from '../pos/CustomersPanel';
import { DeviceSettingsPanel } from '../pos/DeviceSettingsPanel';
import { OrdersPanel } from '../pos/OrdersPanel';
import { PaymentsTab } from '../pos/payments/PaymentsTab';
import { ProductsPanel } from '../pos/ProductsPanel';
import { SalesPanel } from '../pos/SalesPanel';
import { StaffCallAlerts } from '../pos/StaffCallAlerts';
import { StaffCallsPanel } from '../pos/StaffCallsPanel';
import { KiosksPanel } from './KiosksPanel';

type Tabs = ReturnType<typeof useI18n>['t']['pos']['tabs'];

// the tabs in order; each has its route below
const tabs: ReadonlyArray<{ path: string; label: keyof Tabs }> = [
  { path: 'kiosks', label: 'kiosks' },
  { path: 'products', label: 'products' },
  { path: 'orders', label: 'orders' },
  { path: 'sales', label: 'sales' },
  { path: 'consultations', label: 'consultations' },
  { path: 'customers', label: 'customers' },
  { path: 'devices', label: 'devices' },
];

export function PosHome() {
  const { t } = useI18n();
  useTitle(t.pos.title);
  const { me, error, reload } = useMe<AccountProfile>('owner');
  const [notice, setNotice] = useState<string>();
  const { pathname } = useLocation();
  // a notice belongs to the tab it came from
  useEffect(() => setNotice(undefined), [pathname]);

  if (!me?.store) return <AccountHomePending title={t.pos.title} error={error} onRetry={reload} />;
  const store = me.store;

  return (
    <AccountHome role="owner" email={me.email} heading={store.name} subtitle={t.pos.storeOf(me.brand.name)} onNotice={setNotice}>
      <nav aria-label={t.pos.navLabel} className="tabs">
        <ul>
          {tabs.map((tab) => (
            <li key={tab.path}>
              <NavLink to={`/pos/${tab.path}`} className="tab">
                {t.pos.tabs[tab.label]}
              </NavLink>
            </li>
          ))}
          <li>
            <NavLink to="/pos/payments" className="tab">
              {t.posPayments.tab}
            </NavLink>
          </li>
          <li>
            <NavLink to="/pos/staff-calls" className="tab">
              {t.staffCall.pos.tab}
            </NavLink>
          </li>
        </ul>
      </nav>
      {/* a kiosk's call for a person, live above whichever tab is open */}
      <StaffCallAlerts storeId={store.id} timeZone={store.timeZone} />
      <div className="pos-notice">
        <Notice>{notice}</Notice>
      </div>
      <Routes>
        <Route index element={<Navigate to="kiosks" replace />} />
        <Route path="kiosks" element={<KiosksPanel storeId={store.id} timeZone={store.timeZone} onNotice={setNotice} />} />
        <Route path="products" element={<ProductsPanel storeId={store.id} onNotice={setNotice} />} />
        <Route path="orders" element={<OrdersPanel storeId={store.id} timeZone={store.timeZone} onNotice={setNotice} />} />
        <Route path="sales" element={<SalesPanel storeId={store.id} timeZone={store.timeZone} />} />
        <Route path="consultations" element={<ConsultationsPanel storeId={store.id} timeZone={store.timeZone} />} />
        <Route path="customers" element={<CustomersPanel storeId={store.id} timeZone={store.timeZone} onNotice={setNotice} />} />
        <Route path="devices" element={<DeviceSettingsPanel storeId={store.id} onNotice={setNotice} />} />
        <Route path="payments" element={<PaymentsTab storeId={store.id} timeZone={store.timeZone} onNotice={setNotice} />} />
        <Route path="staff-calls" element={<StaffCallsPanel storeId={store.id} timeZone={store.timeZone} />} />
        <Route path="*" element={<Navigate to="kiosks" replace />} />
      </Routes>
    </AccountHome>
  );
}
