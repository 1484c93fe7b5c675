// Password reset: ask for a code by email (the answer never tells whether the account exists), then
// set a new password with it. ?email=&role=&code= fill the form in (a link in the mail).
import { useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, ApiError, type AccountRole } from '../api/client';
import { ErrorAlert, Notice } from '../components/Alert';
import { PasswordField, TextField } from '../components/Field';
import { Page } from '../components/Page';
import { RoleChoice } from '../components/RoleChoice';
import { emailPattern, useFocusOnChange } from '../hooks';
import { errorText, useI18n, useTitle } from '../i18n';

const accountRoles: readonly AccountRole[] = ['owner', 'counselor'];

export function ResetPassword() {
  const { t } = useI18n();
  useTitle(t.reset.title);
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const initialCode = (params.get('code') ?? '').replace(/\D/g, '').slice(0, 6);
  const initialEmail = params.get('email') ?? '';
  const [role, setRole] = useState<AccountRole>(params.get('role') === 'counselor' ? 'counselor' : 'owner');
  const [email, setEmail] = useState(initialEmail);
  const [step, setStep] = useState<1 | 2>(initialEmail && initialCode ? 2 : 1);
  const [code, setCode] = useState(initialCode);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const headingRef = useFocusOnChange<HTMLHeadingElement>(step);
  const formRef = useRef<HTMLFormElement>(null);

  const fail = (problems: Record<string, string>) => {
    setFieldErrors(problems);
    setError(t.validation.fixFields);
    window.setTimeout(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
  };

  const requestCode = async (event?: FormEvent) => {
    event?.preventDefault();
    const value = email.trim();
    if (!value) return fail({ email: t.validation.required(t.fields.email) });
    if (!emailPattern.test(value)) return fail({ email: t.validation.email });
    setFieldErrors({});
    setError(undefined);
    setNotice(undefined);
    setBusy(true);
    try {
      await api.requestPasswordReset(role, value);
      setNotice(t.reset.sent);
      setCode('');
      setStep(2);
    } catch (caught) {
      setError(errorText(t, caught));
    } finally {
      setBusy(false);
    }
  };

  const confirmReset = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!/^\d{6}$/.test(code)) problems.code = t.validation.code;
    if (password.length < 8) problems.password = t.validation.passwordLength;
    if (confirm !== password) problems.confirm = t.validation.passwordMismatch;
    if (Object.keys(problems).length > 0) return fail(problems);
    setFieldErrors({});
    setError(undefined);
    setBusy(true);
    try {
      await api.confirmPasswordReset(role, email.trim(), code, password);
      navigate(`/login?role=${role}`, { replace: true, state: { notice: 'passwordReset', email: email.trim() } });
    } catch (caught) {
      setBusy(false);
      setError(errorText(t, caught));
      if (caught instanceof ApiError && caught.code === 'code_mismatch') setFieldErrors({ code: t.errors.code_mismatch });
    }
  };

  return (
    <Page>
      <h1>{t.reset.title}</h1>
      <Notice>{notice}</Notice>
      {step === 1 ? (
        <form ref={formRef} onSubmit={requestCode} noValidate className="form">
          <p ref={headingRef} tabIndex={-1}>
            {t.reset.intro}
          </p>
          <RoleChoice legend={t.reset.roleLegend} options={accountRoles} value={role} onChange={setRole} />
          <TextField
            label={t.reset.email}
            type="email"
            inputMode="email"
            autoComplete="username"
            autoCapitalize="off"
            spellCheck={false}
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            error={fieldErrors.email}
          />
          <ErrorAlert>{error}</ErrorAlert>
          <button type="submit" className="button button-primary button-block" disabled={busy}>
            {busy ? t.reset.sending : t.reset.send}
          </button>
        </form>
      ) : (
        <form ref={formRef} onSubmit={confirmReset} noValidate className="form">
          <p ref={headingRef} tabIndex={-1} className="summary-line">
            <span>
              {t.roles[role]} · <strong>{email.trim()}</strong>
            </span>
          </p>
          <TextField
            label={t.reset.code}
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]*"
            maxLength={6}
            className="field-code"
            value={code}
            onChange={(event) => setCode(event.target.value.replace(/\D/g, '').slice(0, 6))}
            error={fieldErrors.code}
          />
          <PasswordField
            label={t.reset.newPassword}
            hint={t.signup.passwordHint}
            autoComplete="new-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            error={fieldErrors.password}
          />
          <PasswordField
            label={t.reset.newPasswordConfirm}
            autoComplete="new-password"
            value={confirm}
            onChange={(event) => setConfirm(event.target.value)}
            error={fieldErrors.confirm}
          />
          <ErrorAlert>{error}</ErrorAlert>
          <button type="submit" className="button button-primary button-block" disabled={busy}>
            {busy ? t.reset.submitting : t.reset.submit}
          </button>
          <div className="button-row">
            <button type="button" className="button button-secondary" disabled={busy} onClick={() => void requestCode()}>
              {t.reset.resend}
            </button>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setStep(1);
                setError(undefined);
                setNotice(undefined);
              }}
            >
              {t.signup.changeEmail}
            </button>
          </div>
        </form>
      )}
      <p className="after-form">
        <Link to={`/login?role=${role}`}>{t.reset.backToLogin}</Link>
      </p>
    </Page>
  );
}
