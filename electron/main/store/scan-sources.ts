import fs from 'node:fs/promises';
import type { BigIntStats, Dirent } from 'node:fs';
import path from 'node:path';
import { HostError } from '../../shared/host-error';
import { errnoOf } from './fs-errors';

/** One regular file to commit, with the stat the stat cache and the change check compare against. */
export interface SourceFile {
  absPath: string;
  /** Relative, `/`-separated, validated: the path inside the version. */
  relPath: string;
  size: number;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
  dev: bigint;
  executable: boolean;
}

export interface ScanOptions {
  /** Never commit the store into itself. */
  dataDir: string;
  /** In-flight garbage: never a source. */
  stagingDir: string;
  signal?: AbortSignal;
  onFound?: (files: number, bytes: number) => void;
}

/**
 * Turns what a user dropped into the list of files of a version, refusing anything
 * Cairn cannot store faithfully before a single byte is copied.
 *
 * Naming: a single dropped folder becomes the version's root (its contents, not the
 * folder itself); otherwise every dropped file or folder keeps its own name at the root.
 */
export async function scanSources(sources: readonly string[], options: ScanOptions): Promise<SourceFile[]> {
  if (sources.length === 0) throw new HostError('SOURCE_EMPTY', 'nothing to commit: no files or folders were given');
  const roots = sources.map(checkSourcePath);
  const stats = await Promise.all(roots.map((p) => lstatSource(p)));
  const dataDir = await fs.stat(options.dataDir, { bigint: true });
  const staging = await fs.realpath(options.stagingDir);
  for (const root of roots) {
    const real = await fs.realpath(root);
    if (real === staging || real.startsWith(staging + path.sep)) {
      throw new HostError('SOURCE_PATH_INVALID', `${root} is inside the store's staging area (${staging}), which holds unfinished work`);
    }
  }
  const files: SourceFile[] = [];
  let bytes = 0;
  const found = (f: SourceFile) => {
    files.push(f);
    bytes += f.size;
    if (files.length % 256 === 0) options.onFound?.(files.length, bytes);
  };

  const single = roots.length === 1 && stats[0]!.isDirectory();
  const claimed = new Map<string, string>();
  for (let i = 0; i < roots.length; i++) {
    const root = roots[i]!;
    const stat = stats[i]!;
    const name = single ? '' : path.basename(root);
    if (!single) {
      if (name === '') throw new HostError('SOURCE_PATH_INVALID', `${root} cannot be stored under a name; drop the files inside it instead`);
      checkName(name, root);
      const other = claimed.get(name);
      if (other) throw new HostError('SOURCE_PATH_INVALID', `${other} and ${root} would both be stored as "${name}"; rename one or drop their common folder`);
      claimed.set(name, root);
    }
    if (stat.isDirectory()) {
      await walk(root, name, stat, dataDir, options.signal, found);
    } else {
      found(fileOf(root, name, stat));
    }
  }
  options.onFound?.(files.length, bytes);
  if (files.length === 0) {
    throw new HostError('SOURCE_EMPTY', `nothing to commit: ${roots.join(', ')} ${roots.length === 1 ? 'contains' : 'contain'} no files`);
  }
  return files;
}

/** Sources come from outside (IPC, HTTP, the CLI): absolute, no NUL, no `..` games. */
function checkSourcePath(source: string): string {
  const shown = JSON.stringify(source.slice(0, 200));
  if (source.includes('\0')) throw new HostError('SOURCE_PATH_INVALID', `${shown} contains a NUL byte`);
  if (!path.isAbsolute(source)) throw new HostError('SOURCE_PATH_INVALID', `${shown} is not an absolute path`);
  if (source.split(/[\\/]/).includes('..')) {
    throw new HostError('SOURCE_PATH_INVALID', `${source} contains a ".." segment; Cairn only takes resolved paths`);
  }
  const normal = path.normalize(source);
  return normal.length > 1 && normal.endsWith(path.sep) ? normal.slice(0, -1) : normal;
}

/** Names become manifest path segments: control characters would make the manifest lines ambiguous. */
function checkName(name: string, where: string): void {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) {
    throw new HostError('SOURCE_PATH_INVALID', `${JSON.stringify(where)} has a control character (tab, newline, …) in its name; rename it`);
  }
  if (name === '.' || name === '..' || name.includes('/')) {
    throw new HostError('SOURCE_PATH_INVALID', `${where} has a name Cairn cannot store`);
  }
}

async function lstatSource(p: string): Promise<BigIntStats> {
  let stat: BigIntStats;
  try {
    stat = await fs.lstat(p, { bigint: true });
  } catch (error) {
    throw sourceAccessError(error, p);
  }
  await checkKind(p, stat);
  return stat;
}

