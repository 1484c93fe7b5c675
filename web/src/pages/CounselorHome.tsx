// The counselor's home: who and for which brand, the (coming) availability switch, the account menu.
import { useState } from 'react';
import type { AccountProfile } from '../api/client';
import { AccountMenu } from '../components/AccountMenu';
import { ErrorAlert, Notice } from '../components/Alert';
import { Loading, Page } from '../components/Page';
import { useMe } from '../hooks';
import { errorText, useI18n, useTitle } from '../i18n';

export function CounselorHome() {
  const { t } = useI18n();
  useTitle(t.counselor.title);
  const { me, error, reload } = useMe<AccountProfile>('counselor');
  const [notice, setNotice] = useState<string>();

  if (!me) {
    return (
      <Page width="wide">
        <h1>{t.counselor.title}</h1>
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

  return (
    <Page width="wide" actions={<AccountMenu role="counselor" email={me.email} onNotice={setNotice} />}>
      <div className="page-head">
        <h1>{me.displayName || me.email}</h1>
        <p className="page-subtitle">{t.counselor.brandLine(me.brand.name)}</p>
      </div>
      <Notice>{notice}</Notice>
      <section className="panel">
        <fieldset className="status-choice" disabled aria-describedby="status-soon">
          <legend>{t.counselor.statusLegend}</legend>
          <div className="status-options">
            <label className="status-option">
              <input type="radio" name="status" value="online" />
              <span>{t.counselor.online}</span>
            </label>
            <label className="status-option">
              <input type="radio" name="status" value="away" defaultChecked />
              <span>{t.counselor.away}</span>
            </label>
          </div>
        </fieldset>
        <p id="status-soon" className="coming-soon">
          <span className="badge">{t.common.comingSoon}</span> {t.counselor.statusSoon}
        </p>
      </section>
    </Page>
  );
}
