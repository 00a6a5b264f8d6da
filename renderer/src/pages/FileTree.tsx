import { useMemo, useState } from 'react';
import type { ManifestEntry } from '../registry';
import { formatBytes, shortDigest } from '../format';

interface Dir {
  name: string;
  path: string;
  dirs: Map<string, Dir>;
  files: ManifestEntry[];
  bytes: number;
  count: number;
}

function buildTree(files: ManifestEntry[]): Dir {
  const root: Dir = { name: '', path: '', dirs: new Map(), files: [], bytes: 0, count: 0 };
  for (const f of files) {
    const parts = f.path.split('/');
    let dir = root;
    dir.bytes += f.size;
    dir.count++;
    for (const part of parts.slice(0, -1)) {
      let next = dir.dirs.get(part);
      if (!next) dir.dirs.set(part, (next = { name: part, path: dir.path ? `${dir.path}/${part}` : part, dirs: new Map(), files: [], bytes: 0, count: 0 }));
      next.bytes += f.size;
      next.count++;
      dir = next;
    }
    dir.files.push(f);
  }
  return root;
}

/** The version's files as a tree, with sizes and digests. */
export function FileTree({ files }: { files: ManifestEntry[] }) {
  const root = useMemo(() => buildTree(files), [files]);
  return (
    <ul className="file-tree" role="tree" aria-label="Files">
      <DirContents dir={root} depth={0} />
    </ul>
  );
}

function DirContents({ dir, depth }: { dir: Dir; depth: number }) {
  return (
    <>
      {[...dir.dirs.values()]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((d) => (
          <DirNode key={d.path} dir={d} depth={depth} />
        ))}
      {dir.files
        .slice()
        .sort((a, b) => a.path.localeCompare(b.path))
        .map((f) => (
          <li key={f.path} role="treeitem" aria-selected={false} className="file-row" style={{ paddingLeft: 8 + depth * 16 }}>
            <span className="file-name" title={f.path}>
              {f.path.split('/').pop()}
              {f.executable && (
                <span className="muted small" title="executable">
                  {' '}
                  (x)
                </span>
              )}
            </span>
            <span className="file-size num">{formatBytes(f.size)}</span>
            <span className="file-digest mono muted" title={`sha256:${f.sha256}`}>
              {shortDigest(f.sha256)}
            </span>
          </li>
        ))}
    </>
  );
}

function DirNode({ dir, depth }: { dir: Dir; depth: number }) {
  const [open, setOpen] = useState(depth < 1);
  return (
    <li role="treeitem" aria-expanded={open} aria-selected={false}>
      <button type="button" className="file-row dir-row" style={{ paddingLeft: 8 + depth * 16 }} onClick={() => setOpen(!open)}>
        <span className="file-name">
          <span className="twisty" aria-hidden="true">
            {open ? '▾' : '▸'}
          </span>
          {dir.name}/
        </span>
        <span className="file-size num">{formatBytes(dir.bytes)}</span>
        <span className="file-digest muted small">{dir.count} files</span>
      </button>
      {open && (
        <ul role="group">
          <DirContents dir={dir} depth={depth + 1} />
        </ul>
      )}
    </li>
  );
}
