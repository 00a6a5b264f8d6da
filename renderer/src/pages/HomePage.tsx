import { useState } from 'react';
import { formatRelative } from '../format';
import { NewModelDialog, NewProjectDialog } from '../shell/CreateDialogs';
import { useRegistry, useReadOnlyReason, useWorkspace } from '../state/workspace-store';
import { Button } from '../ui/Button';
import { hrefModel, hrefProject, PageHeader } from './PageHeader';
import { Panel } from '../ui/Panel';

const CONCEPTS = [
  { title: 'Model Version', text: 'An immutable folder of files — one checkpoint — with its metrics, tags and notes.' },
  { title: 'Model Artifact', text: 'The numbered sequence of versions one training run or model line produces: v0, v1, v2…' },
  { title: 'Registered Model', text: 'A curated set of links to the versions that matter, with aliases like production and staging.' },
];

export function HomePage() {
  const settings = useWorkspace((s) => s.settings);
  const readOnly = useReadOnlyReason();
  const [creating, setCreating] = useState<'project' | 'model' | null>(null);
  const projects = useRegistry((r) => r.workspace.projects().map((p) => ({ ...p, artifacts: r.project(p.name)?.artifacts() ?? [] })), []) ?? [];
  const models = useRegistry((r) => r.workspace.models(), []) ?? [];
  const name = settings?.mode === 'local' ? 'Local workspace' : (settings?.workspace ?? '');
  return (
    <div className="page">
      <PageHeader crumbs={[{ label: name }, { label: 'Overview' }]} />
      <div className="page-body">
        {projects.length === 0 ? (
          <section className="welcome" aria-label="Getting started">
            <h1 className="page-title">Your model registry, on this machine</h1>
            <p className="lead">Cairn turns training checkpoints into versioned, immutable models, works fully offline, and merges your team's edits when you reconnect.</p>
            <ul className="concepts" aria-label="Concepts">
              {CONCEPTS.map((c) => (
                <li key={c.title} className="concept">
                  <h3>{c.title}</h3>
                  <p>{c.text}</p>
                </li>
              ))}
            </ul>
            <div className="welcome-next">
              <p>
                Start with a project — say <code>vision</code> — then drop a checkpoint folder onto it. Each drop becomes a version; drop a folder with the same content again and Cairn tells you it already has it.
              </p>
              <Button variant="primary" onClick={() => setCreating('project')} disabledReason={readOnly}>
                Create a project
              </Button>
            </div>
          </section>
        ) : (
          <>
            <h1 className="page-title">{name}</h1>
            <div className="overview-grid">
              <Panel
                id="projects"
                title="Projects"
                actions={
                  <Button size="sm" onClick={() => setCreating('project')} disabledReason={readOnly}>
                    New project
                  </Button>
                }
              >
                <table className="table">
                  <thead>
                    <tr>
                      <th>Project</th>
                      <th className="num">Artifacts</th>
                      <th className="num">Versions</th>
                      <th>Created</th>
                    </tr>
                  </thead>
                  <tbody>
                    {projects.map((p) => (
                      <tr key={p.name}>
                        <td>
                          <a href={hrefProject(p.name)}>{p.name}</a>
                          {p.description && <div className="muted small">{p.description}</div>}
                        </td>
                        <td className="num">{p.artifacts.length}</td>
                        <td className="num">{p.artifacts.reduce((n, a) => n + a.versionCount, 0)}</td>
                        <td>
                          {formatRelative(p.createdAt)} · {p.createdBy}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </Panel>
              <Panel
                id="models"
                title="Registered models"
                actions={
                  <Button size="sm" onClick={() => setCreating('model')} disabledReason={readOnly}>
                    New registered model
                  </Button>
                }
              >
                {models.length === 0 ? (
                  <p className="panel-empty muted">None yet. A registered model collects the versions that serve one use case, with aliases like production and staging.</p>
                ) : (
                  <table className="table">
                    <thead>
                      <tr>
                        <th>Registered model</th>
                        <th className="num">Linked</th>
                        <th>Aliases</th>
                      </tr>
                    </thead>
                    <tbody>
                      {models.map((m) => (
                        <tr key={m.name}>
                          <td>
                            <a href={hrefModel(m.name)}>{m.name}</a>
                          </td>
                          <td className="num">{m.linkCount}</td>
                          <td>{m.aliases.map((a) => a.alias).join(', ') || <span className="muted">—</span>}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </Panel>
            </div>
          </>
        )}
      </div>
      <NewProjectDialog open={creating === 'project'} onClose={() => setCreating(null)} />
      <NewModelDialog open={creating === 'model'} onClose={() => setCreating(null)} />
    </div>
  );
}
