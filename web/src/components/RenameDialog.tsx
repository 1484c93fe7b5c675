// "Rename …": one name field, Save and Cancel (a kiosk, a category). The name is trimmed and must
// not be empty; a refusal from the server is shown and the dialog stays.
import { useState } from 'react';
import { useI18n } from '../i18n';
import { DialogForm } from './DialogForm';
import { TextField } from './Field';
import { useSubmit } from './useSubmit';

interface RenameDialogProps {
  title: string;
  /** the field's label */
  label: string;
  maxLength: number;
  /** the name now */
  name: string;
  /** an empty name also puts "fix the marked fields" in the form's alert line */
  summarize?: boolean;
  /** saves the trimmed name (and closes the dialog); a thrown error is shown */
  onRename(name: string): Promise<void>;
  onClose(): void;
}

export function RenameDialog({ title, label, maxLength, name: initial, summarize, onRename, onClose }: RenameDialogProps) {
  const { t } = useI18n();
  const [name, setName] = useState(initial);
  const [fieldError, setFieldError] = useState<string>();
  const { busy, error, setError, run } = useSubmit();
  const submit = () => {
    const value = name.trim();
    if (!value) {
      setFieldError(t.validation.required(label));
      if (summarize) setError(t.validation.fixFields);
      return;
    }
    setFieldError(undefined);
    void run(() => onRename(value));
  };
  return (
    <DialogForm title={title} onClose={onClose} onSubmit={submit} error={error} busy={busy} submitLabel={t.common.save}>
      <TextField label={label} maxLength={maxLength} autoComplete="off" value={name} onChange={(event) => setName(event.target.value)} error={fieldError} />
    </DialogForm>
  );
}
