import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireStoreLock } from '../../electron/main/store/store-lock';
import { expectError, expectNothingStored, openStore, removeDir, spawnStoreChild, tempDir, writeTree } from './support';

let root: string;
let dataDir: string;
let src: string;

beforeEach(async () => {
  root = await tempDir();
  dataDir = path.join(root, 'data');
  src = path.join(root, 'src');
  await writeTree(src, { 'a.txt': 'a' });
});
afterEach(() => removeDir(root));

describe('the data directory lock', () => {
  it('refuses writes while another Cairn process writes, naming it; reads still work', async () => {
    const store = await openStore(dataDir);
    const first = await store.commit([src]);
    const holder = spawnStoreChild(['hold-lock', dataDir]);
    try {
      const pid = Number((await holder.line(/locked (\d+)/)).split(' ')[1]);
      await writeTree(src, { 'b.txt': 'b' });
      await expectError(
        store.commit([src]),
        'STORE_LOCKED',
        new RegExp(`^${dataDir} is being written by another Cairn process \\(pid ${pid}, the lock-holding test process, since .*\\); wait for it to finish or use another data directory$`),
      );
      await expectError(store.gc(), 'STORE_LOCKED');
      await expectError(store.remove(first.versionId), 'STORE_LOCKED');
      expect(await store.list()).toHaveLength(1);
      expect((await store.verify(null)).ok).toBe(true);
      // Opening while locked works too (the sweep is simply left to the writer).
      const second = await openStore(dataDir);
      await second.close();
    } finally {
      holder.child.kill('SIGKILL');
      await holder.exited;
    }
    expect((await store.commit([src])).files).toBe(2);
    await store.close();
  });

  it('takes over the lock of a process that died holding it', async () => {
    await fs.mkdir(dataDir, { recursive: true });
    const holder = spawnStoreChild(['hold-lock', dataDir]);
    await holder.line(/locked \d+/);
    holder.child.kill('SIGKILL');
    await holder.exited;
    const lock = JSON.parse(await fs.readFile(path.join(dataDir, 'store.lock'), 'utf8'));
    expect(lock).toMatchObject({ pid: holder.child.pid, hostname: os.hostname() });
    const store = await openStore(dataDir);
    expect((await store.commit([src])).files).toBe(1);
    await store.close();
    await expect(fs.stat(path.join(dataDir, 'store.lock'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('is not mistaken for live when the dead holder\'s pid now belongs to another process', async () => {
    await fs.mkdir(dataDir, { recursive: true });
    // pid 1 is alive, but it is not the process that took this lock (its start time differs).
    const stale = { pid: 1, hostname: os.hostname(), owner: 'a long-gone Cairn', since: '2020-01-01T00:00:00.000Z', nonce: 'n', startTime: '1' };
    await fs.writeFile(path.join(dataDir, 'store.lock'), JSON.stringify(stale));
    const lock = await acquireStoreLock(path.join(dataDir, 'store.lock'), dataDir, 'test');
    expect(lock.holder.pid).toBe(process.pid);
    await lock.release();
  });

  it('separates two stores opened on one directory in the same process', async () => {
    const a = await openStore(dataDir);
    const b = await openStore(dataDir);
    const controller = new AbortController();
    let blocked: unknown;
    await writeTree(src, { 'big.bin': Buffer.alloc(8 * 1024 * 1024, 1) });
    const commit = a.commit([src], {
      signal: controller.signal,
      onProgress: async (p) => {
        if (p.phase !== 'copying' || blocked) return;
        blocked = await b.commit([src]).catch((e: unknown) => e);
      },
    });
    await commit;
    expect(blocked).toMatchObject({ code: 'STORE_LOCKED', message: expect.stringContaining('another store in this same process') });
    await a.close();
    await b.close();
  });

  it('cleans up the private lock files of processes killed while taking the lock', async () => {
    await fs.mkdir(dataDir, { recursive: true });
    const old = path.join(dataDir, 'store.lock.0123456789abcdef01234567');
    const fresh = path.join(dataDir, 'store.lock.76543210fedcba9876543210');
    await fs.writeFile(old, '{}');
    await fs.utimes(old, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    await fs.writeFile(fresh, '{}'); // maybe another process, mid-acquire: not touched
    const store = await openStore(dataDir);
    await store.commit([src]);
    await store.close();
    await expect(fs.stat(old)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await fs.stat(fresh)).isFile()).toBe(true);
  });

  it('leaves nothing behind when the refused commit gives up', async () => {
    await fs.mkdir(dataDir, { recursive: true });
    const holder = spawnStoreChild(['hold-lock', dataDir]);
    try {
      await holder.line(/locked \d+/);
      const store = await openStore(dataDir);
      await expectError(store.commit([src]), 'STORE_LOCKED');
      await expectNothingStored(dataDir);
      await store.close();
    } finally {
      holder.child.kill('SIGKILL');
      await holder.exited;
    }
  });
});
