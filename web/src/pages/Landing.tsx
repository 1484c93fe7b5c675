import { Link, useLocation } from 'react-router-dom';
import { roles } from '../api/client';
import { Notice } from '../components/Alert';
import { Page } from '../components/Page';
import { useI18n, useTitle } from '../i18n';

export function Landing() {
  const { t } = useI18n();
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;
  useTitle(t.landing.title);
  return (
    <Page>
      <h1>{t.landing.title}</h1>
      <p className="lead">{t.landing.tagline}</p>
      <Notice>{notice === 'withdrawn' ? t.landing.withdrawn : null}</Notice>
      <h2 className="section-title">{t.landing.chooseRole}</h2>
      <ul className="big-choices">
        {roles.map((role) => (
          <li key={role}>
            <Link className="big-choice" to={`/login?role=${role}`}>
              <span className="big-choice-title">{t.roles[role]}</span>
              <span className="big-choice-hint">{t.roleHints[role]}</span>
            </Link>
          </li>
        ))}
      </ul>
      <ul className="link-list">
        <li>
          <Link to="/signup">{t.landing.signup}</Link>
        </li>
        <li>
          <a href="/docs">{t.landing.apiDocs}</a>
        </li>
      </ul>
    </Page>
  );
}
