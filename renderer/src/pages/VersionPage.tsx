import { useEffect, useMemo, useState } from 'react';
import type { VerifyReport } from '../../../electron/shared/contract';
import { HostError } from '../../../electron/shared/host-error';
import { host } from '../host';
import type { Json, Metadata } from '../registry';
import { formatBytes, formatDate, formatMetric, formatRelative } from '../format';
import { useAppStore } from '../state';
import { notify } from '../state/notices';
import { useProjectReady, useRegistry, useReadOnlyReason, useWorkspace } from '../state/workspace-store';
import { Loading } from '../ui/Loading';
import { Button } from '../ui/Button';
import { AliasChip, Badge } from '../ui/Chip';
import { CopyableName } from '../ui/CopyButton';
import { Dialog } from '../ui/Dialog';
import { ErrorNote } from '../ui/ErrorNote';
import { MarkdownPanel } from '../ui/MarkdownPanel';
import { FileTree } from './FileTree';
import { hrefArtifact, hrefModel, hrefProject, PageHeader } from './PageHeader';
import { Panel } from '../ui/Panel';

type Err = { code?: string; message: string } | null;

export function VersionPage({ project, artifact, versionId }: { project: string; artifact: string; versionId: string }) {
  const settings = useWorkspace((s) => s.settings);
  const sync = useWorkspace((s) => s.sync);
  const actor = useWorkspace((s) => s.actor);
  const readOnly = useReadOnlyReason();
  const shell = useAppStore((s) => (s.info.status === 'ready' ? s.info.value.shell : 'web'));
  const [error, setError] = useState<Err>(null);
  const [dialog, setDialog] = useState<'link' | 'delete' | null>(null);
  const version = useRegistry((r) => r.project(project)?.getVersion(versionId), [project, versionId]);
  const files = useRegistry((r) => r.project(project)?.files(versionId) ?? [], [project, versionId]) ?? [];
  const links = useRegistry((r) => r.workspace.linksToVersion(project, versionId), [project, versionId]) ?? [];
  const localCopy = useLocalCopy(version?.storeId);
  const workspaceName = settings?.mode === 'local' ? 'Local workspace' : (settings?.workspace ?? '');

  useEffect(() => {
    if (version) sync?.setViewing(`${project}/${version.name}`);
    return () => sync?.setViewing(null);
  }, [sync, project, version?.name]);

  const ready = useProjectReady(project);
  if (!ready) return <Loading what={`${project}/${artifact}`} />;
  if (!version) {
    return (
      <div className="page">
        <PageHeader crumbs={[{ label: workspaceName, href: '#/' }, { label: project, href: hrefProject(project) }, { label: artifact, href: hrefArtifact(project, artifact) }, { label: versionId.slice(0, 8) }]} />
        <div className="page-body">
          <ErrorNote error={{ message: `No version ${versionId} in ${project}/${artifact} (yet — it may still be syncing).` }} />
        </div>
      </div>
    );
  }
  const model = sync!.registry.project(project)!;
  const run = <T,>(result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): result is { ok: true; value: T } => {
    if (!result.ok) setError(result.error);
    else setError(null);
    return result.ok;
  };
  const vLabel = version.number === null ? 'pending' : `v${version.number}`;
  const names = [`${project}/${version.name}`, ...version.aliases.map((a) => `${project}/${artifact}:${a}`), `sha256:${version.digest}`];

  return (
    <div className="page">
      <PageHeader
        crumbs={[{ label: workspaceName, href: '#/' }, { label: project, href: hrefProject(project) }, { label: artifact, href: hrefArtifact(project, artifact) }, { label: vLabel }]}
        actions={
          <>
            <Button onClick={() => setDialog('link')} disabledReason={readOnly ?? (version.deleted ? 'Deleted versions cannot be linked.' : null)}>
              Link to registered model
            </Button>
            {shell === 'electron' && (
              <Button onClick={() => void host.store.reveal(version.storeId).catch((e: unknown) => setError(asError(e)))} disabledReason={localCopy.local ? null : 'The files of this version are not on this machine.'}>
                Reveal in folder
              </Button>
            )}
            <Button variant="danger" onClick={() => setDialog('delete')} disabledReason={readOnly ?? (version.deleted ? 'Already deleted.' : null)}>
              Delete…
            </Button>
          </>
        }
      />
      <div className="page-body version-body">
        <div className="version-title">
          <h1 className="page-title">
            <span className="mono">{artifact}</span>:<span className="mono">{vLabel === 'pending' ? version.versionId.slice(0, 8) : vLabel}</span>
          </h1>
          {version.number === null && (
            <Badge tone="pending" title="Recorded on this machine; the sync server gives it its permanent number when it receives it.">
              pending number
            </Badge>
          )}
          {version.deleted && (
            <Badge tone="danger" title={version.deleted.reason}>
              deleted by {version.deleted.by}
            </Badge>
          )}
          {version.duplicateOf && <Badge tone="warn">same content as {model.getVersion(version.duplicateOf)?.name}</Badge>}
          <span className="muted">
            {formatBytes(version.bytes)} · {version.fileCount} files · logged {formatRelative(version.createdAt)} by {version.createdBy}
          </span>
        </div>
        <ErrorNote error={error} onDismiss={() => setError(null)} />
        {version.deleted && (
          <p className="deleted-note">
            Deleted {formatDate(version.deleted.at)} by {version.deleted.by}
            {version.deleted.reason ? `: “${version.deleted.reason}”` : ''}. Its number is never reused.
          </p>
        )}
        {version.deletionBlockedBy && (
          <p className="deleted-note" role="note">
            {version.deletionBlockedBy.by} asked to delete this version{version.deletionBlockedBy.reason ? ` (“${version.deletionBlockedBy.reason}”)` : ''}, but it is <strong>{version.deletionBlockedBy.alias}</strong> of {version.deletionBlockedBy.model}, so it stays.
          </p>
        )}
        <div className="version-grid">
          <Panel
            id="files"
            title={<>Files <span className="muted">({formatBytes(version.bytes)} total)</span></>}
            actions={<VerifyButton storeId={version.storeId} available={localCopy.local} loggedOn={version.source.host} />}
          >
            <FileTree files={files} />
          </Panel>
          <div className="version-side">
            <Panel id="names" title="Names">
              <div className="panel-pad names">
                {names.map((n) => (
                  <CopyableName key={n} text={n} />
                ))}
              </div>
            </Panel>
            <AliasesPanel
              aliases={version.aliases}
              disabledReason={readOnly ?? (version.deleted ? 'Deleted versions cannot have aliases.' : null)}
              onAdd={(alias) => run(model.moveAlias(actor!, artifact, alias, versionId))}
              onRemove={(alias) => run(model.moveAlias(actor!, artifact, alias, null))}
            />
            {links.length > 0 && (
              <Panel id="links" title="In registered models">
                <ul className="panel-pad plain-list">
                  {links.map((l) => (
                    <li key={l.linkId}>
                      <a href={hrefModel(l.model)}>{l.name}</a>{' '}
                      {l.aliases.map((a) => (
                        <AliasChip key={a} alias={a} protectedAlias={sync!.registry.workspace.isProtected(l.model, a)} />
                      ))}
                    </li>
                  ))}
                </ul>
              </Panel>
            )}
            <MarkdownPanel
              title="Description"
              text={version.description}
              disabledReason={readOnly ?? (version.deleted ? 'Deleted versions cannot be edited.' : null)}
              onSave={(description) => run(model.editVersion(actor!, versionId, { description }))}
            />
            <MetadataPanel metadata={version.metadata} disabledReason={readOnly ?? (version.deleted ? 'Deleted versions cannot be edited.' : null)} onSave={(metadata) => run(model.editVersion(actor!, versionId, { metadata }))} />
            <TagsPanel tags={version.tags} disabledReason={readOnly ?? (version.deleted ? 'Deleted versions cannot be edited.' : null)} onSave={(tags) => run(model.editVersion(actor!, versionId, { tags }))} />
            <Panel id="source" title="Source">
              <dl className="facts">
                <Fact k="Logged by" v={`${version.createdBy}, ${formatDate(version.createdAt)}`} />
                <Fact k="How" v={version.source.kind === 'drop' ? 'Dropped in the app' : version.source.kind === 'cli' ? 'Command line' : 'Folder watch'} />
                <Fact k="Original path" v={version.source.path ?? '—'} mono />
                <Fact k="Host" v={version.source.host ?? '—'} />
                <Fact k="Version id" v={version.versionId} mono />
              </dl>
            </Panel>
          </div>
        </div>
      </div>
      <LinkDialog
        open={dialog === 'link'}
        onClose={() => setDialog(null)}
        onLink={(modelName, alias) => {
          const result = sync!.registry.linkVersion(actor!, modelName, project, versionId, alias ? [alias] : []);
          if (!result.ok) return result.error;
          notify('success', `Linked ${version.name} to ${modelName} as ${result.value.link.name}${alias ? ` (${alias})` : ''}.`);
          setDialog(null);
          return null;
        }}
      />
      <DeleteDialog
        open={dialog === 'delete'}
        name={`${project}/${version.name}`}
        onClose={() => setDialog(null)}
        onDelete={(reason) => {
          const result = sync!.registry.deleteVersion(actor!, project, versionId, reason);
          if (!result.ok) return result.error;
          notify('info', `Deleted ${version.name}.`);
          setDialog(null);
          return null;
        }}
      />
    </div>
  );
}

