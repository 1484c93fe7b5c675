// Messages that assistive technology reads out: errors at once (role="alert"), notices politely.
import type { ReactNode } from 'react';

export function ErrorAlert({ children }: { children?: ReactNode }) {
  // the live region is always there, so that a new message in it is announced
  return (
    <div role="alert" className={children ? 'alert alert-error' : 'alert-empty'}>
      {children}
    </div>
  );
}

export function Notice({ children, tone = 'success' }: { children?: ReactNode; tone?: 'success' | 'info' }) {
  return (
    <div role="status" className={children ? `alert alert-${tone}` : 'alert-empty'}>
      {children}
    </div>
  );
}
