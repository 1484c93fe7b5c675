// "My account" for store owners and counselors: change password, withdraw, log out.
import { useId, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, ApiError, type AccountRole } from '../api/client';
import { useI18n } from '../i18n';
import { NewPasswordFields, useNewPassword } from './AccountForms';
import { DialogForm } from './DialogForm';
import { PasswordField } from './Field';
import { useFormErrors, useSubmit } from './useSubmit';

export function AccountMenu({ role, email, onNotice }: { role: AccountRole; email: string; onNotice(text: string): void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const panelId = useId();
  const [open, setOpen] = useState(false);
  const [dialog, setDialog] = useState<'password' | 'withdraw'>();
  const [loggingOut, setLoggingOut] = useState(false);

  const logout = async () => {
    setLoggingOut(true);
    await api.logout(role);
    navigate(`/login?role=${role}`, { replace: true, state: { notice: 'loggedOut' } });
  };

  return (
    <div className="account-menu">
      <button type="button" className="button button-secondary" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((shown) => !shown)}>
        {t.account.menu} <span aria-hidden="true">{open ? '▲' : '▼'}</span>
      </button>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: Escape from any control inside the panel closes it; the keys reach it from those focused controls */}
      <div
        id={panelId}
        hidden={!open}
        className="account-panel"
        onKeyDown={(event) => {
          if (event.key === 'Escape') setOpen(false);
        }}
      >
        <p className="account-email">{email}</p>
        <button type="button" className="button button-secondary button-block" onClick={() => setDialog('password')}>
          {t.account.changePassword}
        </button>
        <button type="button" className="button button-secondary button-block" disabled={loggingOut} onClick={() => void logout()}>
          {loggingOut ? t.common.loggingOut : t.common.logout}
        </button>
        <button type="button" className="button button-danger-outline button-block" onClick={() => setDialog('withdraw')}>
          {t.account.withdraw}
        </button>
      </div>
      {dialog === 'password' ? (
        <ChangePasswordDialog
          role={role}
          onClose={() => setDialog(undefined)}
          onChanged={() => {
            setDialog(undefined);
            setOpen(false);
            onNotice(t.account.changed);
          }}
        />
      ) : null}
      {dialog === 'withdraw' ? (
        <WithdrawDialog role={role} onClose={() => setDialog(undefined)} onWithdrawn={() => navigate('/', { replace: true, state: { notice: 'withdrawn' } })} />
      ) : null}
    </div>
  );
}

function ChangePasswordDialog({ role, onClose, onChanged }: { role: AccountRole; onClose(): void; onChanged(): void }) {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const newPassword = useNewPassword();
  const { fieldErrors, setFieldErrors, error, setError, busy, run } = useFormErrors();

  const submit = () => {
    const problems = newPassword.problems();
    if (!current) problems.current = t.validation.required(t.account.currentPassword);
    setFieldErrors(problems);
    if (Object.keys(problems).length > 0) {
      setError(t.validation.fixFields);
      return;
    }
    void run(
      async () => {
        await api.changePassword(role, current, newPassword.password);
        onChanged();
      },
      { onError: (caught) => isWrongPassword(caught) && setFieldErrors({ current: t.errors.wrong_password }) },
    );
  };

  return (
    <DialogForm
      title={t.account.changePassword}
      onClose={onClose}
      onSubmit={submit}
      error={error}
      busy={busy}
      submitLabel={busy ? t.account.changing : t.account.changePasswordSubmit}
    >
      <PasswordField
        label={t.account.currentPassword}
        autoComplete="current-password"
        value={current}
        onChange={(event) => setCurrent(event.target.value)}
        error={fieldErrors.current}
      />
      <NewPasswordFields value={newPassword} labels={{ password: t.account.newPassword, confirm: t.account.newPasswordConfirm }} errors={fieldErrors} />
    </DialogForm>
  );
}

function WithdrawDialog({ role, onClose, onWithdrawn }: { role: AccountRole; onClose(): void; onWithdrawn(): void }) {
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const [fieldError, setFieldError] = useState<string>();
  const { busy, error, setError, run } = useSubmit();

  const submit = () => {
    if (!password) {
      setFieldError(t.validation.required(t.fields.password));
      setError(t.validation.fixFields);
      return;
    }
    setFieldError(undefined);
    void run(
      async () => {
        await api.withdraw(role, password);
        onWithdrawn();
      },
      {
        errors: { wrong_password: t.account.wrongPassword },
        onError: (caught) => isWrongPassword(caught) && setFieldError(t.account.wrongPassword),
      },
    );
  };

  return (
    <DialogForm
      title={t.account.withdraw}
      onClose={onClose}
      tone="danger"
      intro={<p className="warning-box">{role === 'owner' ? t.account.withdrawOwner : t.account.withdrawCounselor}</p>}
      onSubmit={submit}
      error={error}
      busy={busy}
      submitLabel={busy ? t.account.withdrawing : t.account.withdrawSubmit}
    >
      <PasswordField
        label={t.account.withdrawPassword}
        autoComplete="current-password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        error={fieldError}
      />
    </DialogForm>
  );
}

const isWrongPassword = (caught: unknown) => caught instanceof ApiError && caught.code === 'wrong_password';
