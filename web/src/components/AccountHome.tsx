// The frame of a signed-in account's home (the store owner's POS, the counselor's console): until
// the profile is here, the page's title with "loading" or why it failed; then the account menu in
// the top bar and a heading with a subtitle.
import type { ReactNode } from 'react';
import type { AccountRole } from '../api/client';
import { AccountMenu } from './AccountMenu';
import { LoadError, Loading, Page } from './Page';

export function AccountHomePending({ title, error, onRetry }: { title: string; error?: unknown; onRetry(): void }) {
  return (
    <Page width="wide">
      <h1>{title}</h1>
      {error ? <LoadError error={error} onRetry={onRetry} /> : <Loading />}
    </Page>
  );
}

interface AccountHomeProps {
  role: AccountRole;
  email: string;
  heading: string;
  subtitle: string;
  /** the account menu's notices (password changed) */
  onNotice(text: string): void;
  children: ReactNode;
}

export function AccountHome({ role, email, heading, subtitle, onNotice, children }: AccountHomeProps) {
  return (
    <Page width="wide" actions={<AccountMenu role={role} email={email} onNotice={onNotice} />}>
      <div className="page-head">
        <h1>{heading}</h1>
        <p className="page-subtitle">{subtitle}</p>
      </div>
      {children}
    </Page>
  );
}
