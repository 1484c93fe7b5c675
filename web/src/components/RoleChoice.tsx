// Big radio cards for choosing a role.
import { useId } from 'react';
import type { Role } from '../api/client';
import { useI18n } from '../i18n';

interface RoleChoiceProps<R extends Role> {
  legend: string;
  options: readonly R[];
  value: R;
  onChange(role: NoInfer<R>): void;
}

export function RoleChoice<R extends Role>({ legend, options, value, onChange }: RoleChoiceProps<R>) {
  const { t } = useI18n();
  const name = useId();
  return (
    <fieldset className="role-choice">
      <legend>{legend}</legend>
      <div className="role-options">
        {options.map((role) => (
          <label key={role} className={`role-option${value === role ? ' role-option-selected' : ''}`}>
            <input
              type="radio"
              name={name}
              value={role}
              checked={value === role}
              onChange={() => onChange(role)}
              aria-labelledby={`${name}-${role}`}
              aria-describedby={`${name}-${role}-hint`}
            />
            <span className="role-text">
              <span id={`${name}-${role}`} className="role-title">
                {t.roles[role]}
              </span>
              <span id={`${name}-${role}-hint`} className="role-hint">
                {t.roleHints[role]}
              </span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
