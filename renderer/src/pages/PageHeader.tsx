import type { ReactNode } from 'react';

export interface Crumb {
  label: string;
  href?: string;
}

export function PageHeader({ crumbs, actions }: { crumbs: Crumb[]; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <nav className="crumbs" aria-label="Location">
        {crumbs.map((c, i) => (
          <span key={`${c.label}-${i}`} className="crumb">
            {i > 0 && <span className="crumb-sep">/</span>}
            {c.href && i < crumbs.length - 1 ? <a href={c.href}>{c.label}</a> : <span className={i === crumbs.length - 1 ? 'crumb-current' : undefined}>{c.label}</span>}
          </span>
        ))}
      </nav>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}

export const hrefProject = (p: string) => `#/p/${encodeURIComponent(p)}`;
export const hrefArtifact = (p: string, a: string) => `${hrefProject(p)}/a/${encodeURIComponent(a)}`;
export const hrefVersion = (p: string, a: string, v: string) => `${hrefArtifact(p, a)}/v/${encodeURIComponent(v)}`;
export const hrefModel = (m: string) => `#/m/${encodeURIComponent(m)}`;
