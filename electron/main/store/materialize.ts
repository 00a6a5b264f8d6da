import fs from 'node:fs/promises';
import path from 'node:path';
import { errnoOf } from './fs-errors';

/**
 * How a version's files are made from blobs:
 * - `reflink`: a copy-on-write clone (btrfs, XFS, APFS): instant, no extra space, and an
 *   independent file, so nothing done to it can reach the blob.
 * - `hardlink`: the version file *is* the blob (same inode): instant and free, but the
 *   bytes are shared; files are 0444 in 0555 folders so only a deliberate chmod can
 *   write them, and `verify` re-hashes to catch it.
 * - `copy`: a full copy, where neither works.
 */
export type Materialization = 'reflink' | 'hardlink' | 'copy';

/** Finds what the file system under `dir` supports, by trying it. */
export async function probeMaterialization(dir: string): Promise<Materialization> {
  const base = path.join(dir, `probe-${process.pid}-${Math.random().toString(36).slice(2)}`);
  await fs.mkdir(base, { recursive: true });
  try {
    await fs.writeFile(path.join(base, 'a'), 'cairn');
    // COPYFILE_FICLONE silently falls back to a copy; FICLONE_FORCE fails instead, which is the answer we need.
    const reflink = await fs
      .copyFile(path.join(base, 'a'), path.join(base, 'b'), fs.constants.COPYFILE_FICLONE_FORCE)
      .then(() => true, () => false);
    if (reflink) return 'reflink';
    const link = await fs.link(path.join(base, 'a'), path.join(base, 'c')).then(() => true, () => false);
    return link ? 'hardlink' : 'copy';
  } finally {
    await fs.rm(base, { recursive: true, force: true });
  }
}

/**
 * Places blob `blob` at `dest` in a version being built. Executable files are never
 * hard links: the mode belongs to the inode, and the blob is shared by versions that
 * may disagree about it. Returns what was done, and whether `dest` needs an fsync of
 * its own data (copies do; links and clones share already-durable blocks).
 */
export async function placeFile(
  blob: string,
  dest: string,
  { strategy, executable }: { strategy: Materialization; executable: boolean },
): Promise<{ how: Materialization; needsDataSync: boolean }> {
  const mode = executable ? 0o555 : 0o444;
  if (strategy === 'hardlink' && !executable) {
    try {
      await fs.link(blob, dest);
      return { how: 'hardlink', needsDataSync: false };
    } catch (error) {
      // EMLINK: this blob already has the file system's maximum number of links.
      if (!['EMLINK', 'EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP'].includes(errnoOf(error) ?? '')) throw error;
    }
  }
  if (strategy === 'reflink') {
    const cloned = await fs.copyFile(blob, dest, fs.constants.COPYFILE_FICLONE_FORCE).then(() => true, () => false);
    if (cloned) {
      await fs.chmod(dest, mode);
      return { how: 'reflink', needsDataSync: true };
    }
    await fs.rm(dest, { force: true });
  }
  await fs.copyFile(blob, dest, fs.constants.COPYFILE_EXCL);
  await fs.chmod(dest, mode);
  return { how: 'copy', needsDataSync: true };
}
