import { useState, type ChangeEvent, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { api, isRole, roles, type Role } from '../api/client';
import { SubmitButton } from '../components/AccountForms';
import { ErrorAlert, Notice } from '../components/Alert';
import { EmailField, PasswordField, TextField } from '../components/Field';
import { Page } from '../components/Page';
import { RoleChoice } from '../components/RoleChoice';
import { useFormErrors } from '../components/useSubmit';
import { emailPattern, homeOf } from '../hooks';
import { useI18n, useTitle } from '../i18n';

type Notices = 'passwordReset' | 'sessionExpired' | 'loggedOut';
type Credential = 'email' | 'password' | 'loginId' | 'secret';

export function Login() {
  const { t } = useI18n();
  useTitle(t.login.title);
  const navigate = useNavigate();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const state = (location.state ?? {}) as { notice?: Notices; email?: string };
  const roleParam = params.get('role');
  const [role, setRole] = useState<Role>(isRole(roleParam) ? roleParam : 'owner');
  const [values, setValues] = useState<Record<Credential, string>>({
    email: state.email ?? params.get('email') ?? '',
    password: '',
    loginId: '',
    secret: '',
  });
  const { formRef, fieldErrors, setFieldErrors, error, setError, fail, busy, run } = useFormErrors();
  const [noticeShown, setNoticeShown] = useState(true);
  const { email, password, loginId, secret } = values;
  /** a credential field's name, value, error and typing */
  const field = (name: Credential) => ({
    name,
    value: values[name],
    onChange: (event: ChangeEvent<HTMLInputElement>) => setValues((current) => ({ ...current, [name]: event.target.value })),
    error: fieldErrors[name],
  });

  const chooseRole = (next: Role) => {
    setRole(next);
    setError(undefined);
    setFieldErrors({});
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        updated.set('role', next);
        return updated;
      },
      { replace: true, state: location.state },
    );
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
    if (Object.keys(problems).length > 0) return fail(problems);
    setFieldErrors({});
    await run(
      async () => {
        if (role === 'kiosk') await api.kioskLogin(loginId.trim(), secret.trim());
        else await api.login(role, email.trim(), password);
        navigate(homeOf(role), { replace: true });
      },
      { errors: role === 'kiosk' ? { invalid_credentials: t.login.kioskInvalid } : {} },
    );
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
            <TextField label={t.login.loginId} autoComplete="username" autoCapitalize="off" spellCheck={false} {...field('loginId')} />
            <PasswordField label={t.login.secret} autoComplete="current-password" {...field('secret')} />
          </>
        ) : (
          <>
            <EmailField label={t.login.email} autoComplete="username" {...field('email')} />
            <PasswordField label={t.login.password} autoComplete="current-password" {...field('password')} />
          </>
        )}
        <ErrorAlert>{error}</ErrorAlert>
        <SubmitButton busy={busy} label={t.login.submit} busyLabel={t.login.submitting} />
      </form>
      {role !== 'kiosk' ? (
        <div className="after-form">
          <p>
            {t.login.noAccount} <Link to={`/signup?role=${role}`}>{t.login.signup}</Link>
          </p>
          <p>
            {t.login.forgot}{' '}
            <Link to={`/reset-password?role=${role}${email.trim() ? `&email=${encodeURIComponent(email.trim())}` : ''}`}>{t.login.resetPassword}</Link>
          </p>
        </div>
      ) : null}
    </Page>
  );
}
