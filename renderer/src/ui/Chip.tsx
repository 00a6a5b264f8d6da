import type { ReactNode } from 'react';

export function AliasChip({ alias, protectedAlias, onRemove, removeDisabledReason }: { alias: string; protectedAlias?: boolean; onRemove?: () => void; removeDisabledReason?: string | null }) {
  return (
    <span className={`chip chip-alias${protectedAlias ? ' chip-protected' : ''}`}>
      {protectedAlias && (
        <span className="chip-lock" aria-label="protected" title="Protected alias: only admins can move it">
          ⛨
        </span>
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
