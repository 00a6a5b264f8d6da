import { useState } from 'react';
import { useAppStore } from '../state';
import { go, useRoute } from '../state/route';
import { useRegistry, useReadOnlyReason, useWorkspace } from '../state/workspace-store';
import { useQuickOpen } from './QuickOpen';
import { CairnMark } from './CairnMark';
import { SyncStatus } from './SyncStatus';
import { NewProjectDialog, NewModelDialog } from './CreateDialogs';

export function Sidebar() {
  const info = useAppStore((s) => s.info);
  const settings = useWorkspace((s) => s.settings);
  const route = useRoute((s) => s.route);
  const readOnly = useReadOnlyReason();
  const [creating, setCreating] = useState<'project' | 'model' | null>(null);
  const projects = useRegistry((r) => r.workspace.projects(), []) ?? [];
  const models = useRegistry((r) => r.workspace.models(), []) ?? [];
  const currentProject = 'project' in route ? route.project : null;
  const artifacts = useRegistry((r) => (currentProject ? (r.project(currentProject)?.artifacts() ?? []) : []), [currentProject]) ?? [];
  const openQuick = useQuickOpen((s) => s.show);
  const workspaceLabel = settings ? (settings.mode === 'local' ? 'Local workspace' : settings.workspace) : 'Workspace';

  return (
    <aside className="sidebar" aria-label="Sidebar">
      <div className="brand">
        <CairnMark />
        <span className="brand-name">Cairn</span>
      </div>
      <button type="button" className="workspace" aria-label={`Workspace ${workspaceLabel}`} onClick={() => go({ page: 'home' })}>
        <span className="workspace-avatar" aria-hidden="true">
          {workspaceLabel.slice(0, 1).toUpperCase()}
        </span>
        <span className="workspace-name">{workspaceLabel}</span>
        {settings?.mode === 'server' && <span className="workspace-host">{new URL(settings.serverUrl!).host}</span>}
      </button>
      <button type="button" className="quick-open-button" onClick={openQuick} aria-keyshortcuts="Control+K Meta+K">
        <span>Jump to…</span>
        <kbd>Ctrl K</kbd>
      </button>
      <nav className="nav" aria-label="Registry">
        <section className="nav-section" aria-labelledby="nav-projects">
          <div className="nav-title-row">
            <h2 id="nav-projects" className="nav-title">
              Projects
            </h2>
            <button type="button" className="nav-add" aria-label="New project" title={readOnly ?? 'New project'} disabled={!!readOnly} onClick={() => setCreating('project')}>
              +
            </button>
          </div>
          {projects.length === 0 && <p className="nav-empty">No projects yet</p>}
          <ul className="nav-list">
            {projects.map((p) => (
              <li key={p.name}>
                <a
                  href={`#/p/${encodeURIComponent(p.name)}`}
                  className={`nav-item${currentProject === p.name && route.page === 'project' ? ' active' : ''}`}
                  aria-current={currentProject === p.name && route.page === 'project' ? 'page' : undefined}
                >
                  <span className="nav-icon" aria-hidden="true">
                    ▤
                  </span>
                  {p.name}
                </a>
                {currentProject === p.name && artifacts.length > 0 && (
                  <ul className="nav-sublist" aria-label={`Artifacts in ${p.name}`}>
                    {artifacts.map((a) => {
                      const active = 'artifact' in route && route.artifact === a.name;
                      return (
                        <li key={a.name}>
                          <a href={`#/p/${encodeURIComponent(p.name)}/a/${encodeURIComponent(a.name)}`} className={`nav-item nav-subitem${active ? ' active' : ''}`} aria-current={active ? 'page' : undefined}>
                            <span className="nav-name">{a.name}</span>
                            <span className="nav-count">{a.versionCount}</span>
                          </a>
                        </li>
                      );
                    })}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        </section>
        <section className="nav-section" aria-labelledby="nav-models">
          <div className="nav-title-row">
            <h2 id="nav-models" className="nav-title">
              Registered models
            </h2>
            <button type="button" className="nav-add" aria-label="New registered model" title={readOnly ?? 'New registered model'} disabled={!!readOnly} onClick={() => setCreating('model')}>
              +
            </button>
          </div>
          {models.length === 0 && <p className="nav-empty">No registered models yet</p>}
          <ul className="nav-list">
            {models.map((m) => {
              const active = route.page === 'model' && route.model === m.name;
              return (
                <li key={m.name}>
                  <a href={`#/m/${encodeURIComponent(m.name)}`} className={`nav-item${active ? ' active' : ''}`} aria-current={active ? 'page' : undefined}>
                    <span className="nav-icon" aria-hidden="true">
                      ◆
                    </span>
                    <span className="nav-name">{m.name}</span>
                    <span className="nav-count">{m.linkCount}</span>
                  </a>
                </li>
              );
            })}
          </ul>
        </section>
      </nav>
      <footer className="sidebar-foot">
        <SyncStatus />
        <div className="foot-row">
          <a href="#/settings" className={`nav-item foot-settings${route.page === 'settings' ? ' active' : ''}`}>
            Settings
          </a>
          {info.status === 'ready' && <span className="muted foot-version">v{info.value.version}</span>}
        </div>
      </footer>
      <NewProjectDialog open={creating === 'project'} onClose={() => setCreating(null)} />
      <NewModelDialog open={creating === 'model'} onClose={() => setCreating(null)} />
    </aside>
  );
}
