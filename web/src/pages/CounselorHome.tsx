// The counselor's home: who and for which brand, the account menu, and the consultation console.
import { useState } from 'react';
import type { AccountProfile } from '../api/client';
import { AccountHome, AccountHomePending } from '../components/AccountHome';
import { Notice } from '../components/Alert';
import { CounselorConsole } from '../counselor/CounselorConsole';
import { useMe } from '../hooks';
import { useI18n, useTitle } from '../i18n';

export function CounselorHome() {
  const { t } = useI18n();
  useTitle(t.counselor.title);
  const { me, error, reload } = useMe<AccountProfile>('counselor');
  const [notice, setNotice] = useState<string>();

  if (!me) return <AccountHomePending title={t.counselor.title} error={error} onRetry={reload} />;

  return (
    <AccountHome role="counselor" email={me.email} heading={me.displayName || me.email} subtitle={t.counselor.brandLine(me.brand.name)} onNotice={setNotice}>
      <Notice>{notice}</Notice>
      <CounselorConsole />
    </AccountHome>
  );
}
