// "Delete this?": the danger dialog every list uses. Cancel has the focus; a refusal from the
// server is shown in the dialog, which stays open so nothing seems done that was not.
import { useState } from 'react';
import { errorText, useI18n } from '../i18n';
import { ErrorAlert } from './Alert';
import { Dialog } from './Dialog';

interface ConfirmDeleteDialogProps {
  title: string;
  text: string;
  confirmLabel: string;
  /** performs the deletion; a thrown error is shown and the dialog stays */
  onConfirm(): Promise<void>;
  onClose(): void;
}

export function ConfirmDeleteDialog({ title, text, confirmLabel, onConfirm, onClose }: ConfirmDeleteDialogProps) {
  const { t } = useI18n();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
    } catch (caught) {
      setBusy(false);
      setError(errorText(t, caught));
    }
  };
  return (
    <Dialog title={title} onClose={onClose} tone="danger">
      <p>{text}</p>
      <ErrorAlert>{error}</ErrorAlert>
      <div className="button-row">
        <button type="button" className="button button-danger" disabled={busy} onClick={() => void confirm()}>
          {confirmLabel}
        </button>
        <button type="button" className="button button-secondary" onClick={onClose} data-autofocus>
          {t.common.cancel}
        </button>
      </div>
    </Dialog>
  );
}
