// The counselor's home: who and for which brand, the account menu, and the consultation console.
import { useState } from 'react';
import type { AccountProfile } from '../api/client';
import { AccountMenu } from '../components/AccountMenu';
import { ErrorAlert, Notice } from '../components/Alert';
import { Loading, Page } from '../components/Page';
import { CounselorConsole } from '../counselor/CounselorConsole';
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
      <CounselorConsole />
    </Page>
  );
}
