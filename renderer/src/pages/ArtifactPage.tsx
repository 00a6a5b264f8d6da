import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, type CSSProperties, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { VersionQuery, VersionView } from '../registry';
import { formatBytes, formatDate, formatMetric, formatRelative, shortDigest } from '../format';
import { useLogJobs } from '../state/log-jobs';
import { go } from '../state/route';
import { useProjectReady, useRegistry, useReadOnlyReason, useWorkspace } from '../state/workspace-store';
import { Loading } from '../ui/Loading';
import { Button } from '../ui/Button';
import { AliasChip, TagChip } from '../ui/Chip';
import { CopyButton } from '../ui/CopyButton';
import { DropZone } from '../ui/DropZone';
import { ErrorNote } from '../ui/ErrorNote';
import { LogFromHostPath } from './LogFromHostPath';
import { PickFiles } from '../ui/PickFiles';
import { hrefProject, hrefVersion, PageHeader } from './PageHeader';

type SortKey = 'number' | 'created' | 'bytes' | 'files' | 'createdBy' | string;

const ROW_HEIGHT = 34;
const FIXED_COLUMNS: { key: SortKey; label: string; width: number; numeric?: boolean }[] = [
  { key: 'number', label: 'Version', width: 96 },
  { key: 'aliases', label: 'Aliases', width: 156 },
  { key: 'created', label: 'Created', width: 150 },
  { key: 'createdBy', label: 'By', width: 100 },
  { key: 'bytes', label: 'Size', width: 90, numeric: true },
  { key: 'files', label: 'Files', width: 64, numeric: true },
];

export function ArtifactPage({ project, artifact }: { project: string; artifact: string }) {
  const settings = useWorkspace((s) => s.settings);
  const readOnly = useReadOnlyReason();
  const start = useLogJobs((s) => s.start);
  const [filter, setFilter] = useState('');
  const deferredFilter = useDeferredValue(filter);
  const [sort, setSort] = useState<{ key: SortKey; dir: 'asc' | 'desc' }>({ key: 'number', dir: 'desc' });
  const [selected, setSelected] = useState<string[]>([]);
  const [dropError, setDropError] = useState<string | null>(null);
  const [chosenMetrics, setChosenMetrics] = useState<string[] | null>(null);
  const [showColumns, setShowColumns] = useState(false);

  const info = useRegistry((r) => r.project(project)?.artifact(artifact), [project, artifact]);
  const listing = useRegistry((r) => r.project(project)?.queryVersions(artifact, { filter: deferredFilter, sort }), [project, artifact, deferredFilter, sort]);
  const total = listing?.ok ? listing.value.total : 0;
  const rowAt = (i: number) => (listing as { value: VersionQuery }).value.at(i);
  const metricKeys = useMemo(() => (listing?.ok ? numericKeys(listing.value) : []), [listing]);
  const metrics = useMemo(() => (chosenMetrics ?? metricKeys.slice(0, 4)).filter((k) => metricKeys.includes(k) || chosenMetrics?.includes(k)), [chosenMetrics, metricKeys]);

  const workspaceName = settings?.mode === 'local' ? 'Local workspace' : (settings?.workspace ?? '');
  const ready = useProjectReady(project);
  const toggleSelect = useCallback((id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s.slice(-1), id])), []);
  const open = useCallback((v: VersionView) => go({ page: 'version', project, artifact, versionId: v.versionId }), [project, artifact]);
  useEffect(() => {
    if (total > 0) performance.mark('cairn:table-rows');
  }, [total > 0]);

  if (!ready) return <Loading what={`${project}/${artifact}`} />;
  if (info === undefined && listing && !listing.ok && listing.error.code === 'ARTIFACT_NOT_FOUND') {
    return (
      <div className="page">
        <PageHeader crumbs={[{ label: workspaceName, href: '#/' }, { label: project, href: hrefProject(project) }, { label: artifact }]} />
        <div className="page-body">
          <ErrorNote error={listing.error} />
        </div>
      </div>
    );
  }

  const toggleSort = (key: SortKey) => setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: key === 'number' || key === 'created' ? 'desc' : 'asc' }));

  return (
    <div className="page page-fill">
      <PageHeader
        crumbs={[{ label: workspaceName, href: '#/' }, { label: project, href: hrefProject(project) }, { label: artifact }]}
        actions={
          <>
            <PickFiles disabledReason={readOnly} onSource={(source) => void start(project, artifact, source)} onError={setDropError} />
            <Button
              disabled={selected.length !== 2}
              title={selected.length === 2 ? 'Compare the two selected versions' : 'Select two versions to compare'}
              onClick={() => go({ page: 'compare', project, artifact, a: selected[0]!, b: selected[1]! })}
            >
              Compare{selected.length > 0 ? ` (${selected.length}/2)` : ''}
            </Button>
          </>
        }
      />
      <DropZone
        label={`Drop to log a new version of ${artifact}`}
        disabledReason={readOnly}
        onSource={(source) => void start(project, artifact, source)}
        onError={setDropError}
      >
        <div className="artifact-body">
          <div className="artifact-head">
            <div>
              <h1 className="page-title">
                {artifact} <span className="title-count">{plural(info?.versionCount ?? 0, 'version')}</span>
              </h1>
              <div className="name-line">
                <code className="mono">
                  {project}/{artifact}:latest
                </code>
                <CopyButton text={`${project}/${artifact}:latest`} label="name" />
              </div>
            </div>
          </div>
          <div className="filter-bar">
            <input
              className="filter-input"
              aria-label="Filter versions"
              placeholder="Filter: alias:production  tag:best  digest:3fa9  created>=2026-05-01  val_loss < 0.3"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              spellCheck={false}
            />
            <span className="filter-count muted" aria-live="polite">
              {listing?.ok ? `${total} shown` : ''}
            </span>
            <div className="columns-menu">
              <Button size="sm" aria-expanded={showColumns} onClick={() => setShowColumns((x) => !x)}>
                Columns
              </Button>
              {showColumns && (
                <div className="menu" role="group" aria-label="Metric columns">
                  {metricKeys.length === 0 && <p className="muted small">No numeric metadata yet.</p>}
                  {metricKeys.map((k) => (
                    <label key={k} className="menu-check">
                      <input
                        type="checkbox"
                        checked={metrics.includes(k)}
                        onChange={(e) => setChosenMetrics(e.target.checked ? [...metrics, k] : metrics.filter((m) => m !== k))}
                      />
                      {k}
                    </label>
                  ))}
                </div>
              )}
            </div>
          </div>
          {listing && !listing.ok && <ErrorNote error={listing.error} />}
          <ErrorNote error={dropError ? { message: dropError } : null} onDismiss={() => setDropError(null)} />
          <VersionsTable
            artifact={artifact}
            project={project}
            query={listing?.ok ? listing.value : null}
            filtered={!!filter}
            metrics={metrics}
            sort={sort}
            onSort={toggleSort}
            selected={selected}
            onOpen={open}
            onToggle={toggleSelect}
          />
          <LogFromHostPath project={project} artifact={artifact} disabledReason={readOnly} />
          <p className="muted small digest-hint">
            Tip: copy a digest prefix into the filter (digest:{total > 0 ? shortDigest(rowAt(0).digest) : '3fa9c1'}) to find a checkpoint by content.
          </p>
        </div>
      </DropZone>
    </div>
  );
}

