// Sign-up in three steps: prove the email with a code, then the account's details.
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, ApiError, type AccountRole } from '../api/client';
import { CodeActions, EmailStep, emailProblem, isCodeMismatch, NewPasswordFields, SubmitButton, useNewPassword } from '../components/AccountForms';
import { ErrorAlert, Notice } from '../components/Alert';
import { CodeField, TextField } from '../components/Field';
import { Page } from '../components/Page';
import { useFormErrors } from '../components/useSubmit';
import { homeOf, useFocusOnChange, useSecondsUntil } from '../hooks';
import { errorText, useI18n, useTitle } from '../i18n';

type Step = 1 | 2 | 3;
type BrandLookup = { state: 'idle' } | { state: 'checking' } | { state: 'found'; name: string } | { state: 'unknown' } | { state: 'failed'; message: string };

export function Signup() {
  const { t } = useI18n();
  useTitle(t.signup.title);
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [role, setRole] = useState<AccountRole>(params.get('role') === 'counselor' ? 'counselor' : 'owner');
  const [step, setStep] = useState<Step>(1);
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [resendAt, setResendAt] = useState<number>();
  const [codeMinutes, setCodeMinutes] = useState<number>();
  const [verificationToken, setVerificationToken] = useState('');
  const [brandCode, setBrandCode] = useState('');
  const [brand, setBrand] = useState<BrandLookup>({ state: 'idle' });
  const newPassword = useNewPassword();
  const [storeName, setStoreName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const { formRef, fieldErrors, setFieldErrors, error, setError, fail, busy, run } = useFormErrors();
  const [notice, setNotice] = useState<string>();
  const resendIn = useSecondsUntil(resendAt);
  const headingRef = useFocusOnChange<HTMLHeadingElement>(step);

  // the brand's name, live, while the code is typed
  useEffect(() => {
    const wanted = brandCode.trim().toUpperCase();
    if (wanted.length < 3) {
      setBrand({ state: 'idle' });
      return;
    }
    let current = true;
    setBrand({ state: 'checking' });
    const timer = window.setTimeout(() => {
      api.brandByCode(wanted).then(
        (found) => current && setBrand({ state: 'found', name: found.name }),
        (caught: unknown) => {
          if (!current) return;
          if (caught instanceof ApiError && (caught.code === 'unknown_brand_code' || caught.status === 404 || caught.code === 'validation_failed')) {
            setBrand({ state: 'unknown' });
          } else {
            setBrand({ state: 'failed', message: errorText(t, caught) });
          }
        },
      );
    }, 350);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [brandCode, t]);

  /** a new trip to the server: the last one's notice and field errors go (run clears the error) */
  const begin = () => {
    setNotice(undefined);
    setFieldErrors({});
  };

  /** sends a code to the email, then asks for it */
  const deliverCode = async (again: boolean) => {
    const sent = await api.sendEmailCode(email.trim());
    setResendAt(Date.now() + sent.resendAfterSeconds * 1000);
    setCodeMinutes(Math.max(1, Math.round(sent.expiresInSeconds / 60)));
    setCode('');
    if (again) setNotice(t.signup.resent);
    setStep(2);
  };

  const resendCode = () => {
    begin();
    void run(() => deliverCode(true));
  };

  const submitEmail = async (event: FormEvent) => {
    event.preventDefault();
    const problem = emailProblem(t, email);
    if (problem) return fail({ email: problem });
    const value = email.trim();
    begin();
    await run(async () => {
      // the check only saves a trip (a failed check counts as free): sign-up itself refuses a taken email
      const taken = await api.emailAvailable(role, value).then(
        ({ available }) => !available,
        () => false,
      );
      if (taken) {
        setFieldErrors({ email: t.errors.email_taken });
        setError(t.errors.email_taken);
        return;
      }
      await deliverCode(false);
    });
  };

  const submitCode = async (event: FormEvent) => {
    event.preventDefault();
    const value = code.trim();
    if (!/^\d{6}$/.test(value)) return fail({ code: t.validation.code });
    begin();
    await run(
      async () => {
        const verified = await api.verifyEmailCode(email.trim(), value);
        setVerificationToken(verified.verificationToken);
        setStep(3);
      },
      { onError: (caught) => isCodeMismatch(caught) && setFieldErrors({ code: t.errors.code_mismatch }) },
    );
  };

  const submitAccount = async (event: FormEvent) => {
    event.preventDefault();
    const problems = newPassword.problems();
    if (!brandCode.trim()) problems.brandCode = t.validation.required(t.signup.brandCode);
    else if (brand.state === 'unknown') problems.brandCode = t.errors.unknown_brand_code;
    if (role === 'owner' && !storeName.trim()) problems.storeName = t.validation.required(t.signup.storeName);
    if (Object.keys(problems).length > 0) return fail(problems);
    begin();
    await run(
      async () => {
        await api.signUp(role, {
          email: email.trim(),
          password: newPassword.password,
          brandCode: brandCode.trim().toUpperCase(),
          ...(role === 'owner' ? { storeName: storeName.trim() } : {}),
          ...(displayName.trim() ? { displayName: displayName.trim() } : {}),
          verificationToken,
        });
        try {
          await api.login(role, email.trim(), newPassword.password);
          navigate(homeOf(role), { replace: true });
        } catch {
          // the account exists; logging in by hand is all that is left
          navigate(`/login?role=${role}`, { replace: true, state: { email: email.trim() } });
        }
      },
      {
        onError: (caught) => {
          if (caught instanceof ApiError && caught.code === 'email_not_verified') setStep(1);
          else if (caught instanceof ApiError && caught.code === 'unknown_brand_code') setFieldErrors({ brandCode: t.errors.unknown_brand_code });
        },
      },
    );
  };

  const brandStatus =
    brand.state === 'checking' ? (
      t.signup.brandChecking
    ) : brand.state === 'found' ? (
      <strong className="brand-found">{t.signup.brandFound(brand.name)}</strong>
    ) : brand.state === 'failed' ? (
      brand.message
    ) : (
      ''
    );

  return (
    <Page>
      <h1>{t.signup.title}</h1>
      <p className="step-count">{t.signup.stepOf(step, 3)}</p>
      <Notice>{notice}</Notice>

      {step === 1 ? (
        <EmailStep
          formRef={formRef}
          onSubmit={submitEmail}
          roleLegend={t.signup.roleLegend}
          role={role}
          onRole={setRole}
          email={{ label: t.fields.email, hint: t.signup.emailHint, autoComplete: 'email', value: email, onChange: setEmail, error: fieldErrors.email }}
          error={error}
          submit={{ busy, label: t.signup.sendCode, busyLabel: t.signup.sending }}
        >
          <h2 ref={headingRef} tabIndex={-1}>
            {t.signup.step1}
          </h2>
        </EmailStep>
      ) : null}

      {step === 2 ? (
        <form ref={formRef} onSubmit={submitCode} noValidate className="form">
          <h2 ref={headingRef} tabIndex={-1}>
            {t.signup.step2}
          </h2>
          <p>{t.signup.codeSentTo(email.trim())}</p>
          {codeMinutes ? <p className="hint">{t.signup.codeValidFor(codeMinutes)}</p> : null}
          <CodeField label={t.signup.code} value={code} onCode={setCode} error={fieldErrors.code} />
          <ErrorAlert>{error}</ErrorAlert>
          <SubmitButton busy={busy} label={t.signup.verify} busyLabel={t.signup.verifying} />
          <CodeActions
            resendLabel={t.signup.resend}
            resendDisabled={busy || resendIn > 0}
            onResend={resendCode}
            onChangeEmail={() => {
              setStep(1);
              setError(undefined);
              setNotice(undefined);
            }}
          />
          {resendIn > 0 ? <p className="hint">{t.signup.resendIn(resendIn)}</p> : null}
        </form>
      ) : null}

      {step === 3 ? (
        <form ref={formRef} onSubmit={submitAccount} noValidate className="form">
          <h2 ref={headingRef} tabIndex={-1}>
            {t.signup.step3}
          </h2>
          <p className="confirmed">✓ {t.signup.verified(email.trim())}</p>
          <TextField
            label={t.signup.brandCode}
            hint={t.signup.brandCodeHint}
            autoCapitalize="characters"
            autoComplete="off"
            spellCheck={false}
            value={brandCode}
            onChange={(event) => setBrandCode(event.target.value.toUpperCase())}
            status={brandStatus}
            error={fieldErrors.brandCode ?? (brand.state === 'unknown' ? t.errors.unknown_brand_code : undefined)}
          />
          {role === 'owner' ? (
            <TextField
              label={t.signup.storeName}
              hint={t.signup.storeNameHint}
              autoComplete="organization"
              maxLength={60}
              value={storeName}
              onChange={(event) => setStoreName(event.target.value)}
              error={fieldErrors.storeName}
            />
          ) : null}
          <TextField
            label={t.signup.displayName}
            optional
            autoComplete="name"
            maxLength={40}
            value={displayName}
            onChange={(event) => setDisplayName(event.target.value)}
          />
          <NewPasswordFields value={newPassword} labels={{ password: t.signup.password, confirm: t.signup.passwordConfirm }} errors={fieldErrors} />
          <ErrorAlert>{error}</ErrorAlert>
          <SubmitButton busy={busy} label={t.signup.submit} busyLabel={t.signup.submitting} />
        </form>
      ) : null}

      <p className="after-form">
        {t.signup.haveAccount} <Link to={`/login?role=${role}`}>{t.signup.login}</Link>
      </p>
    </Page>
  );
}