function Fact({ k, v, mono }: { k: string; v: string; mono?: boolean }) {
  return (
    <div className="fact">
      <dt>{k}</dt>
      <dd className={mono ? 'mono' : undefined}>{v}</dd>
    </div>
  );
}

function asError(e: unknown): { code: string; message: string } {
  return e instanceof HostError ? { code: e.code, message: e.message } : { code: 'ERROR', message: String(e) };
}

/** Whether this machine's store holds the version's files (teammates' versions are manifest-only here). */
function useLocalCopy(storeId: string | undefined): { local: boolean } {
  const [local, setLocal] = useState(false);
  useEffect(() => {
    if (!storeId) return;
    let live = true;
    host.store
      .list()
      .then((list) => live && setLocal(list.some((v) => v.versionId === storeId)))
      .catch(() => live && setLocal(false));
    return () => {
      live = false;
    };
  }, [storeId]);
  return { local };
}

function VerifyButton({ storeId, available, loggedOn }: { storeId: string; available: boolean; loggedOn: string | undefined }) {
  const [state, setState] = useState<{ running: boolean; report?: VerifyReport; error?: string }>({ running: false });
  return (
    <div className="verify">
      <Button
        size="sm"
        disabledReason={available ? null : `The files were logged on ${loggedOn ?? 'another machine'}; only their manifest is here.`}
        disabled={state.running}
        onClick={() => {
          setState({ running: true });
          host.store
            .verify(`verify-${crypto.randomUUID()}`, storeId)
            .then((report) => setState({ running: false, report }))
            .catch((e: unknown) => setState({ running: false, error: asError(e).message }));
        }}
      >
        {state.running ? 'Verifying…' : 'Verify files'}
      </Button>
      {state.report && (
        <span role="status" className={state.report.ok ? 'verify-ok' : 'verify-bad'}>
          {state.report.ok
            ? `All ${state.report.filesChecked} files match their digests.`
            : `${state.report.versions.flatMap((v) => v.problems).length} problems: ${state.report.versions
                .flatMap((v) => v.problems)
                .slice(0, 3)
                .map((p) => `${p.kind} ${p.path}`)
                .join('; ')}`}
        </span>
      )}
      {state.error && (
        <span role="alert" className="verify-bad">
          {state.error}
        </span>
      )}
    </div>
  );
}

