// The 장치 설정 tab: how the store's kiosks use their distance sensor (how near, for how many
// readings, how long until someone has left) and how many photos a capture takes, for the whole
// store or for one kiosk (a value a kiosk does not set follows the store's). The server keeps the
// ranges and says which value it refused; a connected kiosk receives its saved settings at once.
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { ApiError, api, type DeviceSettingOverrides, type DeviceSettings } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { NumberField, SelectField } from '../components/Field';
import { LoadError, Loading } from '../components/Page';
import { useFormErrors } from '../components/useSubmit';
import { type Messages, useI18n } from '../i18n';
import './device-settings.css';

type Key = keyof DeviceSettings;

/** the sensor's settings first, then the camera's */
const groups: ReadonlyArray<{ legend: 'sensor' | 'camera'; keys: readonly Key[] }> = [
  { legend: 'sensor', keys: ['arriveBelowCm', 'arriveConsecutive', 'arriveToleranceCm', 'leaveAfterMs', 'sampleIntervalMs'] },
  { legend: 'camera', keys: ['framesPerCapture', 'frameIntervalMs'] },
];
const allKeys = groups.flatMap((group) => group.keys);
const STORE_TARGET = 'store';

interface Props {
  storeId: string;
  onNotice(text: string | undefined): void;
}

export function DeviceSettingsPanel({ storeId, onNotice }: Props) {
  const { t } = useI18n();
  const d = t.pos.devices;
  const k = t.kioskDevices;
  const headingId = useId();
  const [kiosks, setKiosks] = useState<Array<{ id: string; name: string }>>();
  const [target, setTarget] = useState(STORE_TARGET);

  useEffect(() => {
    let current = true;
    api
      .listKiosks(storeId)
      .then(({ kiosks: list }) => {
        // kitchen screens and pickup boards have no sensor or camera
        if (current) setKiosks(list.filter((kiosk) => kiosk.kind === 'kiosk').map(({ id, name }) => ({ id, name })));
      })
      // without the list the store's settings still work; the choice of a kiosk waits for a reload
      .catch(() => current && setKiosks([]));
    return () => {
      current = false;
    };
  }, [storeId]);

  const kiosk = kiosks?.find((each) => each.id === target);

  return (
    <section aria-labelledby={headingId} className="panel device-settings">
      <h2 id={headingId}>{d.title}</h2>
      <p className="hint">{d.intro}</p>
      {kiosks && kiosks.length > 0 ? (
        <SelectField
          label={k.targetLabel}
          hint={k.targetHint}
          className="device-settings-target"
          value={target}
          onChange={(event) => {
            onNotice(undefined);
            setTarget(event.target.value);
          }}
          options={[{ value: STORE_TARGET, label: k.wholeStore }, ...kiosks.map((each) => ({ value: each.id, label: k.kioskOption(each.name) }))]}
        />
      ) : kiosks ? (
        <p className="hint">{k.noKiosks}</p>
      ) : null}
      {kiosk ? (
        <KioskSettingsForm key={kiosk.id} storeId={storeId} kiosk={kiosk} onNotice={onNotice} />
      ) : (
        <StoreSettingsForm storeId={storeId} onNotice={onNotice} />
      )}
    </section>
  );
}

/** the server's words for a refused value ("must be <= 400") in the reader's language */
function problemText(d: Messages['pos']['devices'], problem: string): string {
  const bound = /must be (<=|>=|<|>) (-?[\d.]+)/.exec(problem);
  if (bound) return bound[1]!.startsWith('<') ? d.atMost(bound[2]!) : d.atLeast(bound[2]!);
  if (/integer/.test(problem)) return d.wholeNumber;
  return d.notValid;
}

/** the fields a `validation_failed` refusal names, with their problem in words */
function refusedFields(d: Messages['pos']['devices'], caught: unknown): Record<string, string> {
  if (!(caught instanceof ApiError) || caught.code !== 'validation_failed') return {};
  const issues = (caught.details?.issues ?? []) as Array<{ field?: string; problem?: string }>;
  const refused: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.field?.split('.').pop() as Key | undefined;
    if (key && allKeys.includes(key)) refused[key] = problemText(d, issue.problem ?? '');
  }
  return refused;
}

/** a typed value as a number, or undefined when it is not one */
function parsed(text: string): number | undefined {
  const trimmed = text.trim();
  const number = Number(trimmed);
  return trimmed === '' || !Number.isFinite(number) ? undefined : number;
}

const asTexts = (settings: DeviceSettings) => Object.fromEntries(allKeys.map((key) => [key, String(settings[key])])) as Record<Key, string>;

