import type { ReactNode } from 'react';

/**
 * A titled panel: a section named by its heading. `actions` (buttons, a note) sit on the
 * heading's row.
 */
export function Panel({ id, title, actions, className, children }: { id: string; title: ReactNode; actions?: ReactNode; className?: string; children?: ReactNode }) {
  const titleId = `${id}-title`;
  const heading = (
    <h2 id={titleId} className="panel-title">
      {title}
    </h2>
  );
  return (
    <section className={className ? `panel ${className}` : 'panel'} aria-labelledby={titleId}>
      {actions === undefined ? (
        heading
      ) : (
        <div className="panel-title-row">
          {heading}
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}
