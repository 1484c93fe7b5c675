// Sign-up in three steps: prove the email with a code, then the account's details.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, ApiError, type AccountRole } from '../api/client';
import { ErrorAlert, Notice } from '../components/Alert';
import { PasswordField, TextField } from '../components/Field';
import { Page } from '../components/Page';
import { RoleChoice } from '../components/RoleChoice';
import { emailPattern, homeOf, useFocusOnChange, useSecondsUntil } from '../hooks';
import { errorText, useI18n, useTitle } from '../i18n';

const accountRoles: readonly AccountRole[] = ['owner', 'counselor'];
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
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [storeName, setStoreName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const resendIn = useSecondsUntil(resendAt);
  const headingRef = useFocusOnChange<HTMLHeadingElement>(step);
  const formRef = useRef<HTMLFormElement>(null);

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

  const fail = (problems: Record<string, string>) => {
    setFieldErrors(problems);
    setError(t.validation.fixFields);
    window.setTimeout(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
  };

  const begin = () => {
    setError(undefined);
    setNotice(undefined);
    setFieldErrors({});
    setBusy(true);
  };

  const sendCode = async (again: boolean) => {
    begin();
    try {
      const sent = await api.sendEmailCode(email.trim());
      setResendAt(Date.now() + sent.resendAfterSeconds * 1000);
      setCodeMinutes(Math.max(1, Math.round(sent.expiresInSeconds / 60)));
      setCode('');
      if (again) setNotice(t.signup.resent);
      setStep(2);
    } catch (caught) {
      setError(errorText(t, caught));
    } finally {
      setBusy(false);
    }
  };

  const submitEmail = async (event: FormEvent) => {
    event.preventDefault();
    const value = email.trim();
    if (!value) return fail({ email: t.validation.required(t.fields.email) });
    if (!emailPattern.test(value)) return fail({ email: t.validation.email });
    begin();
    try {
      const { available } = await api.emailAvailable(role, value);
      if (!available) {
        setBusy(false);
        setFieldErrors({ email: t.errors.email_taken });
        setError(t.errors.email_taken);
        return;
      }
    } catch {
      // the check only saves a trip; sign-up itself refuses a taken email
    }
    await sendCode(false);
  };

  const submitCode = async (event: FormEvent) => {
    event.preventDefault();
    const value = code.trim();
    if (!/^\d{6}$/.test(value)) return fail({ code: t.validation.code });
    begin();
    try {
      const verified = await api.verifyEmailCode(email.trim(), value);
      setVerificationToken(verified.verificationToken);
      setStep(3);
    } catch (caught) {
      setError(errorText(t, caught));
      if (caught instanceof ApiError && caught.code === 'code_mismatch') setFieldErrors({ code: t.errors.code_mismatch });
    } finally {
      setBusy(false);
    }
  };

  const submitAccount = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!brandCode.trim()) problems.brandCode = t.validation.required(t.signup.brandCode);
    else if (brand.state === 'unknown') problems.brandCode = t.errors.unknown_brand_code;
    if (password.length < 8) problems.password = t.validation.passwordLength;
    if (confirm !== password) problems.confirm = t.validation.passwordMismatch;
    if (role === 'owner' && !storeName.trim()) problems.storeName = t.validation.required(t.signup.storeName);
    if (Object.keys(problems).length > 0) return fail(problems);
    begin();
    try {
      await api.signUp(role, {
        email: email.trim(),
        password,
        brandCode: brandCode.trim().toUpperCase(),
        ...(role === 'owner' ? { storeName: storeName.trim() } : {}),
        ...(displayName.trim() ? { displayName: displayName.trim() } : {}),
        verificationToken,
      });
    } catch (caught) {
      setBusy(false);
      if (caught instanceof ApiError && caught.code === 'email_not_verified') {
        setStep(1);
      } else if (caught instanceof ApiError && caught.code === 'unknown_brand_code') {
        setFieldErrors({ brandCode: t.errors.unknown_brand_code });
      }
      setError(errorText(t, caught));
      return;
    }
    try {
      await api.login(role, email.trim(), password);
      navigate(homeOf(role), { replace: true });
    } catch {
      // the account exists; logging in by hand is all that is left
      navigate(`/login?role=${role}`, { replace: true, state: { email: email.trim() } });
    }
  };

  const brandStatus =
    brand.state === 'checking'
      ? t.signup.brandChecking
      : brand.state === 'found'
        ? <strong className="brand-found">{t.signup.brandFound(brand.name)}</strong>
        : brand.state === 'failed'
          ? brand.message
          : '';

  return (
    <Page>
      <h1>{t.signup.title}</h1>
      <p className="step-count">{t.signup.stepOf(step, 3)}</p>
      <Notice>{notice}</Notice>

      {step === 1 ? (
        <form ref={formRef} onSubmit={submitEmail} noValidate className="form">
          <h2 ref={headingRef} tabIndex={-1}>
            {t.signup.step1}
          </h2>
          <RoleChoice legend={t.signup.roleLegend} options={accountRoles} value={role} onChange={setRole} />
          <TextField
            label={t.fields.email}
            hint={t.signup.emailHint}
            type="email"
            inputMode="email"
            autoComplete="email"
            autoCapitalize="off"
            spellCheck={false}
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            error={fieldErrors.email}
          />
          <ErrorAlert>{error}</ErrorAlert>
          <button type="submit" className="button button-primary button-block" disabled={busy}>
            {busy ? t.signup.sending : t.signup.sendCode}
          </button>
        </form>
      ) : null}

      {step === 2 ? (
        <form ref={formRef} onSubmit={submitCode} noValidate className="form">
          <h2 ref={headingRef} tabIndex={-1}>
            {t.signup.step2}
          </h2>
          <p>{t.signup.codeSentTo(email.trim())}</p>
          {codeMinutes ? <p className="hint">{t.signup.codeValidFor(codeMinutes)}</p> : null}
          <TextField
            label={t.signup.code}
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]*"
            maxLength={6}
            className="field-code"
            value={code}
            onChange={(event) => setCode(event.target.value.replace(/\D/g, '').slice(0, 6))}
            error={fieldErrors.code}
          />
          <ErrorAlert>{error}</ErrorAlert>
          <button type="submit" className="button button-primary button-block" disabled={busy}>
            {busy ? t.signup.verifying : t.signup.verify}
          </button>
          <div className="button-row">
            <button type="button" className="button button-secondary" disabled={busy || resendIn > 0} onClick={() => void sendCode(true)}>
              {t.signup.resend}
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
          <PasswordField
            label={t.signup.password}
            hint={t.signup.passwordHint}
            autoComplete="new-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            error={fieldErrors.password}
          />
          <PasswordField
            label={t.signup.passwordConfirm}
            autoComplete="new-password"
            value={confirm}
            onChange={(event) => setConfirm(event.target.value)}
            error={fieldErrors.confirm}
          />
          <ErrorAlert>{error}</ErrorAlert>
          <button type="submit" className="button button-primary button-block" disabled={busy}>
            {busy ? t.signup.submitting : t.signup.submit}
          </button>
        </form>
      ) : null}

      <p className="after-form">
        {t.signup.haveAccount} <Link to={`/login?role=${role}`}>{t.signup.login}</Link>
      </p>
    </Page>
  );
}