function SortMark({ active, dir }: { active: boolean; dir: 'asc' | 'desc' }) {
  return (
    <span className={`sort-mark${active ? ' active' : ''}`} aria-hidden="true">
      {active ? (dir === 'asc' ? '▲' : '▼') : '↕'}
    </span>
  );
}

/** Numeric metadata keys, most common first (from the first rows: enough to pick columns). */
function numericKeys(query: VersionQuery): string[] {
  const counts = new Map<string, number>();
  for (let i = 0; i < Math.min(200, query.total); i++) {
    const v = query.at(i);
    for (const [k, value] of Object.entries(v.metadata)) if (typeof value === 'number') counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const preferred = (k: string) => (/loss|acc|f1|auc|bleu|score|ppl|perplexity/i.test(k) ? 0 : 1);
  return [...counts.entries()].sort((a, b) => preferred(a[0]) - preferred(b[0]) || b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;
}

interface RowProps {
  v: VersionView;
  index: number;
  /** Its offset from the top of the table body, in pixels. */
  start: number;
  project: string;
  artifact: string;
  metrics: string[];
  selected: boolean;
  onOpen: (v: VersionView) => void;
  onToggle: (id: string) => void;
}

/** One row; memoized, so rows that stay on screen while scrolling are not rendered again. */
const VersionRow = memo(function VersionRow({ v, index, start, project, artifact, metrics, selected, onOpen, onToggle }: RowProps) {
  return (
    <div
      role="row"
      className={`vt-row version-row${selected ? ' selected' : ''}`}
      aria-rowindex={index + 2}
      // Placed, not flowed: rows that stay on screen never move within the table, so a
      // scroll frame lays out and paints only the rows that arrive.
      style={{ transform: `translateY(${start}px)` }}
      tabIndex={0}
      onClick={() => onOpen(v)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onOpen(v);
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          const next = (e.currentTarget as HTMLElement)[e.key === 'ArrowDown' ? 'nextElementSibling' : 'previousElementSibling'] as HTMLElement | null;
          next?.focus();
        }
      }}
    >
      <div role="cell" className="vt-cell" onClick={(e) => e.stopPropagation()}>
        <input type="checkbox" aria-label={`Select ${v.name} to compare`} checked={selected} onChange={() => onToggle(v.versionId)} />
      </div>
      <div role="cell" className="vt-cell">
        <a
          href={hrefVersion(project, artifact, v.versionId)}
          className={`mono version-link${v.number === null ? ' version-pending' : ''}`}
          title={v.number === null ? 'Pending: the sync server gives it its permanent number when it receives it' : undefined}
          onClick={(e) => e.stopPropagation()}
        >
          {v.number === null ? 'pending' : `v${v.number}`}
        </a>
      </div>
      <div role="cell" className="vt-cell cell-chips">
        {v.aliases.map((a) => (
          <AliasChip key={a} alias={a} />
        ))}
      </div>
      <div role="cell" className="vt-cell" title={formatDate(v.createdAt)}>
        {formatRelative(v.createdAt)}
      </div>
      <div role="cell" className="vt-cell">
        {v.createdBy}
      </div>
      <div role="cell" className="vt-cell num">
        {formatBytes(v.bytes)}
      </div>
      <div role="cell" className="vt-cell num">
        {v.fileCount}
      </div>
      {metrics.map((m) => (
        <div role="cell" key={m} className="vt-cell num mono">
          {formatMetric(v.metadata[m])}
        </div>
      ))}
      <div role="cell" className="vt-cell cell-chips">
        {v.tags.map((t) => (
          <TagChip key={t} tag={t} />
        ))}
      </div>
    </div>
  );
});

