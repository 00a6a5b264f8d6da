import { useEffect, useMemo } from 'react';
import { create } from 'zustand';
import type { SearchHit } from '../registry';
import { go, useRoute } from '../state/route';
import { useRegistry } from '../state/workspace-store';

export const useQuickOpen = create<{ open: boolean; query: string; selected: number; show(): void; hide(): void; setQuery(q: string): void; select(i: number): void }>((set) => ({
  open: false,
  query: '',
  selected: 0,
  // Reset as part of opening, so typing right after Ctrl+K is never lost to a late reset.
  show: () => set({ open: true, query: '', selected: 0 }),
  hide: () => set({ open: false }),
  setQuery: (query) => set({ query, selected: 0 }),
  select: (selected) => set({ selected }),
}));

function openHit(hit: SearchHit): void {
  switch (hit.kind) {
    case 'project':
      return go({ page: 'project', project: hit.project! });
    case 'artifact':
      return go({ page: 'artifact', project: hit.project!, artifact: hit.artifact! });
    case 'model':
    case 'link':
      return go({ page: 'model', model: hit.model! });
    case 'version':
      return go({ page: 'version', project: hit.project!, artifact: hit.artifact!, versionId: hit.versionId! });
  }
}

/** Ctrl/Cmd+K: jump to any project, artifact, registered model, or a name like resnet:production. */
export function QuickOpen() {
  const { open, show, hide, query, setQuery, selected, select } = useQuickOpen();
  const setSelected = (f: (i: number) => number) => select(f(useQuickOpen.getState().selected));
  const route = useRoute((s) => s.route);
  const currentProject = 'project' in route ? route.project : undefined;
  const hits = useRegistry((r) => {
    const found = r.search(query, 12);
    if (found.length > 0 || !query.includes(':')) return found;
    // A name that only resolves in the current project.
    const resolved = r.resolve(query.trim(), currentProject ? { currentProject } : {});
    if (resolved.ok && resolved.value.kind === 'version') {
      const v = resolved.value.version;
      return [{ kind: 'version', label: `${v.project}/${v.name}`, detail: query, project: v.project, artifact: v.artifact, versionId: v.versionId, score: 1 } as SearchHit];
    }
    return found;
  }, [query, currentProject]) ?? [];

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        show();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [show]);
  const choose = useMemo(
    () => (hit: SearchHit | undefined) => {
      if (!hit) return;
      hide();
      openHit(hit);
    },
    [hide],
  );
  if (!open) return null;
  return (
    <div className="quick-open-backdrop" onMouseDown={hide}>
      <div className="quick-open" role="dialog" aria-label="Quick open" onMouseDown={(e) => e.stopPropagation()}>
        <input
          autoFocus
          className="quick-open-input"
          role="combobox"
          aria-expanded={hits.length > 0}
          aria-controls="quick-open-list"
          aria-label="Jump to a project, artifact, registered model or name"
          placeholder="Jump to…  resnet50, fraud-detector, vision/resnet50:production"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') hide();
            else if (e.key === 'ArrowDown') {
              e.preventDefault();
              setSelected((i) => Math.min(hits.length - 1, i + 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setSelected((i) => Math.max(0, i - 1));
            } else if (e.key === 'Enter') choose(hits[selected]);
          }}
        />
        <ul id="quick-open-list" role="listbox" className="quick-open-list" aria-label="Matches">
          {query && hits.length === 0 && <li className="quick-open-empty">Nothing matches “{query}”.</li>}
          {hits.map((hit, i) => (
            <li key={`${hit.kind}:${hit.label}`} role="option" aria-selected={i === selected} className={`quick-open-hit${i === selected ? ' selected' : ''}`} onMouseEnter={() => select(i)} onClick={() => choose(hit)}>
              <span className={`hit-kind hit-${hit.kind}`}>{hit.kind === 'link' ? 'model' : hit.kind}</span>
              <span className="hit-label">{hit.label}</span>
              <span className="hit-detail muted">{hit.detail}</span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
