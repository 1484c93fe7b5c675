// The frame of every page but the kiosk's: a skip link, the top bar with the language switch, main;
// and what a page or list shows while its data loads, or when loading failed.
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { errorText, useI18n } from '../i18n';
import { ErrorAlert } from './Alert';
import { LanguageToggle } from './LanguageToggle';

export function Page({ children, width = 'narrow', actions }: { children: ReactNode; width?: 'narrow' | 'wide'; actions?: ReactNode }) {
  const { t } = useI18n();
  return (
    <>
      <a className="skip-link" href="#main">
        {t.common.skipToContent}
      </a>
      <header className="topbar">
        <div className={`topbar-inner container-${width}`}>
          <Link to="/" className="wordmark" aria-label={t.common.home}>
            Pinokio
          </Link>
          <div className="topbar-actions">
            {actions}
            <LanguageToggle />
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className={`container-${width}`}>
        {children}
      </main>
    </>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p role="status" className="loading">
      {t.common.loading}
    </p>
  );
}

/** loading failed: why, and a button that tries again */
export function LoadError({ error, onRetry, retryTone = 'primary' }: { error: unknown; onRetry(): void; retryTone?: 'primary' | 'secondary' }) {
  const { t } = useI18n();
  return (
    <>
      <ErrorAlert>{errorText(t, error)}</ErrorAlert>
      <button type="button" className={`button button-${retryTone}`} onClick={() => void onRetry()}>
        {t.common.retry}
      </button>
    </>
  );
}
