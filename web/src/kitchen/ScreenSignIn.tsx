// The sign-in form of a kitchen display or pickup board: the login id and secret it got when the
// owner added it in the POS's kiosk list.
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { TextField } from '../components/Field';
import { LanguageToggle } from '../components/LanguageToggle';
import { useScreenTexts } from './texts';

export function ScreenSignIn({ title, kind, onSignedIn }: { title: string; kind: 'kitchen' | 'pickup'; onSignedIn(): void }) {
  const s = useScreenTexts();
  const [loginId, setLoginId] = useState('');
  const [secret, setSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!loginId.trim() || !secret.trim()) {
      setError(s.required);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const pair = await api.kioskLogin(loginId.trim(), secret.trim());
      if (pair.role !== kind) {
        // another kind of screen's credentials: not this page's
        await api.logout(pair.role);
        setError(s.invalid);
        return;
      }
      onSignedIn();
    } catch (failure) {
      setError(failure instanceof ApiError && failure.status === 401 ? s.invalid : failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="screen-signin">
      <div className="screen-signin-top">
        <LanguageToggle />
      </div>
      <h1>{s.signInTitle(title)}</h1>
      <p className="hint">{s.signInHint}</p>
      <form onSubmit={submit} noValidate className="form card">
        <TextField label={s.loginId} autoComplete="username" value={loginId} onChange={(event) => setLoginId(event.target.value)} />
        <TextField label={s.secret} type="password" autoComplete="current-password" value={secret} onChange={(event) => setSecret(event.target.value)} />
        <ErrorAlert>{error}</ErrorAlert>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? s.signingIn : s.signIn}
        </button>
      </form>
    </main>
  );
}
