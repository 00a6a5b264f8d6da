import { useAppStore } from '../state';
import { CairnMark } from './CairnMark';

export function Sidebar() {
  const info = useAppStore((s) => s.info);
  return (
    <aside className="sidebar" aria-label="Sidebar">
      <div className="brand">
        <CairnMark />
        <span className="brand-name">Cairn</span>
      </div>
      <div className="workspace" aria-label="Workspace">
        <span className="workspace-avatar" aria-hidden="true">L</span>
        <span className="workspace-name">Local workspace</span>
      </div>
      <nav className="nav" aria-label="Registry">
        <NavSection title="Projects" empty="No projects yet" />
        <NavSection title="Registered models" empty="No registered models yet" />
      </nav>
      <footer className="sidebar-foot">
        <span className="status-dot status-local" aria-hidden="true" />
        <span>Local only</span>
        {info.status === 'ready' && <span className="muted foot-version">v{info.value.version}</span>}
      </footer>
    </aside>
  );
}

function NavSection({ title, empty }: { title: string; empty: string }) {
  const id = `nav-${title.toLowerCase().replace(/\s+/g, '-')}`;
  return (
    <section className="nav-section" aria-labelledby={id}>
      <h2 id={id} className="nav-title">
        {title}
      </h2>
      <p className="nav-empty">{empty}</p>
    </section>
  );
}