function StoreSettingsForm({ storeId, onNotice }: Props) {
  const { t } = useI18n();
  const d = t.pos.devices;
  const [values, setValues] = useState<Record<Key, string>>();
  const [loadError, setLoadError] = useState<unknown>();
  const { busy, error, run, formRef, fieldErrors, setFieldErrors, fail } = useFormErrors();

  const load = useCallback(async () => {
    setLoadError(undefined);
    try {
      setValues(asTexts(await api.deviceSettings(storeId)));
    } catch (caught) {
      setLoadError(caught);
    }
  }, [storeId]);

  useEffect(() => {
    void load();
  }, [load]);

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (!values) return;
    const problems: Record<string, string> = {};
    const body = {} as DeviceSettings;
    for (const key of allKeys) {
      const number = parsed(values[key]);
      if (number === undefined) problems[key] = d.notANumber;
      else body[key] = number;
    }
    if (Object.keys(problems).length > 0) return fail(problems);
    setFieldErrors({});
    void run(
      async () => {
        setValues(asTexts(await api.saveDeviceSettings(storeId, body)));
        onNotice(d.saved);
      },
      {
        onError: (caught) => {
          const refused = refusedFields(d, caught);
          if (Object.keys(refused).length > 0) fail(refused);
        },
      },
    );
  };

  if (loadError) return <LoadError error={loadError} onRetry={load} />;
  if (!values) return <Loading />;
  return (
    <form ref={formRef} onSubmit={save} noValidate className="form card">
      <ErrorAlert>{error}</ErrorAlert>
      {groups.map((group) => (
        <fieldset key={group.legend} className="device-settings-group">
          <legend>{d.legends[group.legend]}</legend>
          {group.keys.map((key) => (
            <NumberField
              key={key}
              label={d.fields[key]}
              hint={d.hints[key]}
              value={values[key]}
              error={fieldErrors[key]}
              onChange={(event) => setValues({ ...values, [key]: event.target.value })}
            />
          ))}
        </fieldset>
      ))}
      <button type="submit" className="button button-primary" disabled={busy}>
        {d.save}
      </button>
    </form>
  );
}

interface KioskFormState {
  store: DeviceSettings;
  values: Record<Key, string>;
  /** the settings this kiosk sets itself; the others follow the store */
  overridden: Record<Key, boolean>;
}

function KioskSettingsForm({ storeId, kiosk, onNotice }: Props & { kiosk: { id: string; name: string } }) {
  const { t } = useI18n();
  const d = t.pos.devices;
  const k = t.kioskDevices;
  const [state, setState] = useState<KioskFormState>();
  const [loadError, setLoadError] = useState<unknown>();
  const { busy, error, run, formRef, fieldErrors, setFieldErrors, fail } = useFormErrors();

  const show = useCallback((view: { store: DeviceSettings; overrides: DeviceSettingOverrides; effective: DeviceSettings }) => {
    setState({
      store: view.store,
      values: asTexts(view.effective),
      overridden: Object.fromEntries(allKeys.map((key) => [key, view.overrides[key] !== undefined])) as Record<Key, boolean>,
    });
  }, []);

  const load = useCallback(async () => {
    setLoadError(undefined);
    try {
      show(await api.kioskDeviceSettings(storeId, kiosk.id));
    } catch (caught) {
      setLoadError(caught);
    }
  }, [storeId, kiosk.id, show]);

  useEffect(() => {
    void load();
  }, [load]);

  const onError = (caught: unknown) => {
    const refused = refusedFields(d, caught);
    if (Object.keys(refused).length > 0) fail(refused);
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (!state) return;
    const problems: Record<string, string> = {};
    const overrides: DeviceSettingOverrides = {};
    for (const key of allKeys) {
      if (!state.overridden[key]) continue;
      const number = parsed(state.values[key]);
      if (number === undefined) problems[key] = d.notANumber;
      else overrides[key] = number;
    }
    if (Object.keys(problems).length > 0) return fail(problems);
    setFieldErrors({});
    void run(
      async () => {
        show(await api.saveKioskDeviceSettings(storeId, kiosk.id, overrides));
        onNotice(k.saved(kiosk.name));
      },
      { onError },
    );
  };

  const reset = () => {
    setFieldErrors({});
    void run(async () => {
      show(await api.clearKioskDeviceSettings(storeId, kiosk.id));
      onNotice(k.resetDone(kiosk.name));
    });
  };

  if (loadError) return <LoadError error={loadError} onRetry={load} />;
  if (!state) return <Loading />;
  const overriddenCount = allKeys.filter((key) => state.overridden[key]).length;
  const toggle = (key: Key, on: boolean) =>
    setState({
      ...state,
      overridden: { ...state.overridden, [key]: on },
      // a value set again starts from the store's; one given back shows the store's
      values: { ...state.values, [key]: String(state.store[key]) },
    });

  return (
    <form ref={formRef} onSubmit={save} noValidate className="form card kiosk-device-settings">
      <p className="hint">{k.kioskIntro(kiosk.name)}</p>
      <p className="kiosk-device-summary">{k.summary(overriddenCount)}</p>
      <ErrorAlert>{error}</ErrorAlert>
      {groups.map((group) => (
        <fieldset key={group.legend} className="device-settings-group">
          <legend>{d.legends[group.legend]}</legend>
          {group.keys.map((key) => {
            const own = state.overridden[key];
            const storeValue = String(state.store[key]);
            return (
              <div key={key} className={`kiosk-device-setting${own ? ' kiosk-device-setting-own' : ''}`}>
                <NumberField
                  label={d.fields[key]}
                  hint={own ? k.overridden(storeValue) : k.inherited(storeValue)}
                  value={state.values[key]}
                  readOnly={!own}
                  error={fieldErrors[key]}
                  onChange={(event) => setState({ ...state, values: { ...state.values, [key]: event.target.value } })}
                />
                <label className="check-chip">
                  <input type="checkbox" checked={own} onChange={(event) => toggle(key, event.target.checked)} />
                  {k.overrideToggle}
                  <span className="sr-only">: {d.fields[key]}</span>
                </label>
              </div>
            );
          })}
        </fieldset>
      ))}
      <div className="kiosk-device-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {k.save}
        </button>
        <button type="button" className="button button-secondary" disabled={busy || overriddenCount === 0} onClick={reset}>
          {k.reset}
        </button>
      </div>
    </form>
  );
}
