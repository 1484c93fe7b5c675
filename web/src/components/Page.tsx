// The frame of every page but the kiosk's: a skip link, the top bar with the language switch, main.
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useI18n } from '../i18n';
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
