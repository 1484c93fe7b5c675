// A modal dialog on the native <dialog>: focus stays inside, Escape closes it unless the dialog
// must be closed on purpose (one-time secrets), and focus goes back where it came from.
import { useEffect, useId, useRef, type ReactNode } from 'react';

interface DialogProps {
  title: string;
  onClose(): void;
  children: ReactNode;
  /** false: Escape does nothing; only the dialog's own buttons close it */
  dismissible?: boolean;
  tone?: 'default' | 'danger' | 'warning';
  /** more classes (e.g. the kiosk's larger dialogs) */
  className?: string;
  /** a close button in the corner, labelled with this text */
  closeLabel?: string;
}

export function Dialog({ title, onClose, children, dismissible = true, tone = 'default', className, closeLabel }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    // showModal focuses the first control; a dialog may name a safer one (Cancel before Delete)
    dialog?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      if (dialog?.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  const heading = (
    <h2 id={titleId} className="dialog-title">
      {title}
    </h2>
  );
  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${tone}${className ? ` ${className}` : ''}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        if (dismissible) onClose();
      }}
    >
      {closeLabel ? (
        <div className="dialog-head">
          {heading}
          <button type="button" className="button button-secondary dialog-close" onClick={onClose}>
            <span aria-hidden="true">✕ </span>
            {closeLabel}
          </button>
        </div>
      ) : (
        heading
      )}
      {children}
    </dialog>
  );
}
