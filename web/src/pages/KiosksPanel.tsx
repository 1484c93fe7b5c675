// The store's kiosks: list, add (the secret is shown once), rename, delete. Each kiosk's printer and
// card terminal follow the store's live stream (`kiosk.peripherals`), so paper running out shows here
// without a reload.
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { api, type Kiosk, type ProvisionedKiosk } from '../api/client';
import { useLiveEvents } from '../api/useLiveEvents';
import { ErrorAlert } from '../components/Alert';
import { ConfirmDeleteDialog } from '../components/ConfirmDeleteDialog';
import { Dialog } from '../components/Dialog';
import { SelectField, TextField } from '../components/Field';
import { LoadError, Loading } from '../components/Page';
import { RenameDialog } from '../components/RenameDialog';
import { RowAction } from '../components/RowAction';
import { useSubmit } from '../components/useSubmit';
import { useI18n } from '../i18n';
import { ScreenPlace, ScreenPlaceDialog } from '../kiosk/access/ScreenPlaceDialog';
import { KioskPeripheralFacts, PrinterWarning } from '../pos/payments/KioskPeripherals';

interface Props {
  storeId: string;
  timeZone: string;
  onNotice(text: string | undefined): void;
}

type PeripheralsChange = NonNullable<Kiosk['peripherals']> & { kioskId: string };

function parsePeripherals(data: string): PeripheralsChange | undefined {
  try {
    const change = JSON.parse(data) as PeripheralsChange;
    return typeof change.kioskId === 'string' && typeof change.printer === 'string' && typeof change.cardTerminal === 'string' ? change : undefined;
  } catch {
    return undefined;
  }
}

