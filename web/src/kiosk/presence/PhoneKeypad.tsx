// A big on-screen number pad for a mobile number (a kiosk has no keyboard worth using, and the OS
// keyboard would cover half the screen): the number so far, large and grouped 010-1234-5678, keys
// 0–9, "한 글자 지우기" and "모두 지우기". A physical keyboard works too, for staff and testing.
import { useId, type KeyboardEvent, type MouseEvent } from 'react';
import { useI18n } from '../../i18n';
import { formatPhone } from './customersApi';

export const PHONE_MAX_DIGITS = 11;

interface Props {
  digits: string;
  onChange(digits: string): void;
  /** an error under the number, already in words */
  error?: string;
  /** 11 for a mobile number (the default); 4 for its last digits */
  maxDigits?: number;
  /** how the digits so far are shown (a mobile number grouped 010-1234-5678 by default) */
  format?(digits: string): string;
  /** what the number is, and what shows when nothing is typed yet */
  label?: string;
  emptyText?: string;
  /** no key takes a press (while the digits are being checked) */
  disabled?: boolean;
}

const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

/**
 * A touched digit key does not take the focus: in voice mode the focused control's name is said,
 * and the digits of a phone number must never be (the keypad's number keys type silently too).
 */
const keepFocus = (event: MouseEvent) => event.preventDefault();

export function PhoneKeypad({ digits, onChange, error, maxDigits = PHONE_MAX_DIGITS, format = formatPhone, label, emptyText, disabled = false }: Props) {
  const { t } = useI18n();
  const labelId = useId();
  const errorId = useId();
  const press = (digit: string) => {
    if (!disabled && digits.length < maxDigits) onChange(digits + digit);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (/^\d$/.test(event.key)) {
      event.preventDefault();
      press(event.key);
    } else if (event.key === 'Backspace' && !disabled) {
      event.preventDefault();
      onChange(digits.slice(0, -1));
    }
  };
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a number typed on a keypad or keyboard while any key of it has focus goes into the number
    <div className="phone-keypad" onKeyDown={onKeyDown} data-speak-skip>
      <p id={labelId} className="phone-keypad-label">
        {label ?? t.kioskPresence.keypad.label}
      </p>
      <output className="phone-keypad-number" data-speak-skip aria-labelledby={labelId} aria-describedby={error ? errorId : undefined} aria-live="polite">
        {digits ? format(digits) : <span className="phone-keypad-empty">{emptyText ?? t.kioskPresence.keypad.empty}</span>}
      </output>
      <div role="alert" id={errorId} className={error ? 'alert alert-error phone-keypad-error' : 'alert-empty'}>
        {error}
      </div>
      <div role="group" aria-label={t.kioskPresence.keypad.keys} className="phone-keypad-keys">
        {keys.map((key) => (
          <button key={key} type="button" className="phone-key" onClick={() => press(key)} onMouseDown={keepFocus} disabled={disabled}>
            {key}
          </button>
        ))}
        <button type="button" className="phone-key phone-key-word" onClick={() => onChange('')} disabled={disabled || !digits}>
          {t.kioskPresence.keypad.clear}
        </button>
        <button type="button" className="phone-key" onClick={() => press('0')} onMouseDown={keepFocus} disabled={disabled}>
          0
        </button>
        <button type="button" className="phone-key phone-key-word" onClick={() => onChange(digits.slice(0, -1))} disabled={disabled || !digits}>
          <span aria-hidden="true">⌫ </span>
          {t.kioskPresence.keypad.backspace}
        </button>
      </div>
    </div>
  );
}