function AliasesPanel({ aliases, disabledReason, onAdd, onRemove }: { aliases: string[]; disabledReason: string | null; onAdd: (alias: string) => boolean; onRemove: (alias: string) => boolean }) {
  const [alias, setAlias] = useState('');
  return (
    <Panel id="aliases" title="Aliases">
      <div className="panel-pad">
        <div className="chips">
          {aliases.length === 0 && <span className="muted">No aliases.</span>}
          {aliases.map((a) => (
            <AliasChip key={a} alias={a} onRemove={() => onRemove(a)} removeDisabledReason={disabledReason} />
          ))}
        </div>
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (alias.trim() && onAdd(alias.trim())) setAlias('');
          }}
        >
          <input aria-label="New alias" placeholder="best, candidate…" value={alias} onChange={(e) => setAlias(e.target.value)} disabled={!!disabledReason} title={disabledReason ?? 'An alias names one version: adding it here moves it from wherever it was.'} />
          <Button type="submit" size="sm" disabledReason={disabledReason} disabled={!alias.trim()}>
            Add alias
          </Button>
        </form>
      </div>
    </Panel>
  );
}

function MetadataPanel({ metadata, disabledReason, onSave }: { metadata: Metadata; disabledReason: string | null; onSave: (m: Metadata) => boolean }) {
  const [editing, setEditing] = useState<string | null>(null);
  const [parseError, setParseError] = useState<string | null>(null);
  const entries = useMemo(() => Object.entries(metadata), [metadata]);
  return (
    <Panel
      id="metadata"
      title="Metadata"
      actions={
        editing === null && (
          <Button size="sm" variant="ghost" onClick={() => setEditing(JSON.stringify(metadata, null, 2))} disabledReason={disabledReason}>
            Edit metadata
          </Button>
        )
      }
    >
      {editing === null ? (
        entries.length === 0 ? (
          <p className="panel-pad muted">No metadata. Metrics such as val_loss become sortable columns and filters.</p>
        ) : (
          <dl className="facts">
            {entries.map(([k, v]) => (
              <Fact key={k} k={k} v={formatMetric(v as Json)} mono={typeof v === 'number'} />
            ))}
          </dl>
        )
      ) : (
        <div className="panel-pad">
          <textarea aria-label="Metadata (JSON)" className="editor mono" rows={8} value={editing} onChange={(e) => setEditing(e.target.value)} spellCheck={false} />
          <ErrorNote error={parseError ? { message: parseError } : null} />
          <div className="inline-form">
            <Button
              size="sm"
              variant="primary"
              onClick={() => {
                let value: unknown;
                try {
                  value = JSON.parse(editing);
                } catch (e) {
                  return setParseError(`Not valid JSON: ${(e as Error).message}`);
                }
                setParseError(null);
                if (onSave(value as Metadata)) setEditing(null);
              }}
            >
              Save metadata
            </Button>
            <Button size="sm" onClick={() => setEditing(null)}>
              Cancel
            </Button>
          </div>
        </div>
      )}
    </Panel>
  );
}

