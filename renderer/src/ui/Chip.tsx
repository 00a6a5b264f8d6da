import type { ReactNode } from 'react';

export function AliasChip({ alias, protectedAlias, onRemove, removeDisabledReason }: { alias: string; protectedAlias?: boolean; onRemove?: () => void; removeDisabledReason?: string | null }) {
  return (
    <span className={`chip chip-alias${protectedAlias ? ' chip-protected' : ''}`}>
      {protectedAlias && (
        <svg className="chip-lock" width="9" height="10" viewBox="0 0 9 10" role="img" aria-label="protected">
          <title>Protected alias: only admins can move it</title>
          <rect x="0.5" y="4" width="8" height="5.5" rx="1" fill="currentColor" />
          <path d="M2.2 4V2.8a2.3 2.3 0 0 1 4.6 0V4" fill="none" stroke="currentColor" strokeWidth="1.2" />
        </svg>
      )}
      {alias}
      {onRemove && (
        <button type="button" className="chip-x" aria-label={`Remove alias ${alias}`} title={removeDisabledReason ?? `Remove ${alias}`} disabled={!!removeDisabledReason} onClick={onRemove}>
          ×
        </button>
      )}
    </span>
  );
}

export function TagChip({ tag }: { tag: string }) {
  return <span className="chip chip-tag">{tag}</span>;
}

export function Badge({ tone = 'neutral', children, title }: { tone?: 'neutral' | 'pending' | 'danger' | 'ok' | 'warn'; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}
