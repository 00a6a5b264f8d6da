import { useState } from 'react';
import { formatBytes, formatRelative } from '../format';
import { useLogJobs, type LogSource } from '../state/log-jobs';
import { go } from '../state/route';
import { useProjectReady, useRegistry, useReadOnlyReason, useWorkspace } from '../state/workspace-store';
import { Loading } from '../ui/Loading';
import { Button } from '../ui/Button';
import { AliasChip } from '../ui/Chip';
import { Dialog } from '../ui/Dialog';
import { DropZone } from '../ui/DropZone';
import { ErrorNote } from '../ui/ErrorNote';
import { baseName, LogFromHostPath } from './LogFromHostPath';
import { PickFiles } from '../ui/PickFiles';
import { hrefArtifact, PageHeader } from './PageHeader';
import { Panel } from '../ui/Panel';

export function ProjectPage({ project }: { project: string }) {
  const settings = useWorkspace((s) => s.settings);
  const readOnly = useReadOnlyReason();
  const start = useLogJobs((s) => s.start);
  const [pending, setPending] = useState<LogSource | null>(null);
  const [dropError, setDropError] = useState<string | null>(null);
  const data = useRegistry(
    (r) => {
      const model = r.project(project);
      const info = r.workspace.projects().find((p) => p.name === project);
      if (!model) return { exists: !!info, info, artifacts: [] };
      const artifacts = model.artifacts().map((a) => {
        const latest = a.latest ? model.getVersion(a.latest) : undefined;
        return { ...a, latestView: latest };
      });
      return { exists: true, info, artifacts };
    },
    [project],
  );
  const ready = useProjectReady(project);
  const workspaceName = settings?.mode === 'local' ? 'Local workspace' : (settings?.workspace ?? '');
  if (!data) return null;
  if (data.exists && !ready) return <Loading what={project} />;
  if (!data.exists) {
    return (
      <div className="page">
        <PageHeader crumbs={[{ label: workspaceName, href: '#/' }, { label: project }]} />
        <div className="page-body">
          <ErrorNote error={{ message: `There is no project ${project} in this workspace.` }} />
        </div>
      </div>
    );
  }
  return (
    <div className="page">
      <PageHeader crumbs={[{ label: workspaceName, href: '#/' }, { label: project }]} actions={<PickFiles disabledReason={readOnly} onSource={setPending} onError={setDropError} />} />
      <DropZone label={`Drop to log a new artifact in ${project}`} disabledReason={readOnly} onSource={setPending} onError={setDropError}>
        <div className="page-body">
          <h1 className="page-title">{project}</h1>
          {data.info?.description && <p className="lead">{data.info.description}</p>}
          <ErrorNote error={dropError ? { message: dropError } : null} onDismiss={() => setDropError(null)} />
          {data.artifacts.length === 0 ? (
            <div className="empty-drop" aria-label="Drop a checkpoint here">
              <p className="empty-title">Drop a checkpoint folder here</p>
              <p className="muted">It becomes the first version (v0) of a new artifact. Files are hashed and stored once; the original folder is never touched.</p>
            </div>
          ) : (
            <Panel
              id="artifacts"
              title="Artifacts"
              actions={<span className="muted small">Drop a folder anywhere on this page to start a new artifact</span>}
            >
              <table className="table">
                <thead>
                  <tr>
                    <th>Artifact</th>
                    <th className="num">Versions</th>
                    <th>Latest</th>
                    <th>Aliases on latest</th>
                    <th className="num">Size</th>
                    <th>Updated</th>
                  </tr>
                </thead>
                <tbody>
                  {data.artifacts.map((a) => (
                    <tr key={a.name}>
                      <td>
                        <a href={hrefArtifact(project, a.name)}>{a.name}</a>
                      </td>
                      <td className="num">{a.versionCount}</td>
                      <td className="mono">{a.latestView ? a.latestView.name.split(':')[1] : '—'}</td>
                      <td>{a.latestView?.aliases.map((al) => <AliasChip key={al} alias={al} />)}</td>
                      <td className="num">{a.latestView ? formatBytes(a.latestView.bytes) : '—'}</td>
                      <td>{a.latestView ? formatRelative(a.latestView.createdAt) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Panel>
          )}
          <LogFromHostPath project={project} artifact={null} disabledReason={readOnly} onStarted={(a) => go({ page: 'artifact', project, artifact: a })} />
        </div>
      </DropZone>
      <NewArtifactFromDrop
        project={project}
        source={pending}
        onClose={() => setPending(null)}
        onConfirm={(artifact) => {
          const source = pending!;
          setPending(null);
          void start(project, artifact, source);
          go({ page: 'artifact', project, artifact });
        }}
      />
    </div>
  );
}

function NewArtifactFromDrop({ project, source, onClose, onConfirm }: { project: string; source: LogSource | null; onClose: () => void; onConfirm: (artifact: string) => void }) {
  const [name, setName] = useState('');
  const suggested = source ? baseName(source.label.split(', ')[0] ?? '') : '';
  const value = name || suggested;
  return (
    <Dialog
      title="New artifact from drop"
      open={!!source}
      onClose={() => {
        setName('');
        onClose();
      }}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            variant="primary"
            disabled={!value}
            onClick={() => {
              setName('');
              onConfirm(value);
            }}
          >
            Log as {value || '…'}:v0
          </Button>
        </>
      }
    >
      <p>
        Logging <strong>{source?.label}</strong> into project {project}.
      </p>
      <label className="field">
        <span>Artifact name</span>
        <input autoFocus value={value} onChange={(e) => setName(e.target.value)} />
        <small>Usually the training run or model line: later drops onto it become v1, v2…</small>
      </label>
    </Dialog>
  );
}
