// The 장치 설정 tab: how the store's kiosks use their distance sensor (how near, for how many
// readings, how long until someone has left) and how many photos a capture takes. The server
// keeps the ranges and says which value it refused; connected kiosks receive the saved settings at once.
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { ApiError, api, type DeviceSettings } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { NumberField } from '../components/Field';
import { LoadError, Loading } from '../components/Page';
import { useFormErrors } from '../components/useSubmit';
import { useI18n } from '../i18n';

type Key = keyof DeviceSettings;

/** the sensor's settings first, then the camera's */
const groups: ReadonlyArray<{ legend: 'sensor' | 'camera'; keys: readonly Key[] }> = [
  { legend: 'sensor', keys: ['arriveBelowCm', 'arriveConsecutive', 'arriveToleranceCm', 'leaveAfterMs', 'sampleIntervalMs'] },
  { legend: 'camera', keys: ['framesPerCapture', 'frameIntervalMs'] },
];
const allKeys = groups.flatMap((group) => group.keys);

interface Props {
  storeId: string;
  onNotice(text: string | undefined): void;
}

export function DeviceSettingsPanel({ storeId, onNotice }: Props) {
  const { t } = useI18n();
  const d = t.pos.devices;
  const headingId = useId();
  const [values, setValues] = useState<Record<Key, string>>();
  const [loadError, setLoadError] = useState<unknown>();
  const { busy, error, run, formRef, fieldErrors, setFieldErrors, fail } = useFormErrors();

  const load = useCallback(async () => {
    setLoadError(undefined);
    try {
      const settings = await api.deviceSettings(storeId);
      setValues(Object.fromEntries(allKeys.map((key) => [key, String(settings[key])])) as Record<Key, string>);
    } catch (caught) {
      setLoadError(caught);
    }
  }, [storeId]);

  useEffect(() => {
    void load();
  }, [load]);

  /** the server's words for a refused value ("must be <= 400") in the reader's language */
  const problemText = (problem: string): string => {
    const bound = /must be (<=|>=|<|>) (-?[\d.]+)/.exec(problem);
    if (bound) return bound[1]!.startsWith('<') ? d.atMost(bound[2]!) : d.atLeast(bound[2]!);
    if (/integer/.test(problem)) return d.wholeNumber;
    return d.notValid;
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (!values) return;
    const problems: Record<string, string> = {};
    const body = {} as DeviceSettings;
    for (const key of allKeys) {
      const text = values[key].trim();
      const number = Number(text);
      if (text === '' || !Number.isFinite(number)) problems[key] = d.notANumber;
      else body[key] = number;
    }
    if (Object.keys(problems).length > 0) return fail(problems);
    setFieldErrors({});
    void run(
      async () => {
        const saved = await api.saveDeviceSettings(storeId, body);
        setValues(Object.fromEntries(allKeys.map((key) => [key, String(saved[key])])) as Record<Key, string>);
        onNotice(d.saved);
      },
      {
        onError: (caught) => {
          if (!(caught instanceof ApiError) || caught.code !== 'validation_failed') return;
          const issues = (caught.details?.issues ?? []) as Array<{ field?: string; problem?: string }>;
          const refused: Record<string, string> = {};
          for (const issue of issues) {
            const key = issue.field?.split('.').pop() as Key | undefined;
            if (key && allKeys.includes(key)) refused[key] = problemText(issue.problem ?? '');
          }
          if (Object.keys(refused).length > 0) fail(refused);
        },
      },
    );
  };

  return (
    <section aria-labelledby={headingId} className="panel device-settings">
      <h2 id={headingId}>{d.title}</h2>
      <p className="hint">{d.intro}</p>
      {loadError ? (
        <LoadError error={loadError} onRetry={load} />
      ) : !values ? (
        <Loading />
      ) : (
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
      )}
    </section>
  );
}
