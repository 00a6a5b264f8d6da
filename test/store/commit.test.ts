import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoreProgress } from '../../electron/shared/contract';
import type { VersionStore } from '../../electron/main/store/version-store';
import { blobNames, disposeStore, expectError, expectNothingStored, freshStore, listFiles, openStore, randomBytes, removeDir, sha256, writeTree } from './support';

let root: string;
let dataDir: string;
let src: string;
let store: VersionStore;

beforeEach(async () => {
  ({ root, dataDir, src, store } = await freshStore());
  await fs.mkdir(src);
});
afterEach(() => disposeStore({ store, root }));

const CHECKPOINT = {
  'config.json': '{"hidden": 768}\n',
  'tokenizer/vocab.txt': 'a\nb\nc\n',
  'weights/model-00001.safetensors': randomBytes(5 * 1024 * 1024 + 123, 'w1'),
  'weights/model-00002.safetensors': randomBytes(3 * 1024 * 1024, 'w2'),
  'empty.txt': '',
};

describe('commit', () => {
  it('stores a dropped folder as a read-only version whose manifest matches its bytes', async () => {
    await writeTree(src, CHECKPOINT);
    await fs.chmod(path.join(src, 'tokenizer/vocab.txt'), 0o755);
    const result = await store.commit([src]);

    expect(result.reused).toBe(false);
    expect(result.files).toBe(5);
    expect(result.bytes).toBe(Object.values(CHECKPOINT).reduce((n, b) => n + Buffer.byteLength(b), 0));
    expect(result.manifest.files).toEqual(
      Object.entries(CHECKPOINT)
        .map(([p, body]) => ({ path: p, size: Buffer.byteLength(body), sha256: sha256(body), executable: p === 'tokenizer/vocab.txt' }))
        .sort((a, b) => (a.path < b.path ? -1 : 1)),
    );
    expect(result.path).toBe(path.join(dataDir, 'versions', result.versionId));
    expect(await listFiles(result.path)).toEqual(Object.keys(CHECKPOINT).sort());
    for (const [p, body] of Object.entries(CHECKPOINT)) {
      // Not toEqual: vitest compares large Buffers element by element, for minutes.
      expect(sha256(await fs.readFile(path.join(result.path, p)))).toBe(sha256(body));
      const mode = (await fs.stat(path.join(result.path, p))).mode & 0o777;
      expect(mode).toBe(p === 'tokenizer/vocab.txt' ? 0o555 : 0o444);
    }
    for (const dir of ['', 'tokenizer', 'weights']) expect((await fs.stat(path.join(result.path, dir))).mode & 0o777).toBe(0o555);
    expect(await store.list()).toEqual([expect.objectContaining({ versionId: result.versionId, digest: result.digest, files: 5 })]);
    expect((await store.verify(result.versionId)).ok).toBe(true);
    expect(await listFiles(path.join(dataDir, 'staging'))).toEqual([]);
  });

  it('names several sources by their own names, and a single file by its name', async () => {
    await writeTree(src, { 'a.txt': 'a', 'dir/b.txt': 'b' });
    const several = await store.commit([path.join(src, 'a.txt'), path.join(src, 'dir')]);
    expect(several.manifest.files.map((f) => f.path)).toEqual(['a.txt', 'dir/b.txt']);
    const single = await store.commit([path.join(src, 'dir', 'b.txt')]);
    expect(single.manifest.files.map((f) => f.path)).toEqual(['b.txt']);
  });

  it('keeps the version byte-identical when the source is edited afterwards', async () => {
    await writeTree(src, CHECKPOINT);
    const result = await store.commit([src]);
    await fs.writeFile(path.join(src, 'config.json'), '{"hidden": 1024}\n');
    await fs.appendFile(path.join(src, 'weights/model-00001.safetensors'), 'more');
    expect(await fs.readFile(path.join(result.path, 'config.json'), 'utf8')).toBe('{"hidden": 768}\n');
    expect((await store.verify(result.versionId)).ok).toBe(true);
  });

  it('stores identical bodies once, across files and across versions', async () => {
    const shared = randomBytes(2 * 1024 * 1024, 'tokenizer');
    await writeTree(src, { 'a/tokenizer.bin': shared, 'a/w.bin': randomBytes(1024, 'a'), 'b/tokenizer.bin': shared, 'b/w.bin': randomBytes(1024, 'b'), 'b/copy.bin': shared });
    const a = await store.commit([path.join(src, 'a')]);
    const b = await store.commit([path.join(src, 'b')]);
    expect(a.stats.blobsCreated).toBe(2);
    expect(b.stats.blobsCreated).toBe(1);
    expect(b.stats.bytesStored).toBe(1024);
    expect((await blobNames(dataDir)).sort()).toEqual([sha256(shared), sha256(randomBytes(1024, 'a')), sha256(randomBytes(1024, 'b'))].sort());
    if (store.materialization === 'hardlink') {
      const blob = await fs.stat(path.join(dataDir, 'blobs/sha256', sha256(shared).slice(0, 2), sha256(shared).slice(2)));
      for (const f of [path.join(a.path, 'tokenizer.bin'), path.join(b.path, 'tokenizer.bin'), path.join(b.path, 'copy.bin')]) {
        expect((await fs.stat(f)).ino).toBe(blob.ino);
      }
    }
  });

  it('returns the existing version for identical content, but not when an executable bit differs', async () => {
    await writeTree(src, { 'run.sh': 'echo hi\n', 'w.bin': randomBytes(1000, 'w') });
    const first = await store.commit([src]);
    const again = await store.commit([src]);
    expect(again).toMatchObject({ reused: true, versionId: first.versionId, digest: first.digest });
    expect(again.manifest).toEqual(await store.manifest(first.versionId));
    await fs.chmod(path.join(src, 'run.sh'), 0o755);
    const executable = await store.commit([src]);
    expect(executable.reused).toBe(false);
    expect(executable.digest).toBe(first.digest); // the digest covers bytes, not modes
    expect((await fs.stat(path.join(executable.path, 'run.sh'))).mode & 0o777).toBe(0o555);
    expect(await store.list()).toHaveLength(2);
  });

  it('re-logs unchanged sources without reading them, and re-reads exactly what changed', async () => {
    await writeTree(src, CHECKPOINT);
    const first = await store.commit([src]);
    expect(first.stats.bytesRead).toBe(first.bytes);

    await writeTree(src, { 'extra.txt': 'new' });
    const relog = await store.commit([src]);
    expect(relog.stats).toMatchObject({ filesRead: 1, bytesRead: 3, filesFromCache: 5 });

    // Same size, different bytes: the mtime/ctime moved, so the cache must not answer.
    const w1 = path.join(src, 'weights/model-00001.safetensors');
    const changed = randomBytes((await fs.stat(w1)).size, 'w1-changed');
    await fs.writeFile(w1, changed);
    const third = await store.commit([src]);
    expect(third.stats).toMatchObject({ filesRead: 1, bytesRead: changed.length });
    expect(third.manifest.files.find((f) => f.path === 'weights/model-00001.safetensors')!.sha256).toBe(sha256(changed));

    // A new process (fresh store object) reads the cache from disk.
    await store.close();
    store = await openStore(dataDir);
    const fourth = await store.commit([src]);
    expect(fourth).toMatchObject({ reused: true, versionId: third.versionId, stats: { bytesRead: 0 } });
    expect(fourth.manifest).toEqual(await store.manifest(third.versionId));
  });

  it('does not trust the cache for files changed within the racy window', async () => {
    await store.close();
    store = await openStore(dataDir, { racyWindowMs: 60 * 60 * 1000 });
    await writeTree(src, CHECKPOINT);
    await store.commit([src]);
    const again = await store.commit([src]);
    expect(again.stats.filesFromCache).toBe(0);
    expect(again.stats.bytesRead).toBe(again.bytes);
  });

  it('reads a file again when its stored body is gone (after gc), rather than trusting the cache', async () => {
    await writeTree(src, { 'w.bin': randomBytes(10_000, 'w') });
    const first = await store.commit([src]);
    await store.remove(first.versionId);
    await store.gc();
    const again = await store.commit([src]);
    expect(again.stats).toMatchObject({ filesFromCache: 0, bytesRead: 10_000, blobsCreated: 1 });
    expect((await store.verify(again.versionId)).ok).toBe(true);
  });

  it('reports progress: phases in order, bytes and files counting up to their totals', async () => {
    await writeTree(src, CHECKPOINT);
    const events: Omit<StoreProgress, 'opId'>[] = [];
    const result = await store.commit([src], { onProgress: (p) => events.push(p) });
    const phases = events.map((e) => e.phase).filter((p, i, all) => all[i - 1] !== p);
    expect(phases).toEqual(['scanning', 'copying', 'finalizing', 'done']);
    const copying = events.filter((e) => e.phase === 'copying');
    expect(copying[0]).toMatchObject({ bytesDone: 0, bytesTotal: result.bytes, filesDone: 0, filesTotal: 5 });
    for (let i = 1; i < copying.length; i++) expect(copying[i]!.bytesDone).toBeGreaterThanOrEqual(copying[i - 1]!.bytesDone);
    expect(events.at(-1)).toEqual({ phase: 'done', bytesDone: result.bytes, bytesTotal: result.bytes, filesDone: 5, filesTotal: 5 });
  });

  it('leaves nothing behind when cancelled mid-copy', async () => {
    await writeTree(src, { 'big.bin': randomBytes(24 * 1024 * 1024, 'big'), 'small.bin': randomBytes(1000, 's') });
    const controller = new AbortController();
    const commit = store.commit([src], {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'copying') setImmediate(() => controller.abort());
      },
    });
    await expectError(commit, 'COMMIT_CANCELLED', /nothing was stored/);
    await expectNothingStored(dataDir);
    // And the store is usable right after.
    expect((await store.commit([src])).files).toBe(2);
  });

  it('runs concurrent commits side by side, sharing bodies', async () => {
    const shared = randomBytes(6 * 1024 * 1024, 'shared');
    await writeTree(src, { 'a/shared.bin': shared, 'a/x': 'a', 'b/shared.bin': shared, 'b/x': 'b' });
    const [a, b] = await Promise.all([store.commit([path.join(src, 'a')]), store.commit([path.join(src, 'b')])]);
    expect(a.versionId).not.toBe(b.versionId);
    expect(await blobNames(dataDir)).toHaveLength(3);
    expect((await store.verify(null)).ok).toBe(true);
  });

  it('never lets gc delete a body a running commit is about to use', async () => {
    const shared = randomBytes(8 * 1024 * 1024, 'shared');
    await writeTree(src, { 'old/shared.bin': shared, 'new/shared.bin': shared, 'new/big.bin': randomBytes(16 * 1024 * 1024, 'big') });
    const old = await store.commit([path.join(src, 'old')]);
    await store.remove(old.versionId); // shared.bin's blob is now garbage...
    let gc: Promise<unknown> | undefined;
    const commit = store.commit([path.join(src, 'new')], {
      onProgress: (p) => {
        // ...until this commit, already running, finds it again.
        if (p.phase === 'copying' && !gc) gc = store.gc();
      },
    });
    const result = await commit;
    expect(await gc).toMatchObject({ blobsRemoved: 0 });
    expect((await store.verify(result.versionId)).ok).toBe(true);
  });

  it('commits a zero-byte file and a file of exactly one chunk', async () => {
    await writeTree(src, { 'zero': '', 'chunk.bin': randomBytes(4 * 1024 * 1024, 'chunk') });
    const result = await store.commit([src]);
    expect(result.manifest.files.map((f) => f.size)).toEqual([4 * 1024 * 1024, 0]);
    expect((await store.verify(result.versionId)).ok).toBe(true);
  });

  it('keeps sparse files sparse in the store', async () => {
    const file = path.join(src, 'sparse.bin');
    const handle = await fs.open(file, 'w');
    await handle.write(Buffer.from('head'), 0, 4, 0);
    await handle.write(Buffer.from('tail'), 0, 4, 64 * 1024 * 1024);
    await handle.close();
    const result = await store.commit([src]);
    const blob = await fs.stat(path.join(dataDir, 'blobs/sha256', result.manifest.files[0]!.sha256.slice(0, 2), result.manifest.files[0]!.sha256.slice(2)));
    expect(blob.size).toBe(64 * 1024 * 1024 + 4);
    expect(blob.blocks * 512).toBeLessThan(16 * 1024 * 1024);
    expect((await store.verify(result.versionId)).ok).toBe(true);
  });

  it('makes independent copies when told to, with the same guarantees', async () => {
    await store.close();
    store = await openStore(dataDir, { materialization: 'copy' });
    await writeTree(src, CHECKPOINT);
    const result = await store.commit([src]);
    const file = path.join(result.path, 'config.json');
    const blob = path.join(dataDir, 'blobs/sha256', sha256(CHECKPOINT['config.json']).slice(0, 2), sha256(CHECKPOINT['config.json']).slice(2));
    expect((await fs.stat(file)).ino).not.toBe((await fs.stat(blob)).ino);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o444);
    expect((await store.verify(result.versionId)).ok).toBe(true);
  });

  it('works the same without fsync and without O_DIRECT', async () => {
    for (const options of [{ fsync: false }, { directIo: false }]) {
      await store.close();
      await removeDir(dataDir);
      store = await openStore(dataDir, options);
      expect(store.directIo).toBe(false);
      await writeTree(src, CHECKPOINT);
      const result = await store.commit([src]);
      expect(result.manifest.files.map((f) => f.sha256)).toContain(sha256(CHECKPOINT['weights/model-00001.safetensors']));
      expect((await store.verify(result.versionId)).ok).toBe(true);
    }
  });

  it('refuses to work once closed', async () => {
    await store.close();
    await expectError(store.commit([src]), 'STORE_CLOSED');
    store = await openStore(dataDir);
  });
});
