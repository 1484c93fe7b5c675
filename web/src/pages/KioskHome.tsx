// The kiosk's home: a full-screen welcome for the store. Ordering comes in a later issue.
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, type KioskProfile } from '../api/client';
import { ErrorAlert, Notice } from '../components/Alert';
import { Dialog } from '../components/Dialog';
import { LanguageToggle } from '../components/LanguageToggle';
import { useMe } from '../hooks';
import { errorText, useI18n, useTitle } from '../i18n';

export function KioskHome() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { me, error, reload } = useMe<KioskProfile>('kiosk');
  const [confirming, setConfirming] = useState(false);
  const [orderNotice, setOrderNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  useTitle(me ? me.store.name : t.roles.kiosk);

  const logout = async () => {
    setBusy(true);
    await api.logout('kiosk');
    navigate('/login?role=kiosk', { replace: true, state: { notice: 'loggedOut' } });
  };

  return (
    <div className="kiosk-screen">
      <header className="kiosk-top">
        <p className="kiosk-brand">{me ? me.brand.name : ''}</p>
        <LanguageToggle />
      </header>
      <main id="main" className="kiosk-main">
        {me ? (
          <>
            <p className="kiosk-welcome">{t.kiosk.welcome}</p>
            <h1 className="kiosk-store">{me.store.name}</h1>
            <button type="button" className="kiosk-order" onClick={() => setOrderNotice(t.kiosk.orderSoon)}>
              <span className="kiosk-order-label">{t.kiosk.order}</span>
              <span className="kiosk-order-hint">{t.kiosk.orderHint}</span>
            </button>
            <Notice tone="info">{orderNotice}</Notice>
          </>
        ) : error ? (
          <>
            <ErrorAlert>{errorText(t, error)}</ErrorAlert>
            <button type="button" className="button button-primary" onClick={() => void reload()}>
              {t.common.retry}
            </button>
          </>
        ) : (
          <p role="status" className="kiosk-welcome">
            {t.common.loading}
          </p>
        )}
      </main>
      <footer className="kiosk-bottom">
        <button type="button" className="staff-button" onClick={() => setConfirming(true)}>
          {t.kiosk.staffLogout}
        </button>
        {me ? <span className="kiosk-device">{me.name}</span> : null}
      </footer>
      {confirming ? (
        <Dialog title={t.kiosk.logoutTitle} onClose={() => setConfirming(false)}>
          <p>{t.kiosk.logoutText}</p>
          <div className="button-row">
            <button type="button" className="button button-danger" disabled={busy} onClick={() => void logout()}>
              {t.kiosk.logoutConfirm}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setConfirming(false)} data-autofocus>
              {t.common.cancel}
            </button>
          </div>
        </Dialog>
      ) : null}
    </div>
  );
}