async function checkKind(p: string, stat: BigIntStats): Promise<void> {
  if (stat.isSymbolicLink()) {
    const target = await fs.readlink(p).catch(() => undefined);
    throw new HostError(
      'SOURCE_SYMLINK',
      `${p} is a symbolic link${target ? ` (to ${target})` : ''}; Cairn does not follow links (copy the target in instead)`,
    );
  }
  if (stat.isFile() || stat.isDirectory()) return;
  const kind = stat.isFIFO() ? 'a named pipe (FIFO)' : stat.isSocket() ? 'a socket' : stat.isCharacterDevice() ? 'a character device' : stat.isBlockDevice() ? 'a block device' : 'not a regular file';
  throw new HostError('SOURCE_SPECIAL_FILE', `${p} is ${kind}; a version can only hold regular files`);
}

export function sourceAccessError(error: unknown, p: string): unknown {
  switch (errnoOf(error)) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new HostError('SOURCE_MISSING', `${p} does not exist`);
    case 'EACCES':
    case 'EPERM':
      return new HostError('SOURCE_UNREADABLE', `${p} cannot be read (permission denied)`);
    case 'ELOOP':
      return new HostError('SOURCE_SYMLINK', `${p} is a symbolic link; Cairn does not follow links (copy the target in instead)`);
    case 'ENAMETOOLONG':
      return new HostError('SOURCE_PATH_INVALID', `${p.slice(0, 200)}… is too long a path`);
    default:
      return error;
  }
}

function fileOf(absPath: string, relPath: string, stat: BigIntStats): SourceFile {
  return {
    absPath,
    relPath,
    size: Number(stat.size),
    mtimeNs: stat.mtimeNs,
    ctimeNs: stat.ctimeNs,
    ino: stat.ino,
    dev: stat.dev,
    executable: (stat.mode & 0o111n) !== 0n,
  };
}

async function walk(
  root: string,
  rootRel: string,
  rootStat: BigIntStats,
  dataDir: BigIntStats,
  signal: AbortSignal | undefined,
  found: (f: SourceFile) => void,
): Promise<void> {
  // Iterative, so a deep tree cannot overflow the stack.
  const stack: { abs: string; rel: string; stat: BigIntStats }[] = [{ abs: root, rel: rootRel, stat: rootStat }];
  while (stack.length > 0) {
    signal?.throwIfAborted();
    const dir = stack.pop()!;
    if (dir.stat.ino === dataDir.ino && dir.stat.dev === dataDir.dev) {
      throw new HostError('SOURCE_PATH_INVALID', `${dir.abs} is the Cairn data directory; a version cannot contain the store itself`);
    }
    let entries: Dirent<Buffer>[];
    try {
      entries = await fs.readdir(dir.abs, { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      throw sourceAccessError(error, dir.abs);
    }
    const named = entries.map((e) => ({ raw: e.name, name: e.name.toString('utf8') }));
    for (const { raw, name } of named) {
      const abs = path.join(dir.abs, name);
      // A name that is not valid UTF-8 decodes lossily and could not be opened again by that name.
      if (!Buffer.from(name, 'utf8').equals(raw)) {
        throw new HostError('SOURCE_PATH_INVALID', `${abs} has a name that is not valid UTF-8; rename it`);
      }
      checkName(name, abs);
    }
    const stats: BigIntStats[] = [];
    for (let i = 0; i < named.length; i += 256) {
      const batch = named.slice(i, i + 256).map(({ name }) => {
        const abs = path.join(dir.abs, name);
        return fs.lstat(abs, { bigint: true }).catch((error: unknown) => {
          throw sourceAccessError(error, abs);
        });
      });
      stats.push(...(await Promise.all(batch)));
    }
    const subdirs: typeof stack = [];
    for (let i = 0; i < named.length; i++) {
      const { name } = named[i]!;
      const stat = stats[i]!;
      const abs = path.join(dir.abs, name);
      const rel = dir.rel === '' ? name : `${dir.rel}/${name}`;
      await checkKind(abs, stat);
      if (stat.isDirectory()) subdirs.push({ abs, rel, stat });
      else found(fileOf(abs, rel, stat));
    }
    // Reversed, so the walk visits folders in readdir order.
    stack.push(...subdirs.reverse());
  }
}

/** Fails early, before minutes of copying, on a file this process may not read. */
export async function checkReadable(files: readonly SourceFile[], signal?: AbortSignal): Promise<void> {
  const BATCH = 64;
  for (let i = 0; i < files.length; i += BATCH) {
    signal?.throwIfAborted();
    await Promise.all(
      files.slice(i, i + BATCH).map((f) =>
        fs.access(f.absPath, fs.constants.R_OK).catch((error: unknown) => {
          throw sourceAccessError(error, f.absPath);
        }),
      ),
    );
  }
}
