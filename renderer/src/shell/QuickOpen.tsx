import { useEffect, useMemo, useRef, useState } from 'react';
import { create } from 'zustand';
import type { SearchHit } from '../registry';
import { go, useRoute } from '../state/route';
import { useRegistry } from '../state/workspace-store';

export const useQuickOpen = create<{ open: boolean; show(): void; hide(): void }>((set) => ({
  open: false,
  show: () => set({ open: true }),
  hide: () => set({ open: false }),
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
  const { open, show, hide } = useQuickOpen();
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState(0);
  const input = useRef<HTMLInputElement>(null);
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
  useEffect(() => {
    if (open) {
      setQuery('');
      setSelected(0);
      setTimeout(() => input.current?.focus(), 0);
    }
  }, [open]);
  useEffect(() => setSelected(0), [query]);
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
          ref={input}
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
            <li key={`${hit.kind}:${hit.label}`} role="option" aria-selected={i === selected} className={`quick-open-hit${i === selected ? ' selected' : ''}`} onMouseEnter={() => setSelected(i)} onClick={() => choose(hit)}>
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
