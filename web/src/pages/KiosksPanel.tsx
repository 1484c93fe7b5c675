// The store's kiosks: list, add (the secret is shown once), rename, delete.
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { api, type Kiosk, type ProvisionedKiosk } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { ConfirmDeleteDialog } from '../components/ConfirmDeleteDialog';
import { Dialog } from '../components/Dialog';
import { TextField } from '../components/Field';
import { Loading } from '../components/Page';
import { errorText, useI18n } from '../i18n';

interface Props {
  storeId: string;
  timeZone: string;
  onNotice(text: string | undefined): void;
}

export function KiosksPanel({ storeId, timeZone, onNotice }: Props) {
  const { t, lang } = useI18n();
  const [kiosks, setKiosks] = useState<Kiosk[]>();
  const [loadError, setLoadError] = useState<unknown>();
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string>();
  const [addError, setAddError] = useState<string>();
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<ProvisionedKiosk>();
  const [renaming, setRenaming] = useState<Kiosk>();
  const [deleting, setDeleting] = useState<Kiosk>();
  const headingId = useId();

  const load = useCallback(async () => {
    setLoadError(undefined);
    try {
      const answer = await api.listKiosks(storeId);
      setKiosks(answer.kiosks);
    } catch (error) {
      setLoadError(error);
    }
  }, [storeId]);

  useEffect(() => {
    void load();
  }, [load]);

  const dateFormat = new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', { dateStyle: 'long', timeZone });
  const formatDate = (iso: string) => {
    try {
      return dateFormat.format(new Date(iso));
    } catch {
      return iso;
    }
  };

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const value = name.trim();
    if (!value) {
      setNameError(t.validation.required(t.pos.kiosks.name));
      setAddError(t.validation.fixFields);
      return;
    }
    setNameError(undefined);
    setAddError(undefined);
    onNotice(undefined);
    setAdding(true);
    try {
      const provisioned = await api.addKiosk(storeId, value);
      setKiosks((list) => [...(list ?? []), provisioned.kiosk]);
      setName('');
      setCreated(provisioned);
    } catch (error) {
      setAddError(errorText(t, error));
    } finally {
      setAdding(false);
    }
  };

  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>{t.pos.kiosks.title}</h2>
      <p className="hint">{t.pos.kiosks.intro}</p>
      {loadError ? (
        <>
          <ErrorAlert>{errorText(t, loadError)}</ErrorAlert>
          <button type="button" className="button button-primary" onClick={() => void load()}>
            {t.common.retry}
          </button>
        </>
      ) : !kiosks ? (
        <Loading />
      ) : kiosks.length === 0 ? (
        <p className="empty">{t.pos.kiosks.empty}</p>
      ) : (
        <>
          <p className="count">{t.pos.kiosks.count(kiosks.length)}</p>
          <ul className="card-list" aria-label={t.pos.kiosks.title}>
            {kiosks.map((kiosk) => (
              <li key={kiosk.id} className="card" aria-labelledby={`kiosk-${kiosk.id}`}>
                <h3 id={`kiosk-${kiosk.id}`} className="card-title">
                  {kiosk.name}
                </h3>
                <dl className="facts">
                  <div>
                    <dt>{t.pos.kiosks.loginId}</dt>
                    <dd className="mono">{kiosk.loginId}</dd>
                  </div>
                  <div>
                    <dt>{t.pos.kiosks.createdAt}</dt>
                    <dd>{formatDate(kiosk.createdAt)}</dd>
                  </div>
                </dl>
                <div className="button-row">
                  <button type="button" className="button button-secondary" onClick={() => setRenaming(kiosk)}>
                    {t.pos.kiosks.rename}
                    <span className="sr-only">: {kiosk.name}</span>
                  </button>
                  <button type="button" className="button button-danger-outline" onClick={() => setDeleting(kiosk)}>
                    {t.pos.kiosks.delete}
                    <span className="sr-only">: {kiosk.name}</span>
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </>
      )}

      <form onSubmit={add} noValidate className="form card add-form">
        <h3 className="card-title">{t.pos.kiosks.addTitle}</h3>
        <TextField
          label={t.pos.kiosks.name}
          hint={t.pos.kiosks.nameHint}
          maxLength={40}
          autoComplete="off"
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={nameError}
        />
        <ErrorAlert>{addError}</ErrorAlert>
        <button type="submit" className="button button-primary" disabled={adding}>
          {adding ? t.pos.kiosks.adding : t.pos.kiosks.add}
        </button>
      </form>

      {created ? <CredentialsDialog provisioned={created} onClose={() => setCreated(undefined)} /> : null}
      {renaming ? (
        <RenameDialog
          storeId={storeId}
          kiosk={renaming}
          onClose={() => setRenaming(undefined)}
          onRenamed={(renamed) => {
            setKiosks((list) => list?.map((kiosk) => (kiosk.id === renamed.id ? renamed : kiosk)));
            setRenaming(undefined);
            onNotice(t.pos.kiosks.renamed(renamed.name));
          }}
        />
      ) : null}
      {deleting ? (
        <DeleteDialog
          storeId={storeId}
          kiosk={deleting}
          onClose={() => setDeleting(undefined)}
          onDeleted={(gone) => {
            setKiosks((list) => list?.filter((kiosk) => kiosk.id !== gone.id));
            setDeleting(undefined);
            onNotice(t.pos.kiosks.deleted(gone.name));
          }}
        />
      ) : null}
    </section>
  );
}

/** The new kiosk's login ID and secret, shown this once. Escape does not close it by accident. */
function CredentialsDialog({ provisioned, onClose }: { provisioned: ProvisionedKiosk; onClose(): void }) {
  const { t } = useI18n();
  const { loginId, secret } = provisioned.credentials;
  return (
    <Dialog title={t.pos.kiosks.createdTitle} onClose={onClose} dismissible={false} tone="warning">
      <p>{t.pos.kiosks.createdIntro(provisioned.kiosk.name)}</p>
      <div className="warning-box">
        <p className="warning-title">
          <span aria-hidden="true">⚠ </span>
          {t.pos.kiosks.onlyNow}
        </p>
        <p>{t.pos.kiosks.onlyNowText}</p>
      </div>
      <div className="credentials">
        <CopyField label={t.pos.kiosks.loginId} copyLabel={t.pos.kiosks.copyLoginId} value={loginId} />
        <CopyField label={t.pos.kiosks.secret} copyLabel={t.pos.kiosks.copySecret} value={secret} />
      </div>
      <button type="button" className="button button-primary button-block" onClick={onClose}>
        {t.pos.kiosks.createdClose}
      </button>
    </Dialog>
  );
}

function CopyField({ label, copyLabel, value }: { label: string; copyLabel: string; value: string }) {
  const { t } = useI18n();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const id = useId();
  const copy = async () => {
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(value);
      } else {
        const box = document.getElementById(id) as HTMLTextAreaElement | null;
        box?.select();
        if (!document.execCommand('copy')) throw new Error('copy refused');
      }
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  // a read-only text area, so that a long secret wraps and can be read in full
  return (
    <div className="field field-secret">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        readOnly
        value={value}
        rows={value.length > 24 ? 2 : 1}
        spellCheck={false}
        autoCapitalize="off"
        aria-describedby={`${id}-status`}
        onFocus={(event) => event.currentTarget.select()}
      />
      <div className="copy-row">
        <button type="button" className="button button-secondary" onClick={() => void copy()}>
          {copyLabel}
        </button>
        <span id={`${id}-status`} className={`field-status copy-${state === 'failed' ? 'failed' : 'ok'}`} aria-live="polite">
          {state === 'copied' ? t.common.copied : state === 'failed' ? t.common.copyFailed : ''}
        </span>
      </div>
    </div>
  );
}

function RenameDialog({ storeId, kiosk, onClose, onRenamed }: { storeId: string; kiosk: Kiosk; onClose(): void; onRenamed(kiosk: Kiosk): void }) {
  const { t } = useI18n();
  const [name, setName] = useState(kiosk.name);
  const [fieldError, setFieldError] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = name.trim();
    if (!value) {
      setFieldError(t.validation.required(t.pos.kiosks.newName));
      setError(t.validation.fixFields);
      return;
    }
    setBusy(true);
    setError(undefined);
    setFieldError(undefined);
    try {
      onRenamed(await api.renameKiosk(storeId, kiosk.id, value));
    } catch (caught) {
      setBusy(false);
      setError(errorText(t, caught));
    }
  };
  return (
    <Dialog title={t.pos.kiosks.renameTitle(kiosk.name)} onClose={onClose}>
      <form onSubmit={submit} noValidate className="form">
        <TextField label={t.pos.kiosks.newName} maxLength={40} autoComplete="off" value={name} onChange={(event) => setName(event.target.value)} error={fieldError} />
        <ErrorAlert>{error}</ErrorAlert>
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={busy}>
            {t.common.save}
          </button>
          <button type="button" className="button button-secondary" onClick={onClose}>
            {t.common.cancel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function DeleteDialog({ storeId, kiosk, onClose, onDeleted }: { storeId: string; kiosk: Kiosk; onClose(): void; onDeleted(kiosk: Kiosk): void }) {
  const { t } = useI18n();
  return (
    <ConfirmDeleteDialog
      title={t.pos.kiosks.deleteTitle}
      text={t.pos.kiosks.deleteText(kiosk.name)}
      confirmLabel={t.pos.kiosks.deleteConfirm}
      onConfirm={async () => {
        await api.deleteKiosk(storeId, kiosk.id);
        onDeleted(kiosk);
      }}
      onClose={onClose}
    />
  );
}
