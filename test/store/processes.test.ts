import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOBODY, listFiles, randomBytes, removeDir, runningAsRoot, spawnStoreChild, tempDir, writeTree } from './support';

let root: string;
beforeAll(async () => {
  root = await tempDir();
  await fs.chmod(root, 0o755);
});
afterAll(() => removeDir(root));

function lastJson(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

describe('the store in its own process', () => {
  it('commits a 1 GiB file with flat memory (peak RSS of the whole process under 150 MB)', async () => {
    const src = path.join(root, 'sparse');
    await fs.mkdir(src);
    const handle = await fs.open(path.join(src, 'huge.bin'), 'w');
    await handle.truncate(1024 * 1024 * 1024);
    await handle.write(Buffer.from('end'), 0, 3, 1024 * 1024 * 1024 - 3);
    await handle.close();
    const child = spawnStoreChild(['commit', path.join(root, 'sparse-data'), src], { CAIRN_CHILD_NO_STAT_CACHE: '1' });
    const { stdout } = await child.exited;
    const outcome = lastJson(stdout) as { ok: boolean; result: { bytes: number }; maxRssMb: number };
    expect(outcome.ok, stdout).toBe(true);
    expect(outcome.result.bytes).toBe(1024 * 1024 * 1024);
    expect(outcome.maxRssMb).toBeLessThan(150);
  }, 60_000);

  it('as an unprivileged user: read-only versions and orphans can still be removed and swept', async () => {
    const src = path.join(root, 'src');
    await writeTree(src, { 'config.json': '{}', 'w/w.bin': randomBytes(2 * 1024 * 1024, 'w') });
    const dataDir = path.join(root, 'user-data');
    await fs.mkdir(dataDir);
    const env: Record<string, string> = runningAsRoot ? { CAIRN_CHILD_UID: String(NOBODY) } : {};
    if (runningAsRoot) await fs.chown(dataDir, NOBODY, NOBODY);

    // Dies between the two renames: leaves a read-only version folder without a manifest.
    const killed = await spawnStoreChild(['commit', dataDir, src], { ...env, CAIRN_CHILD_KILL_AT: 'version-dir-renamed' }).exited;
    expect(killed.signal).toBe('SIGKILL');
    const [orphan] = await fs.readdir(path.join(dataDir, 'versions'));
    expect((await fs.stat(path.join(dataDir, 'versions', orphan!))).mode & 0o777).toBe(0o555);

    const { stdout, code } = await spawnStoreChild(['lifecycle', dataDir, src], env).exited;
    const summary = lastJson(stdout) as { leftovers: { versions: number }; removed: string; gc: { blobsRemoved: number }; versions: string[]; second: string; ok: boolean };
    expect(code, stdout).toBe(0);
    expect(summary.leftovers.versions).toBe(0); // the orphan was swept at open
    expect(summary.gc.blobsRemoved).toBe(2); // the removed version's two bodies
    expect(summary.versions).toEqual([summary.second]);
    expect(summary.ok).toBe(true);
    expect(await listFiles(path.join(dataDir, 'staging'))).toEqual([]);
  }, 60_000);
});
