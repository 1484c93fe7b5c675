import { useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { api, isRole, roles, type Role } from '../api/client';
import { ErrorAlert, Notice } from '../components/Alert';
import { EmailField, PasswordField, TextField } from '../components/Field';
import { Page } from '../components/Page';
import { RoleChoice } from '../components/RoleChoice';
import { emailPattern, homeOf } from '../hooks';
import { errorText, useI18n, useTitle } from '../i18n';

type Notices = 'passwordReset' | 'sessionExpired' | 'loggedOut';

export function Login() {
  const { t } = useI18n();
  useTitle(t.login.title);
  const navigate = useNavigate();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const state = (location.state ?? {}) as { notice?: Notices; email?: string };
  const roleParam = params.get('role');
  const [role, setRole] = useState<Role>(isRole(roleParam) ? roleParam : 'owner');
  const [email, setEmail] = useState(state.email ?? params.get('email') ?? '');
  const [password, setPassword] = useState('');
  const [loginId, setLoginId] = useState('');
  const [secret, setSecret] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [noticeShown, setNoticeShown] = useState(true);
  const formRef = useRef<HTMLFormElement>(null);

  const chooseRole = (next: Role) => {
    setRole(next);
    setError(undefined);
    setFieldErrors({});
    setParams((current) => {
      const updated = new URLSearchParams(current);
      updated.set('role', next);
      return updated;
    }, { replace: true, state: location.state });
  };

  const validate = (): Record<string, string> => {
    const problems: Record<string, string> = {};
    if (role === 'kiosk') {
      if (!loginId.trim()) problems.loginId = t.validation.required(t.login.loginId);
      if (!secret.trim()) problems.secret = t.validation.required(t.login.secret);
    } else {
      if (!email.trim()) problems.email = t.validation.required(t.login.email);
      else if (!emailPattern.test(email.trim())) problems.email = t.validation.email;
      if (!password) problems.password = t.validation.required(t.login.password);
    }
    return problems;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setNoticeShown(false);
    const problems = validate();
    setFieldErrors(problems);
    if (Object.keys(problems).length > 0) {
      setError(t.validation.fixFields);
      window.setTimeout(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      if (role === 'kiosk') await api.kioskLogin(loginId.trim(), secret.trim());
      else await api.login(role, email.trim(), password);
      navigate(homeOf(role), { replace: true });
    } catch (caught) {
      setError(errorText(t, caught, role === 'kiosk' ? { invalid_credentials: t.login.kioskInvalid } : {}));
      setBusy(false);
    }
  };

  const notice = noticeShown && state.notice ? t.login.notices[state.notice] : undefined;

  return (
    <Page>
      <h1>{t.login.title}</h1>
      <Notice tone={state.notice === 'passwordReset' ? 'success' : 'info'}>{notice}</Notice>
      <form ref={formRef} onSubmit={submit} noValidate className="form">
        <RoleChoice legend={t.login.roleLegend} options={roles} value={role} onChange={chooseRole} />
        {role === 'kiosk' ? (
          <>
            <p className="hint">{t.login.kioskHint}</p>
            <TextField
              label={t.login.loginId}
              name="loginId"
              autoComplete="username"
              autoCapitalize="off"
              spellCheck={false}
              value={loginId}
              onChange={(event) => setLoginId(event.target.value)}
              error={fieldErrors.loginId}
            />
            <PasswordField
              label={t.login.secret}
              name="secret"
              autoComplete="current-password"
              value={secret}
              onChange={(event) => setSecret(event.target.value)}
              error={fieldErrors.secret}
            />
          </>
        ) : (
          <>
            <EmailField
              label={t.login.email}
              name="email"
              autoComplete="username"
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              error={fieldErrors.email}
            />
            <PasswordField
              label={t.login.password}
              name="password"
              autoComplete="current-password"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              error={fieldErrors.password}
            />
          </>
        )}
        <ErrorAlert>{error}</ErrorAlert>
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? t.login.submitting : t.login.submit}
        </button>
      </form>
      {role !== 'kiosk' ? (
        <div className="after-form">
          <p>
            {t.login.noAccount} <Link to={`/signup?role=${role}`}>{t.login.signup}</Link>
          </p>
          <p>
            {t.login.forgot}{' '}
            <Link to={`/reset-password?role=${role}${email.trim() ? `&email=${encodeURIComponent(email.trim())}` : ''}`}>
              {t.login.resetPassword}
            </Link>
          </p>
        </div>
      ) : null}
    </Page>
  );
}
