// A form's trip to the server: busy while it runs (so the button cannot send it twice) and the
// server's refusal as one line of text for the form's alert; with useFormErrors also an error per
// field and the focus on the first field in error.
import { useCallback, useRef, useState } from 'react';
import { errorText, useI18n } from '../i18n';

interface RunOptions {
  /** words of this form's own for some error codes (errorText's overrides) */
  errors?: Partial<Record<string, string>>;
  /** after the error line is set: what else a refusal means here (a field's error) */
  onError?(caught: unknown): void;
}

export function useSubmit() {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  /** clears the error, runs `action` while busy; a thrown error becomes the error line */
  const run = useCallback(
    async (action: () => Promise<void>, { errors, onError }: RunOptions = {}) => {
      setError(undefined);
      setBusy(true);
      try {
        await action();
      } catch (caught) {
        setError(errorText(t, caught, errors));
        onError?.(caught);
      } finally {
        setBusy(false);
      }
    },
    [t],
  );

  return { busy, error, setError, run };
}

/** useSubmit's busy, error line and run, with an error per field */
export function useFormErrors() {
  const { t } = useI18n();
  const submission = useSubmit();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const formRef = useRef<HTMLFormElement>(null);

  /** shows what is wrong with each field (with one line for the form) and focuses the first */
  const fail = (problems: Record<string, string>) => {
    setFieldErrors(problems);
    submission.setError(t.validation.fixFields);
    window.setTimeout(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
  };

  return { ...submission, formRef, fieldErrors, setFieldErrors, fail };
}
