// A dialog that is one form: its fields, the error line, then the submit button with Cancel beside
// it. A danger dialog's submit button is a danger one too.
import type { FormEvent, ReactNode, Ref } from 'react';
import { useI18n } from '../i18n';
import { ErrorAlert } from './Alert';
import { Dialog } from './Dialog';

interface FormButtonsProps {
  busy: boolean;
  submitLabel: ReactNode;
  tone?: 'primary' | 'danger';
  onCancel(): void;
  /** Cancel's words, when not "취소" */
  cancelLabel?: string;
  /** Cancel has the focus when the dialog opens: the safer choice before a destructive one */
  cancelFocused?: boolean;
  /** more classes for the row */
  className?: string;
}

export function FormButtons({ busy, submitLabel, tone = 'primary', onCancel, cancelLabel, cancelFocused, className }: FormButtonsProps) {
  const { t } = useI18n();
  return (
    <div className={className ? `button-row ${className}` : 'button-row'}>
      <button type="submit" className={`button button-${tone}`} disabled={busy}>
        {submitLabel}
      </button>
      <button type="button" className="button button-secondary" onClick={onCancel} data-autofocus={cancelFocused || undefined}>
        {cancelLabel ?? t.common.cancel}
      </button>
    </div>
  );
}

interface DialogFormProps extends Omit<FormButtonsProps, 'tone' | 'onCancel' | 'className'> {
  title: string;
  onClose(): void;
  tone?: 'default' | 'danger';
  /** more classes for the dialog (dialog-wide) */
  className?: string;
  /** a close button in the corner, labelled with this text */
  closeLabel?: string;
  /** what the dialog says above the form */
  intro?: ReactNode;
  /** the submit event is already prevented */
  onSubmit(): void;
  formRef?: Ref<HTMLFormElement>;
  /** the form's classes; "form" lays the fields out */
  formClassName?: string;
  buttonsClassName?: string;
  error?: string;
  /** the fields */
  children?: ReactNode;
}

export function DialogForm({
  title,
  onClose,
  tone = 'default',
  className,
  closeLabel,
  intro,
  onSubmit,
  formRef,
  formClassName = 'form',
  buttonsClassName,
  error,
  children,
  ...buttons
}: DialogFormProps) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <Dialog title={title} onClose={onClose} tone={tone} className={className} closeLabel={closeLabel}>
      {intro}
      <form ref={formRef} onSubmit={submit} noValidate className={formClassName || undefined}>
        {children}
        <ErrorAlert>{error}</ErrorAlert>
        <FormButtons {...buttons} tone={tone === 'danger' ? 'danger' : 'primary'} onCancel={onClose} className={buttonsClassName} />
      </form>
    </Dialog>
  );
}
