import fs from 'node:fs/promises';
import path from 'node:path';
import { errnoOf } from './fs-errors';

/**
 * A rename or link is durable only once its directory is fsynced. Windows cannot open
 * directories for fsync; its rename is journaled by NTFS instead.
 */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes a whole file under a temporary name, fsyncs it and renames it over `target`. */
export async function writeFileAtomic(target: string, data: string | Buffer, { fsync = true, mode = 0o644 } = {}): Promise<void> {
  const temp = `${target}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const handle = await fs.open(temp, 'wx', mode);
  try {
    await handle.writeFile(data);
    if (fsync) await handle.datasync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  if (fsync) await fsyncDir(path.dirname(target));
}

/**
 * Removes a tree that Cairn made read-only. Unlinking needs write permission on the
 * parent folder, so folders are made writable first (root ignores modes; users don't).
 */
export async function removeTree(target: string): Promise<void> {
  await makeFoldersWritable(target);
  await fs.rm(target, { recursive: true, force: true, maxRetries: 2 });
}

async function makeFoldersWritable(dir: string): Promise<void> {
  let stat;
  try {
    stat = await fs.lstat(dir);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return;
    throw error;
  }
  if (!stat.isDirectory()) return;
  if ((stat.mode & 0o700) !== 0o700) await fs.chmod(dir, 0o755);
  const entries = await fs.readdir(dir, { withFileTypes: true });
  await Promise.all(entries.filter((e) => e.isDirectory()).map((e) => makeFoldersWritable(path.join(dir, e.name))));
}