export function KiosksPanel({ storeId, timeZone, onNotice }: Props) {
  const { t, lang } = useI18n();
  const [kiosks, setKiosks] = useState<Kiosk[]>();
  const [loadError, setLoadError] = useState<unknown>();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<Kiosk['kind']>('kiosk');
  const [nameError, setNameError] = useState<string>();
  const adding = useSubmit();
  const [created, setCreated] = useState<ProvisionedKiosk>();
  const [renaming, setRenaming] = useState<Kiosk>();
  /** the kiosk whose screen position is being set (the low-position layout's band) */
  const [placing, setPlacing] = useState<Kiosk>();
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

  useLiveEvents(api.liveOrdersPath(storeId), {
    role: 'owner',
    replays: true,
    // a (re)connection may have missed changes: read the list again
    onReady: () => void load(),
    on: {
      'kiosk.peripherals': (data) => {
        const change = parsePeripherals(data);
        if (!change) return;
        const { kioskId, ...peripherals } = change;
        setKiosks((list) => list?.map((kiosk) => (kiosk.id === kioskId && kiosk.peripherals ? { ...kiosk, peripherals } : kiosk)));
      },
    },
  });

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
      adding.setError(t.validation.fixFields);
      return;
    }
    setNameError(undefined);
    onNotice(undefined);
    await adding.run(async () => {
      const provisioned = await api.addKiosk(storeId, value, kind);
      setKiosks((list) => [...(list ?? []), provisioned.kiosk]);
      setName('');
      setCreated(provisioned);
    });
  };

  return (
    <section aria-labelledby={headingId} className="panel">
      <h2 id={headingId}>{t.pos.kiosks.title}</h2>
      <p className="hint">{t.pos.kiosks.intro}</p>
      {loadError ? (
        <LoadError error={loadError} onRetry={load} />
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
                {kiosk.speechAvailable === false ? (
                  <div className="warning-box">
                    <p className="warning-title">
                      <span aria-hidden="true">⚠ </span>
                      {t.kioskSpeech.unavailable}
                    </p>
                    <p>{t.kioskSpeech.unavailableHint}</p>
                  </div>
                ) : null}
                {kiosk.kind === 'kiosk' && kiosk.peripherals ? <PrinterWarning name={kiosk.name} peripherals={kiosk.peripherals} /> : null}
                <dl className="facts">
                  <div>
                    <dt>{t.pos.kiosks.kind}</dt>
                    <dd>{t.pos.kiosks.kinds[kiosk.kind]}</dd>
                  </div>
                  <div>
                    <dt>{t.pos.kiosks.loginId}</dt>
                    <dd className="mono">{kiosk.loginId}</dd>
                  </div>
                  <div>
                    <dt>{t.pos.kiosks.createdAt}</dt>
                    <dd>{formatDate(kiosk.createdAt)}</dd>
                  </div>
                  {kiosk.kind === 'kiosk' ? (
                    <div>
                      <dt>{t.access.pos.place}</dt>
                      <dd>
                        <ScreenPlace kiosk={kiosk} />
                      </dd>
                    </div>
                  ) : null}
                  {kiosk.kind === 'kiosk' && kiosk.peripherals ? <KioskPeripheralFacts peripherals={kiosk.peripherals} /> : null}
                </dl>
                <div className="button-row">
                  <RowAction label={t.pos.kiosks.rename} row={kiosk.name} onClick={() => setRenaming(kiosk)} />
                  {kiosk.kind === 'kiosk' ? <RowAction label={t.access.pos.edit} row={kiosk.name} onClick={() => setPlacing(kiosk)} /> : null}
                  <RowAction label={t.pos.kiosks.delete} row={kiosk.name} tone="danger-outline" onClick={() => setDeleting(kiosk)} />
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
        <SelectField
          label={t.pos.kiosks.kind}
          hint={t.pos.kiosks.kindHint}
          value={kind}
          onChange={(event) => setKind(event.target.value as Kiosk['kind'])}
          options={(['kiosk', 'kitchen', 'pickup'] as const).map((value) => ({ value, label: t.pos.kiosks.kinds[value]! }))}
        />
        <ErrorAlert>{adding.error}</ErrorAlert>
        <button type="submit" className="button button-primary" disabled={adding.busy}>
          {adding.busy ? t.pos.kiosks.adding : t.pos.kiosks.add}
        </button>
      </form>

      {created ? <CredentialsDialog provisioned={created} onClose={() => setCreated(undefined)} /> : null}
      {renaming ? (
        <RenameDialog
          title={t.pos.kiosks.renameTitle(renaming.name)}
          label={t.pos.kiosks.newName}
          maxLength={40}
          name={renaming.name}
          summarize
          onClose={() => setRenaming(undefined)}
          onRename={async (name) => {
            const renamed = await api.renameKiosk(storeId, renaming.id, name);
            setKiosks((list) => list?.map((kiosk) => (kiosk.id === renamed.id ? { ...kiosk, ...renamed } : kiosk)));
            setRenaming(undefined);
            onNotice(t.pos.kiosks.renamed(renamed.name));
          }}
        />
      ) : null}
      {placing ? (
        <ScreenPlaceDialog
          storeId={storeId}
          kiosk={placing}
          onClose={() => setPlacing(undefined)}
          onSaved={(saved) => {
            setKiosks((list) => list?.map((kiosk) => (kiosk.id === saved.id ? { ...kiosk, ...saved } : kiosk)));
            setPlacing(undefined);
            onNotice(t.access.pos.saved(saved.name));
          }}
        />
      ) : null}
      {deleting ? (
        <ConfirmDeleteDialog
          title={t.pos.kiosks.deleteTitle}
          text={t.pos.kiosks.deleteText(deleting.name)}
          confirmLabel={t.pos.kiosks.deleteConfirm}
          onClose={() => setDeleting(undefined)}
          onConfirm={async () => {
            await api.deleteKiosk(storeId, deleting.id);
            setKiosks((list) => list?.filter((kiosk) => kiosk.id !== deleting.id));
            setDeleting(undefined);
            onNotice(t.pos.kiosks.deleted(deleting.name));
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
