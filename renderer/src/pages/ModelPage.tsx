import { useEffect, useState } from 'react';
import type { AliasHistoryEntry, LinkView } from '../registry';
import { formatDate, formatRelative } from '../format';
import { hlcWall } from '../registry';
import { notify } from '../state/notices';
import { useIsAdmin, useRegistry, useReadOnlyReason, useWorkspace } from '../state/workspace-store';
import { Button } from '../ui/Button';
import { AliasChip, Badge, TagChip } from '../ui/Chip';
import { CopyableName } from '../ui/CopyButton';
import { ErrorNote } from '../ui/ErrorNote';
import { MarkdownPanel } from '../ui/MarkdownPanel';
import { hrefVersion, PageHeader } from './PageHeader';
import { Panel } from '../ui/Panel';

export function ModelPage({ model }: { model: string }) {
  const settings = useWorkspace((s) => s.settings);
  const sync = useWorkspace((s) => s.sync);
  const actor = useWorkspace((s) => s.actor);
  const readOnly = useReadOnlyReason();
  const isAdmin = useIsAdmin();
  const [error, setError] = useState<{ message: string } | null>(null);
  const data = useRegistry(
    (r) => {
      const view = r.workspace.model(model);
      if (!view) return undefined;
      const links = r.workspace.listLinks(model).map((l) => ({ link: l, version: r.project(l.project)?.getVersion(l.versionId) }));
      return { view, links, history: r.workspace.aliasHistory(model) };
    },
    [model],
  );
  useEffect(() => {
    sync?.setViewing(`registry/${model}`);
    return () => sync?.setViewing(null);
  }, [sync, model]);
  const workspaceName = settings?.mode === 'local' ? 'Local workspace' : (settings?.workspace ?? '');
  if (!data) {
    return (
      <div className="page">
        <PageHeader crumbs={[{ label: workspaceName, href: '#/' }, { label: 'Registered models' }, { label: model }]} />
        <div className="page-body">
          <ErrorNote error={{ message: `No registered model ${model} (yet — it may still be syncing).` }} />
        </div>
      </div>
    );
  }
  const ws = sync!.registry.workspace;
  const linkName = (id: string | null) => (id ? (ws.getLink(id)?.name ?? id.slice(0, 8)) : '—');
  const protectedSet = new Set(data.view.protectedAliases.map((a) => a.toLowerCase()));
  const aliasReason = (alias: string) => readOnly ?? (protectedSet.has(alias.toLowerCase()) && !isAdmin ? `"${alias}" is protected: only workspace admins can move or remove it.` : null);

  return (
    <div className="page">
      <PageHeader crumbs={[{ label: workspaceName, href: '#/' }, { label: 'Registered models' }, { label: model }]} />
      <div className="page-body">
        <div className="version-title">
          <h1 className="page-title">{model}</h1>
          {data.view.tags.map((t) => (
            <TagChip key={t} tag={t} />
          ))}
          <span className="muted">
            {data.view.linkCount} linked versions · created by {data.view.createdBy || '—'}
          </span>
        </div>
        <ErrorNote error={error} onDismiss={() => setError(null)} />
        <div className="model-grid">
          <div>
            <Panel id="model-aliases" title="Aliases">
              <div className="panel-pad">
                {data.view.aliases.length === 0 && <p className="muted">No aliases yet. Set production to the version you serve.</p>}
                <ul className="alias-rows" aria-label="Aliases in effect">
                  {data.view.aliases.map((a) => (
                    <li key={a.alias} className="alias-row" aria-label={`${a.alias} → ${linkName(a.linkId)}`}>
                      <AliasChip alias={a.alias} protectedAlias={a.protected} />
                      <span className="muted">→</span>
                      <span className="mono">{linkName(a.linkId)}</span>
                      <CopyableName text={`registry/${model}:${a.alias}`} />
                    </li>
                  ))}
                </ul>
                <SetAliasForm
                  links={data.links.map((l) => l.link)}
                  protectedAliases={data.view.protectedAliases}
                  reasonFor={aliasReason}
                  onSet={(alias, linkId) => {
                    const result = ws.moveModelAlias(actor!, model, alias, linkId);
                    if (!result.ok) {
                      setError(result.error);
                      return false;
                    }
                    setError(null);
                    notify('success', linkId ? `${alias} → ${linkName(linkId)}` : `Removed ${alias}`);
                    return true;
                  }}
                />
                <p className="muted small">
                  Protected here: {data.view.protectedAliases.join(', ') || 'none'}
                  {isAdmin ? '' : ' (admins only)'}.
                </p>
              </div>
            </Panel>
            <Panel id="linked" title="Linked versions">
              {data.links.length === 0 ? (
                <p className="panel-pad muted">Nothing linked yet. Open a version and choose “Link to registered model”.</p>
              ) : (
                <table className="table" aria-label={`Versions linked to ${model}`}>
                  <thead>
                    <tr>
                      <th>Index</th>
                      <th>Source version</th>
                      <th>Aliases</th>
                      <th>Linked</th>
                      <th aria-label="Actions" />
                    </tr>
                  </thead>
                  <tbody>
                    {data.links.map(({ link, version }) => (
                      <tr key={link.linkId}>
                        <td className="mono">{link.number === null ? <Badge tone="pending">pending</Badge> : `v${link.number}`}</td>
                        <td>
                          <a href={hrefVersion(link.project, link.artifact, link.versionId)} className="mono">
                            {link.project}/{version?.name ?? `${link.artifact}:${link.versionId.slice(0, 8)}`}
                          </a>
                          {version?.deleted && <Badge tone="danger">deleted</Badge>}
                        </td>
                        <td className="cell-chips">
                          {link.aliases.map((a) => (
                            <AliasChip key={a} alias={a} protectedAlias={protectedSet.has(a.toLowerCase())} />
                          ))}
                        </td>
                        <td title={formatDate(link.createdAt)}>
                          {formatRelative(link.createdAt)} · {link.createdBy}
                        </td>
                        <td>
                          <Button
                            size="sm"
                            variant="ghost"
                            disabledReason={readOnly}
                            onClick={() => {
                              const r = ws.unlink(actor!, link.linkId);
                              if (!r.ok) setError(r.error);
                            }}
                          >
                            Unlink
                          </Button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Panel>
            <AliasTimeline history={data.history} linkName={linkName} />
          </div>
          <MarkdownPanel
            title="Model card"
            className="model-card"
            rows={14}
            text={data.view.description}
            empty="No model card yet: say what this model does, how it was evaluated and who owns it."
            disabledReason={readOnly}
            onSave={(description) => {
              const r = ws.editModel(actor!, model, { description });
              if (!r.ok) setError(r.error);
              return r.ok;
            }}
          />
        </div>
      </div>
    </div>
  );
}

function SetAliasForm({ links, protectedAliases, reasonFor, onSet }: { links: LinkView[]; protectedAliases: string[]; reasonFor: (alias: string) => string | null; onSet: (alias: string, linkId: string | null) => boolean }) {
  const [alias, setAlias] = useState(protectedAliases[0] ?? 'production');
  const [target, setTarget] = useState('');
  const linkId = target || links[0]?.linkId || '';
  const reason = reasonFor(alias);
  return (
    <form
      className="inline-form set-alias"
      aria-label="Set alias"
      onSubmit={(e) => {
        e.preventDefault();
        onSet(alias.trim(), linkId || null);
      }}
    >
      <input aria-label="Alias" list="alias-suggestions" value={alias} onChange={(e) => setAlias(e.target.value)} />
      <datalist id="alias-suggestions">
        {['production', 'staging', 'candidate', 'shadow'].map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <span className="muted">→</span>
      <select aria-label="Linked version" value={linkId} onChange={(e) => setTarget(e.target.value)}>
        {links.map((l) => (
          <option key={l.linkId} value={l.linkId}>
            {l.name} ({l.project}/{l.artifact})
          </option>
        ))}
      </select>
      <Button type="submit" size="sm" variant="primary" disabledReason={reason} disabled={!alias.trim() || !linkId}>
        Set alias
      </Button>
      <Button size="sm" disabledReason={reason} disabled={!alias.trim()} onClick={() => onSet(alias.trim(), null)}>
        Remove
      </Button>
    </form>
  );
}

const STATUS_TEXT: Record<AliasHistoryEntry['status'], string> = {
  current: 'in effect',
  superseded: 'replaced',
  overridden: 'overridden',
  rejected: 'rejected (clock ahead)',
};

/** Every alias move, including moves that lost to a concurrent move, shown as such. */
function AliasTimeline({ history, linkName }: { history: AliasHistoryEntry[]; linkName: (id: string | null) => string }) {
  const items = [...history].reverse();
  return (
    <Panel id="history" title="Alias history">
      {items.length === 0 ? (
        <p className="panel-pad muted">No alias moves yet.</p>
      ) : (
        <ol className="timeline" aria-label="Alias history">
          {items.map((h) => (
            <li key={h.id} className={`timeline-item tl-${h.status}`}>
              <span className="tl-dot" aria-hidden="true" />
              <div className="tl-main">
                <span>
                  <strong>{h.move.by}</strong> {h.move.target ? 'moved' : 'removed'} <AliasChip alias={h.move.alias} />
                  {h.move.target && (
                    <>
                      {' '}
                      to <span className="mono">{linkName(h.move.target)}</span>
                    </>
                  )}
                </span>
                <Badge tone={h.status === 'current' ? 'ok' : h.status === 'overridden' || h.status === 'rejected' ? 'warn' : 'neutral'}>{STATUS_TEXT[h.status]}</Badge>
                <span className="muted small" title={formatDate(hlcWall(h.move.hlc))}>
                  {formatRelative(hlcWall(h.move.hlc))}
                </span>
              </div>
              {h.status === 'overridden' && h.overriddenBy && (
                <p className="tl-note">
                  {h.move.by}'s move of {h.move.alias} to {linkName(h.move.target)} was overridden by {h.overriddenBy.by}'s concurrent move to {linkName(h.overriddenBy.target)}.
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}
