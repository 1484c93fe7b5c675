// What the account forms share (sign-up, password reset; the password change in AccountMenu): the
// step that asks for an email (role, address, send), the emailed code's "send again" and "change
// email", and a new password typed twice.
import { useState, type FormEvent, type ReactNode, type RefObject } from 'react';
import { ApiError, type AccountRole } from '../api/client';
import { emailPattern } from '../hooks';
import { useI18n, type Messages } from '../i18n';
import { ErrorAlert } from './Alert';
import { EmailField, PasswordField } from './Field';
import { RoleChoice } from './RoleChoice';

/** the server refused the emailed code: the code field says so too */
export const isCodeMismatch = (caught: unknown) => caught instanceof ApiError && caught.code === 'code_mismatch';

/** what is wrong with an email address as typed (trimmed), if anything */
export function emailProblem(t: Messages, email: string): string | undefined {
  const value = email.trim();
  if (!value) return t.validation.required(t.fields.email);
  if (!emailPattern.test(value)) return t.validation.email;
  return undefined;
}

const accountRoles: readonly AccountRole[] = ['owner', 'counselor'];

/** the first step: whose account (owner or counselor) and the email address the code goes to */
export function EmailStep({
  formRef,
  onSubmit,
  children,
  roleLegend,
  role,
  onRole,
  email,
  error,
  submit,
}: {
  formRef: RefObject<HTMLFormElement | null>;
  onSubmit(event: FormEvent): void;
  /** the step's heading or introduction, first in the form */
  children: ReactNode;
  roleLegend: string;
  role: AccountRole;
  onRole(role: AccountRole): void;
  email: { label: string; hint?: string; autoComplete: string; value: string; onChange(value: string): void; error?: string };
  error?: string;
  submit: { busy: boolean; label: string; busyLabel: string };
}) {
  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="form">
      {children}
      <RoleChoice legend={roleLegend} options={accountRoles} value={role} onChange={onRole} />
      <EmailField
        label={email.label}
        hint={email.hint}
        autoComplete={email.autoComplete}
        value={email.value}
        onChange={(event) => email.onChange(event.target.value)}
        error={email.error}
      />
      <ErrorAlert>{error}</ErrorAlert>
      <SubmitButton {...submit} />
    </form>
  );
}

/** a new password typed twice */
export function useNewPassword() {
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  return {
    password,
    confirm,
    setPassword,
    setConfirm,
    /** what is wrong with it, under the keys `password` and `confirm` (the fields' errors) */
    problems(): Record<string, string> {
      const problems: Record<string, string> = {};
      if (password.length < 8) problems.password = t.validation.passwordLength;
      if (confirm !== password) problems.confirm = t.validation.passwordMismatch;
      return problems;
    },
  };
}

export function NewPasswordFields({
  value,
  labels,
  errors,
}: {
  value: ReturnType<typeof useNewPassword>;
  labels: { password: string; confirm: string };
  errors: Record<string, string>;
}) {
  const { t } = useI18n();
  return (
    <>
      <PasswordField
        label={labels.password}
        hint={t.signup.passwordHint}
        autoComplete="new-password"
        value={value.password}
        onChange={(event) => value.setPassword(event.target.value)}
        error={errors.password}
      />
      <PasswordField
        label={labels.confirm}
        autoComplete="new-password"
        value={value.confirm}
        onChange={(event) => value.setConfirm(event.target.value)}
        error={errors.confirm}
      />
    </>
  );
}

/** under the code: send it again, or go back and change the email */
export function CodeActions({
  resendLabel,
  resendDisabled,
  onResend,
  onChangeEmail,
}: {
  resendLabel: string;
  resendDisabled: boolean;
  onResend(): void;
  onChangeEmail(): void;
}) {
  const { t } = useI18n();
  return (
    <div className="button-row">
      <button type="button" className="button button-secondary" disabled={resendDisabled} onClick={onResend}>
        {resendLabel}
      </button>
      <button type="button" className="button button-secondary" onClick={onChangeEmail}>
        {t.signup.changeEmail}
      </button>
    </div>
  );
}

export function SubmitButton({ busy, label, busyLabel }: { busy: boolean; label: string; busyLabel: string }) {
  return (
    <button type="submit" className="button button-primary button-block" disabled={busy}>
      {busy ? busyLabel : label}
    </button>
  );
}
