// Labelled inputs: the label above, a hint and an error tied to the input for screen readers.
import { useId, useState, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { useI18n } from '../i18n';

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'children'> {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  /** shown after the label, e.g. "(선택)" */
  optional?: boolean;
  /** a live line under the input (e.g. the brand found for a code) */
  status?: ReactNode;
  /** something beside the input (e.g. a show-password button) */
  addon?: ReactNode;
}

export function TextField({ label, hint, error, optional, status, addon, id, className, ...input }: FieldProps) {
  const { t } = useI18n();
  const autoId = useId();
  const inputId = id ?? autoId;
  const hintId = `${inputId}-hint`;
  const statusId = `${inputId}-status`;
  const errorId = `${inputId}-error`;
  const describedBy = [hint ? hintId : '', status !== undefined ? statusId : '', error ? errorId : ''].filter(Boolean).join(' ');
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={inputId}>
        {label}
        {optional ? <span className="optional"> {t.common.optional}</span> : null}
      </label>
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      <div className="input-row">
        <input id={inputId} aria-invalid={error ? true : undefined} aria-describedby={describedBy || undefined} {...input} />
        {addon}
      </div>
      {status !== undefined ? (
        <p id={statusId} className="field-status" aria-live="polite">
          {status}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** An email address: the email keyboard, no capitals or spelling fixes. */
export function EmailField(props: Omit<FieldProps, 'type' | 'inputMode'>) {
  return <TextField type="email" inputMode="email" autoCapitalize="off" spellCheck={false} {...props} />;
}

/** A whole number typed in (a price, a stock count): the number keypad, a short input. */
export function NumberField(props: Omit<FieldProps, 'inputMode'>) {
  return <TextField inputMode="numeric" autoComplete="off" className="field-short" {...props} />;
}

/** The six-digit code from an email: digits only, the phone's one-time-code suggestion. */
export function CodeField({ onCode, ...props }: Omit<FieldProps, 'onChange' | 'value'> & { value: string; onCode(code: string): void }) {
  return (
    <TextField
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]*"
      maxLength={6}
      className="field-code"
      {...props}
      onChange={(event) => onCode(event.target.value.replace(/\D/g, '').slice(0, 6))}
    />
  );
}

/** A password input with a "show" button, so that people can check what they typed. */
export function PasswordField(props: Omit<FieldProps, 'type' | 'addon'>) {
  const { t } = useI18n();
  const [visible, setVisible] = useState(false);
  const autoId = useId();
  const inputId = props.id ?? autoId;
  return (
    <TextField
      {...props}
      id={inputId}
      type={visible ? 'text' : 'password'}
      autoCapitalize="off"
      autoCorrect="off"
      spellCheck={false}
      addon={
        <button
          type="button"
          className="button button-secondary reveal"
          aria-pressed={visible}
          aria-controls={inputId}
          onClick={() => setVisible((shown) => !shown)}
        >
          {visible ? t.common.hide : t.common.show}
          <span className="sr-only"> {props.label}</span>
        </button>
      }
    />
  );
}

interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'children'> {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  options: ReadonlyArray<{ value: string; label: string }>;
}

/** A labelled <select>, with the same hint and error wiring as TextField. */
export function SelectField({ label, hint, error, options, id, className, ...select }: SelectFieldProps) {
  const autoId = useId();
  const selectId = id ?? autoId;
  const describedBy = [hint ? `${selectId}-hint` : '', error ? `${selectId}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={selectId}>{label}</label>
      {hint ? (
        <p id={`${selectId}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      <select id={selectId} aria-invalid={error ? true : undefined} aria-describedby={describedBy || undefined} {...select}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {error ? (
        <p id={`${selectId}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'children'> {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  optional?: boolean;
}

export function TextAreaField({ label, hint, error, optional, id, className, ...area }: TextAreaFieldProps) {
  const { t } = useI18n();
  const autoId = useId();
  const areaId = id ?? autoId;
  const describedBy = [hint ? `${areaId}-hint` : '', error ? `${areaId}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={areaId}>
        {label}
        {optional ? <span className="optional"> {t.common.optional}</span> : null}
      </label>
      {hint ? (
        <p id={`${areaId}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      <textarea id={areaId} aria-invalid={error ? true : undefined} aria-describedby={describedBy || undefined} {...area} />
      {error ? (
        <p id={`${areaId}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A big checkbox with its label beside it. */
export function CheckField({ label, hint, className, ...input }: Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> & { label: string; hint?: ReactNode }) {
  const autoId = useId();
  const inputId = input.id ?? autoId;
  return (
    <div className={`check-field${className ? ` ${className}` : ''}`}>
      <input type="checkbox" id={inputId} aria-describedby={hint ? `${inputId}-hint` : undefined} {...input} />
      <div className="check-text">
        <label htmlFor={inputId}>{label}</label>
        {hint ? (
          <p id={`${inputId}-hint`} className="hint">
            {hint}
          </p>
        ) : null}
      </div>
    </div>
  );
}
