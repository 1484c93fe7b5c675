// "Delete this?": the danger dialog every list uses. Cancel has the focus; a refusal from the
// server is shown in the dialog, which stays open so nothing seems done that was not.
import { DialogForm } from './DialogForm';
import { useSubmit } from './useSubmit';

interface ConfirmDeleteDialogProps {
  title: string;
  text: string;
  confirmLabel: string;
  /** performs the deletion; a thrown error is shown and the dialog stays */
  onConfirm(): Promise<void>;
  onClose(): void;
}

export function ConfirmDeleteDialog({ title, text, confirmLabel, onConfirm, onClose }: ConfirmDeleteDialogProps) {
  const { busy, error, run } = useSubmit();
  return (
    <DialogForm
      title={title}
      onClose={onClose}
      tone="danger"
      intro={<p>{text}</p>}
      onSubmit={() => void run(onConfirm)}
      formClassName=""
      error={error}
      busy={busy}
      submitLabel={confirmLabel}
      cancelFocused
    />
  );
}