interface TableProps {
  project: string;
  artifact: string;
  query: VersionQuery | null;
  filtered: boolean;
  metrics: string[];
  sort: { key: SortKey; dir: 'asc' | 'desc' };
  onSort: (key: SortKey) => void;
  selected: string[];
  onOpen: (v: VersionView) => void;
  onToggle: (id: string) => void;
}

const SELECT_WIDTH = 34;
const METRIC_WIDTH = 88;
const TAGS_MIN_WIDTH = 140;

/**
 * The virtualized versions table: an ARIA table of absolutely placed rows (an HTML table
 * re-lays out and repaints every row whenever one is added above the others). Its own
 * component, so a scroll frame re-renders the table alone, not the page around it.
 */
function VersionsTable({ project, artifact, query, filtered, metrics, sort, onSort, selected, onOpen, onToggle }: TableProps) {
  const total = query?.total ?? 0;
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  const items = virtualizer.getVirtualItems();
  const ariaSort = (key: SortKey) => (sort.key === key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none');
  const widths = [SELECT_WIDTH, ...FIXED_COLUMNS.map((c) => c.width), ...metrics.map(() => METRIC_WIDTH)];
  const columns = `${widths.map((w) => `${w}px`).join(' ')} minmax(${TAGS_MIN_WIDTH}px, 1fr)`;
  const minWidth = widths.reduce((a, b) => a + b, TAGS_MIN_WIDTH);
  return (
    <div className="table-scroll" ref={scroller} tabIndex={-1}>
      <div
        role="table"
        className="versions-table"
        aria-label={`Versions of ${artifact}`}
        aria-rowcount={total + 1}
        style={{ '--vt-columns': columns, minWidth } as CSSProperties}
      >
        <div role="rowgroup" className="vt-head">
          <div role="row" className="vt-head-row" aria-rowindex={1}>
            <div role="columnheader" className="vt-th" aria-label="Select" />
            {FIXED_COLUMNS.map((c) => (
              <div role="columnheader" key={c.key} aria-sort={c.key === 'aliases' ? undefined : ariaSort(c.key)} className={`vt-th${c.numeric ? ' num' : ''}`}>
                {c.key === 'aliases' ? (
                  c.label
                ) : (
                  <button type="button" className="sort" onClick={() => onSort(c.key)}>
                    {c.label}
                    <SortMark active={sort.key === c.key} dir={sort.dir} />
                  </button>
                )}
              </div>
            ))}
            {metrics.map((m) => (
              <div role="columnheader" key={m} aria-sort={ariaSort(m)} className="vt-th num">
                <button type="button" className="sort" onClick={() => onSort(m)}>
                  {m}
                  <SortMark active={sort.key === m} dir={sort.dir} />
                </button>
              </div>
            ))}
            <div role="columnheader" className="vt-th">
              Tags
            </div>
          </div>
        </div>
        <div role="rowgroup" className="vt-body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const v = query!.at(item.index);
            return (
              <VersionRow
                key={v.versionId}
                v={v}
                index={item.index}
                start={item.start}
                project={project}
                artifact={artifact}
                metrics={metrics}
                selected={selected.includes(v.versionId)}
                onOpen={onOpen}
                onToggle={onToggle}
              />
            );
          })}
        </div>
      </div>
      {query && total === 0 && (
        <div className="empty-drop">
          {filtered ? (
            <p>No version matches this filter.</p>
          ) : (
            <>
              <p className="empty-title">No versions yet</p>
              <p className="muted">Drop a checkpoint folder here to log v0.</p>
            </>
          )}
        </div>
      )}
    </div>
  );
}
