import { formatBytes, formatMetric, formatSignedBytes, shortDigest } from '../format';
import { go } from '../state/route';
import { useProjectReady, useRegistry, useWorkspace } from '../state/workspace-store';
import { Loading } from '../ui/Loading';
import { ErrorNote } from '../ui/ErrorNote';
import { hrefArtifact, hrefProject, PageHeader } from './PageHeader';
import { Panel } from '../ui/Panel';

export function ComparePage({ project, artifact, a, b }: { project: string; artifact: string; a: string; b: string }) {
  const settings = useWorkspace((s) => s.settings);
  const data = useRegistry(
    (r) => {
      const p = r.project(project);
      if (!p) return undefined;
      const list = p.listVersions(artifact, { includeDeleted: true });
      return { diff: p.diffVersions(a, b), va: p.getVersion(a), vb: p.getVersion(b), choices: list.ok ? list.value.rows : [] };
    },
    [project, artifact, a, b],
  );
  const workspaceName = settings?.mode === 'local' ? 'Local workspace' : (settings?.workspace ?? '');
  const ready = useProjectReady(project);
  const pick = (which: 'a' | 'b', id: string) => go({ page: 'compare', project, artifact, a: which === 'a' ? id : a, b: which === 'b' ? id : b });
  if (!ready) return <Loading what={`${project}/${artifact}`} />;
  return (
    <div className="page">
      <PageHeader crumbs={[{ label: workspaceName, href: '#/' }, { label: project, href: hrefProject(project) }, { label: artifact, href: hrefArtifact(project, artifact) }, { label: 'Compare' }]} />
      <div className="page-body">
        <h1 className="page-title">Compare versions</h1>
        <div className="compare-pick">
          {(['a', 'b'] as const).map((which) => (
            <label key={which} className="field-inline">
              <span>{which === 'a' ? 'From' : 'To'}</span>
              <select aria-label={which === 'a' ? 'From version' : 'To version'} value={which === 'a' ? a : b} onChange={(e) => pick(which, e.target.value)}>
                {data?.choices.map((v) => (
                  <option key={v.versionId} value={v.versionId}>
                    {v.name}
                    {v.aliases.length ? ` (${v.aliases.join(', ')})` : ''}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </div>
        {data && !data.diff.ok && <ErrorNote error={data.diff.error} />}
        {data?.diff.ok && data.va && data.vb && (
          <>
            <div className="compare-summary" aria-label="Summary">
              <div>
                <strong>{data.diff.value.added.length}</strong> added
              </div>
              <div>
                <strong>{data.diff.value.removed.length}</strong> removed
              </div>
              <div>
                <strong>{data.diff.value.changed.length}</strong> changed
              </div>
              <div>
                <strong>{data.diff.value.unchanged}</strong> unchanged
              </div>
              <div>
                Size {formatBytes(data.va.bytes)} → {formatBytes(data.vb.bytes)} (<strong>{formatSignedBytes(data.diff.value.sizeDelta)}</strong>)
              </div>
            </div>
            <Panel id="file-diff" title="Files">
              <table className="table" aria-label="File differences">
                <thead>
                  <tr>
                    <th>Change</th>
                    <th>Path</th>
                    <th className="num">{data.va.name}</th>
                    <th className="num">{data.vb.name}</th>
                    <th>Digest</th>
                  </tr>
                </thead>
                <tbody>
                  {data.diff.value.added.map((f) => (
                    <tr key={`a${f.path}`} className="diff-added">
                      <td>added</td>
                      <td className="mono">{f.path}</td>
                      <td className="num">—</td>
                      <td className="num">{formatBytes(f.size)}</td>
                      <td className="mono muted">{shortDigest(f.sha256)}</td>
                    </tr>
                  ))}
                  {data.diff.value.removed.map((f) => (
                    <tr key={`r${f.path}`} className="diff-removed">
                      <td>removed</td>
                      <td className="mono">{f.path}</td>
                      <td className="num">{formatBytes(f.size)}</td>
                      <td className="num">—</td>
                      <td className="mono muted">{shortDigest(f.sha256)}</td>
                    </tr>
                  ))}
                  {data.diff.value.changed.map((f) => (
                    <tr key={`c${f.path}`} className="diff-changed">
                      <td>changed</td>
                      <td className="mono">{f.path}</td>
                      <td className="num">{formatBytes(f.sizeA)}</td>
                      <td className="num">{formatBytes(f.sizeB)}</td>
                      <td className="mono muted">
                        {shortDigest(f.sha256A)} → {shortDigest(f.sha256B)}
                      </td>
                    </tr>
                  ))}
                  {data.diff.value.added.length + data.diff.value.removed.length + data.diff.value.changed.length === 0 && (
                    <tr>
                      <td colSpan={5} className="muted">
                        Same files, same content.
                      </td>
                    </tr>
                  )}
                </tbody>
              </table>
            </Panel>
            <Panel id="meta-diff" title="Metadata">
              <table className="table" aria-label="Metadata differences">
                <thead>
                  <tr>
                    <th>Key</th>
                    <th className="num">{data.va.name}</th>
                    <th className="num">{data.vb.name}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.diff.value.metadata.map((m) => (
                    <tr key={m.key}>
                      <td className="mono">{m.key}</td>
                      <td className="num mono">{formatMetric(m.a)}</td>
                      <td className="num mono">{formatMetric(m.b)}</td>
                    </tr>
                  ))}
                  {data.diff.value.metadata.length === 0 && (
                    <tr>
                      <td colSpan={3} className="muted">
                        No metadata differences.
                      </td>
                    </tr>
                  )}
                </tbody>
              </table>
            </Panel>
          </>
        )}
      </div>
    </div>
  );
}
