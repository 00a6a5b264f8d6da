import { host } from '../host';
import type { LogSource } from '../state/log-jobs';

interface FsEntry {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  fullPath: string;
  file?(ok: (f: File) => void, fail: (e: unknown) => void): void;
  createReader?(): { readEntries(ok: (entries: FsEntry[]) => void, fail: (e: unknown) => void): void };
}

/**
 * Turns a drop into something to log. In the desktop app, files never pass through the
 * renderer: the preload gives each dropped item's absolute path. In a browser the files
 * (folders walked recursively) are uploaded to the host first.
 */
export async function sourceFromDrop(dataTransfer: DataTransfer): Promise<LogSource | { error: string }> {
  const items = [...dataTransfer.items].filter((i) => i.kind === 'file');
  const label = [...dataTransfer.files].map((f) => f.name).join(', ') || 'dropped files';
  if (items.length === 0) return { error: 'Nothing to log: drop files or a folder.' };
  if (host.droppedPath) {
    const paths = [...dataTransfer.files].map((f) => host.droppedPath!(f)).filter(Boolean);
    if (paths.length === 0) return { error: 'The dropped items have no path on this machine.' };
    return { kind: 'paths', paths, label };
  }
  const files: { file: File; path: string }[] = [];
  for (const item of items) {
    const entry = item.webkitGetAsEntry() as FsEntry | null;
    if (entry) await collect(entry, files);
    else {
      // Drops built by scripts (and some platforms) carry plain files without entries.
      const file = item.getAsFile();
      if (file) files.push({ file, path: file.webkitRelativePath || file.name });
    }
  }
  if (files.length === 0) return { error: 'The dropped folder is empty.' };
  return { kind: 'upload', files, label };
}

/** Files chosen with a file or folder picker (an <input type="file">). */
export function sourceFromPicker(list: FileList): LogSource | { error: string } {
  const files = [...list].map((file) => ({ file, path: file.webkitRelativePath || file.name }));
  if (files.length === 0) return { error: 'Nothing chosen.' };
  if (host.droppedPath) {
    // Desktop: log the chosen folder in place, by path, like a drop.
    const first = files[0]!;
    const root = first.path.includes('/') ? host.droppedPath(first.file).slice(0, -(first.path.length - first.path.split('/')[0]!.length)) : null;
    const paths = root ? [root] : files.map((f) => host.droppedPath!(f.file));
    return { kind: 'paths', paths, label: root ?? files.map((f) => f.path).join(', ') };
  }
  const label = files[0]!.path.includes('/') ? files[0]!.path.split('/')[0]! : files.map((f) => f.path).join(', ');
  return { kind: 'upload', files, label };
}

async function collect(entry: FsEntry, out: { file: File; path: string }[]): Promise<void> {
  if (entry.isFile && entry.file) {
    const file = await new Promise<File>((resolve, reject) => entry.file!(resolve, reject));
    out.push({ file, path: entry.fullPath.replace(/^\/+/, '') });
  } else if (entry.isDirectory && entry.createReader) {
    const reader = entry.createReader();
    // readEntries returns at most ~100 entries per call; keep reading until it is empty.
    for (;;) {
      const batch = await new Promise<FsEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) break;
      for (const child of batch) await collect(child, out);
    }
  }
}