function TagsPanel({ tags, disabledReason, onSave }: { tags: string[]; disabledReason: string | null; onSave: (t: string[]) => boolean }) {
  const [tag, setTag] = useState('');
  return (
    <Panel id="tags" title="Tags">
      <div className="panel-pad">
        <div className="chips">
          {tags.length === 0 && <span className="muted">No tags.</span>}
          {tags.map((t) => (
            <span key={t} className="chip chip-tag">
              {t}
              <button type="button" className="chip-x" aria-label={`Remove tag ${t}`} disabled={!!disabledReason} title={disabledReason ?? `Remove ${t}`} onClick={() => onSave(tags.filter((x) => x !== t))}>
                ×
              </button>
            </span>
          ))}
        </div>
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (tag.trim() && onSave([...tags, tag.trim()])) setTag('');
          }}
        >
          <input aria-label="New tag" placeholder="baseline, fp16…" value={tag} onChange={(e) => setTag(e.target.value)} disabled={!!disabledReason} title={disabledReason ?? undefined} />
          <Button type="submit" size="sm" disabledReason={disabledReason} disabled={!tag.trim()}>
            Add tag
          </Button>
        </form>
      </div>
    </Panel>
  );
}

function LinkDialog({ open, onClose, onLink }: { open: boolean; onClose: () => void; onLink: (model: string, alias: string) => Err }) {
  const models = useRegistry((r) => r.workspace.models(), []) ?? [];
  const [model, setModel] = useState('');
  const [alias, setAlias] = useState('');
  const [error, setError] = useState<Err>(null);
  const chosen = model || models[0]?.name || '';
  return (
    <Dialog
      title="Link to registered model"
      open={open}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" disabled={!chosen} onClick={() => setError(onLink(chosen, alias.trim()))}>
            Link
          </Button>
        </>
      }
    >
      {models.length === 0 ? (
        <p>
          There are no registered models yet. Create one from the sidebar (<strong>+</strong> next to Registered models), then link this version to it.
        </p>
      ) : (
        <>
          <label className="field">
            <span>Registered model</span>
            <select value={chosen} onChange={(e) => setModel(e.target.value)}>
              {models.map((m) => (
                <option key={m.name} value={m.name}>
                  {m.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Alias in the registered model (optional)</span>
            <input value={alias} onChange={(e) => setAlias(e.target.value)} placeholder="staging" />
            <small>Protected aliases (production, staging by default) can only be set by admins.</small>
          </label>
        </>
      )}
      <ErrorNote error={error} />
    </Dialog>
  );
}

function DeleteDialog({ open, name, onClose, onDelete }: { open: boolean; name: string; onClose: () => void; onDelete: (reason: string) => Err }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<Err>(null);
  return (
    <Dialog
      title={`Delete ${name}`}
      open={open}
      onClose={() => {
        setError(null);
        onClose();
      }}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="danger" onClick={() => setError(onDelete(reason.trim()))}>
            Delete version
          </Button>
        </>
      }
    >
      <p>The version is hidden and its aliases are removed. Its record and number stay, so links and history still make sense; the number is never reused.</p>
      <label className="field">
        <span>Reason</span>
        <textarea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Diverged after step 12k; eval set leak…" />
      </label>
      <ErrorNote error={error} />
    </Dialog>
  );
}

