import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneAndHash } from '../../electron/main/store/ingest-file';
import { scanSources } from '../../electron/main/store/scan-sources';
import { openStore, randomBytes, removeDir, runningAsRoot, sha256, tempDir, writeTree } from './support';

let root: string;
beforeAll(async () => {
  root = await tempDir();
});
afterAll(() => removeDir(root));

/** A 300 MiB XFS image with reflink, loop-mounted: needs root, mkfs.xfs and loop devices. */
function mountXfs(dir: string): (() => void) | undefined {
  if (!runningAsRoot) return undefined;
  const image = `${dir}.img`;
  try {
    execFileSync('truncate', ['-s', '300M', image]);
    execFileSync('mkfs.xfs', ['-q', '-f', '-m', 'reflink=1', image], { stdio: 'ignore' });
    execFileSync('mount', ['-o', 'loop', image, dir], { stdio: 'ignore' });
    return () => execFileSync('umount', [dir]);
  } catch {
    return undefined;
  }
}

describe('copy-on-write clones', () => {
  it('replace the copy where the file system clones (an XFS image, where root can make one), and fall back cleanly where it cannot', async () => {
    // Here (ext4, tmpfs): the clone is refused, nothing is left behind, the caller copies.
    const plain = randomBytes(1000, 'w');
    await writeTree(root, { 'plain/w.bin': plain });
    await fs.mkdir(path.join(root, 'staging'));
    const [file] = await scanSources([path.join(root, 'plain/w.bin')], { dataDir: root, stagingDir: path.join(root, 'staging') });
    const temp = path.join(root, 'staging/clone-temp');
    const cloned = await cloneAndHash(file!, temp, { onBytes: () => {} });
    if (cloned === undefined) await expect(fs.stat(temp)).rejects.toMatchObject({ code: 'ENOENT' });
    else expect(cloned.sha256).toBe(sha256(plain)); // a temp dir on btrfs/XFS/APFS clones

    const dir = path.join(root, 'xfs');
    await fs.mkdir(dir);
    const unmount = mountXfs(dir);
    if (!unmount) return; // no root, no mkfs.xfs or no loop devices: only the fallback above runs here
    try {
      const body = randomBytes(64 * 1024 * 1024, 'clone');
      await writeTree(dir, { 'src/w.bin': body, 'src/c.json': '{}' });
      const store = await openStore(path.join(dir, 'data'));
      expect(store.materialization).toBe('reflink');
      const before = await fs.statfs(dir);
      const result = await store.commit([path.join(dir, 'src')]);
      const after = await fs.statfs(dir);
      // A copy would take 64 MiB; clones of the source, and of the blobs into the version, take nothing.
      expect((before.bfree - after.bfree) * before.bsize).toBeLessThan(8 * 1024 * 1024);
      expect(result.manifest.files.find((f) => f.path === 'w.bin')!.sha256).toBe(sha256(body));
      // Clones are independent files: editing the source in place leaves the version intact.
      const handle = await fs.open(path.join(dir, 'src/w.bin'), 'r+');
      await handle.write(Buffer.from('changed'), 0, 7, 0);
      await handle.close();
      expect((await store.verify(null)).ok).toBe(true);
      await store.close();
    } finally {
      unmount();
    }
  });
});
