import type { ButtonHTMLAttributes, ReactNode } from 'react';

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: 'default' | 'primary' | 'danger' | 'ghost';
  size?: 'sm' | 'md';
  /** When set, the button is disabled and this explains why (tooltip and accessible description). */
  disabledReason?: string | null;
  children: ReactNode;
}

export function Button({ variant = 'default', size = 'md', disabledReason, disabled, title, className, children, ...rest }: ButtonProps) {
  const off = disabled || !!disabledReason;
  return (
    <button
      type="button"
      className={['btn', `btn-${variant}`, size === 'sm' ? 'btn-sm' : '', className ?? ''].join(' ').trim()}
      disabled={off}
      title={disabledReason ?? title}
      aria-disabled={off || undefined}
      {...rest}
    >
      {children}
    </button>
  );
}
