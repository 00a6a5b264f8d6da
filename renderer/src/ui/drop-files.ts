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
  const entries = items.map((i) => i.webkitGetAsEntry() as FsEntry | null).filter((e): e is FsEntry => !!e);
  const files: { file: File; path: string }[] = [];
  for (const entry of entries) await collect(entry, files);
  if (files.length === 0) return { error: 'The dropped folder is empty.' };
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
