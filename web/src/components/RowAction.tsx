// A button that acts on one row of a list: the screen shows "삭제", a screen reader hears
// "삭제: 아메리카노", so that every row's buttons have names of their own.
import type { ButtonHTMLAttributes, ReactNode } from 'react';

interface RowActionProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type' | 'children'> {
  label: ReactNode;
  /** the row it acts on, as the row's heading names it */
  row: string;
  tone?: 'primary' | 'secondary' | 'danger-outline';
}

export function RowAction({ label, row, tone = 'secondary', ...button }: RowActionProps) {
  return (
    <button type="button" className={`button button-${tone}`} {...button}>
      {label}
      <span className="sr-only">: {row}</span>
    </button>
  );
}
