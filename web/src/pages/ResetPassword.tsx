// Password reset: ask for a code by email (the answer never tells whether the account exists), then
// set a new password with it. ?email=&role=&code= fill the form in (a link in the mail).
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, type AccountRole } from '../api/client';
import { CodeActions, EmailStep, emailProblem, isCodeMismatch, NewPasswordFields, SubmitButton, useNewPassword } from '../components/AccountForms';
import { ErrorAlert, Notice } from '../components/Alert';
import { CodeField } from '../components/Field';
import { Page } from '../components/Page';
import { useFormErrors } from '../components/useSubmit';
import { useFocusOnChange } from '../hooks';
import { useI18n, useTitle } from '../i18n';

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
  const newPassword = useNewPassword();
  const { formRef, fieldErrors, setFieldErrors, error, setError, fail, busy, run } = useFormErrors();
  const [notice, setNotice] = useState<string>();
  const headingRef = useFocusOnChange<HTMLHeadingElement>(step);

  const requestCode = async (event?: FormEvent) => {
    event?.preventDefault();
    const problem = emailProblem(t, email);
    if (problem) return fail({ email: problem });
    const value = email.trim();
    setFieldErrors({});
    setNotice(undefined);
    await run(async () => {
      await api.requestPasswordReset(role, value);
      setNotice(t.reset.sent);
      setCode('');
      setStep(2);
    });
  };

  const confirmReset = async (event: FormEvent) => {
    event.preventDefault();
    const problems = newPassword.problems();
    if (!/^\d{6}$/.test(code)) problems.code = t.validation.code;
    if (Object.keys(problems).length > 0) return fail(problems);
    setFieldErrors({});
    await run(
      async () => {
        await api.confirmPasswordReset(role, email.trim(), code, newPassword.password);
        navigate(`/login?role=${role}`, { replace: true, state: { notice: 'passwordReset', email: email.trim() } });
      },
      { onError: (caught) => isCodeMismatch(caught) && setFieldErrors({ code: t.errors.code_mismatch }) },
    );
  };

  return (
    <Page>
      <h1>{t.reset.title}</h1>
      <Notice>{notice}</Notice>
      {step === 1 ? (
        <EmailStep
          formRef={formRef}
          onSubmit={requestCode}
          roleLegend={t.reset.roleLegend}
          role={role}
          onRole={setRole}
          email={{ label: t.reset.email, autoComplete: 'username', value: email, onChange: setEmail, error: fieldErrors.email }}
          error={error}
          submit={{ busy, label: t.reset.send, busyLabel: t.reset.sending }}
        >
          <p ref={headingRef} tabIndex={-1}>
            {t.reset.intro}
          </p>
        </EmailStep>
      ) : (
        <form ref={formRef} onSubmit={confirmReset} noValidate className="form">
          <p ref={headingRef} tabIndex={-1} className="summary-line">
            <span>
              {t.roles[role]} · <strong>{email.trim()}</strong>
            </span>
          </p>
          <CodeField label={t.reset.code} value={code} onCode={setCode} error={fieldErrors.code} />
          <NewPasswordFields value={newPassword} labels={{ password: t.reset.newPassword, confirm: t.reset.newPasswordConfirm }} errors={fieldErrors} />
          <ErrorAlert>{error}</ErrorAlert>
          <SubmitButton busy={busy} label={t.reset.submit} busyLabel={t.reset.submitting} />
          <CodeActions
            resendLabel={t.reset.resend}
            resendDisabled={busy}
            onResend={() => void requestCode()}
            onChangeEmail={() => {
              setStep(1);
              setError(undefined);
              setNotice(undefined);
            }}
          />
        </form>
      )}
      <p className="after-form">
        <Link to={`/login?role=${role}`}>{t.reset.backToLogin}</Link>
      </p>
    </Page>
  );
}
