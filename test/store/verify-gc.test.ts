import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommitResult } from '../../electron/shared/contract';
import type { VersionStore } from '../../electron/main/store/version-store';
import { blobNames, disposeStore, expectError, freshStore, openStore, randomBytes, removeDir, sha256, writeTree } from './support';

let root: string;
let dataDir: string;
let src: string;
let store: VersionStore;

beforeEach(async () => {
  ({ root, dataDir, src, store } = await freshStore());
});
afterEach(() => disposeStore({ store, root }));

const BODIES = { 'config.json': '{"a":1}', 'weights/w.bin': randomBytes(3 * 1024 * 1024, 'w'), 'weights/extra.bin': randomBytes(1000, 'e') };

async function commitCheckpoint(): Promise<CommitResult> {
  await writeTree(src, BODIES);
  return store.commit([src]);
}

/** What a user would have to do to write into a version: make it writable first. */
async function tamper(version: CommitResult, fn: (dir: string) => Promise<void>): Promise<void> {
  const dirs = [version.path, path.join(version.path, 'weights')];
  for (const d of dirs) await fs.chmod(d, 0o755);
  await fn(version.path);
  for (const d of dirs) await fs.chmod(d, 0o555);
}

function blobPath(sha: string): string {
  return path.join(dataDir, 'blobs/sha256', sha.slice(0, 2), sha.slice(2));
}

describe('verify', () => {
  it('passes a freshly committed store, re-hashing each distinct body once', async () => {
    const a = await commitCheckpoint();
    await writeTree(src, { 'more.txt': 'more' });
    await store.commit([src]);
    const report = await store.verify(null);
    expect(report.ok).toBe(true);
    expect(report.versions.map((v) => v.versionId)).toContain(a.versionId);
    expect(report.filesChecked).toBe(7);
    if (store.materialization === 'hardlink') expect(report.bytesHashed).toBe(a.bytes + 4);
  });

  it('reports a modified file, and (hard links) every version sharing its body', async () => {
    const a = await commitCheckpoint();
    await writeTree(src, { 'other.txt': 'b' });
    const b = await store.commit([src]); // shares config.json's body with a
    await tamper(a, async (dir) => {
      await fs.chmod(path.join(dir, 'config.json'), 0o644);
      await fs.writeFile(path.join(dir, 'config.json'), '{"a":2}'); // same size, in place
      await fs.chmod(path.join(dir, 'config.json'), 0o444);
    });
    const report = await store.verify(null);
    expect(report.ok).toBe(false);
    const modified = { kind: 'modified', path: 'config.json', detail: expect.stringMatching(/^sha256 \w{12}… \(7 bytes\), expected \w{12}… \(7 bytes\)$/) };
    expect(report.versions.find((v) => v.versionId === a.versionId)!.problems).toEqual([modified]);
    // The hazard of hard links, made visible: b's file is the same inode.
    const shared = store.materialization === 'hardlink';
    expect(report.versions.find((v) => v.versionId === b.versionId)!.problems).toEqual(shared ? [modified] : []);
  });

  it('reports missing, extra and non-file entries, and writable files', async () => {
    const a = await commitCheckpoint();
    await tamper(a, async (dir) => {
      await fs.rm(path.join(dir, 'weights/extra.bin'));
      await fs.writeFile(path.join(dir, 'notes.txt'), 'mine');
      await fs.mkdir(path.join(dir, 'logs'));
      await fs.symlink('config.json', path.join(dir, 'weights/link'));
      await fs.chmod(path.join(dir, 'weights/w.bin'), 0o644);
    });
    const problems = (await store.verify(a.versionId)).versions[0]!.problems;
    expect(problems.map((p) => [p.kind, p.path]).sort()).toEqual(
      [
        ['extra', 'logs/'],
        ['extra', 'notes.txt'],
        ['extra', 'weights/link'],
        ['missing', 'weights/extra.bin'],
        ['permissions', 'weights/w.bin'],
      ].sort(),
    );
    expect(problems.find((p) => p.kind === 'permissions')!.detail).toMatch(/mode 644, expected 444 \(writable: edits would change the stored version\)/);
  });

  it('reports a version folder that is gone entirely', async () => {
    const a = await commitCheckpoint();
    await fs.chmod(a.path, 0o755);
    await removeDir(a.path);
    const problems = (await store.verify(a.versionId)).versions[0]!.problems;
    expect(problems).toEqual([{ kind: 'missing', path: '.', detail: `the version directory ${a.path} is gone` }]);
  });

  it('reports a missing or damaged stored body even when the version folder is intact', async () => {
    await store.close();
    store = await openStore(dataDir, { materialization: 'copy' });
    const a = await commitCheckpoint();
    const w = sha256(BODIES['weights/w.bin']);
    await fs.chmod(blobPath(w), 0o644);
    const handle = await fs.open(blobPath(w), 'r+');
    await handle.write(Buffer.from('rot'), 0, 3, 1000);
    await handle.close();
    await fs.rm(blobPath(sha256(BODIES['config.json'])));
    const problems = (await store.verify(a.versionId)).versions[0]!.problems;
    expect(problems.map((p) => [p.kind, p.path]).sort()).toEqual(
      [
        ['blob-corrupt', `blobs/sha256/${w.slice(0, 2)}/${w.slice(2)}`],
        ['blob-missing', `blobs/sha256/${sha256(BODIES['config.json']).slice(0, 2)}/${sha256(BODIES['config.json']).slice(2)}`],
      ].sort(),
    );
  });

  it('can be cancelled', async () => {
    const a = await commitCheckpoint();
    const controller = new AbortController();
    controller.abort();
    await expectError(store.verify(a.versionId, { signal: controller.signal }), 'VERIFY_CANCELLED');
  });

  it('refuses unknown and malformed ids', async () => {
    await expectError(store.verify('01hzzzzzzzzzzzzzzzzzzzzzzz'), 'VERSION_NOT_FOUND', 'there is no version 01hzzzzzzzzzzzzzzzzzzzzzzz in this store');
    await expectError(store.verify('../../etc'), 'VERSION_ID_INVALID');
  });
});

describe('remove and gc', () => {
  it('removes a version; gc then frees exactly the bodies no other version uses', async () => {
    const shared = randomBytes(2 * 1024 * 1024, 'shared');
    await writeTree(src, { 'a/shared.bin': shared, 'a/own.bin': randomBytes(3 * 1024 * 1024, 'own'), 'b/shared.bin': shared });
    const a = await store.commit([path.join(src, 'a')]);
    const b = await store.commit([path.join(src, 'b')]);

    expect(await store.remove(a.versionId)).toEqual({ versionId: a.versionId });
    expect((await store.list()).map((v) => v.versionId)).toEqual([b.versionId]);
    await expect(fs.stat(a.path)).rejects.toMatchObject({ code: 'ENOENT' });
    await expectError(store.remove(a.versionId), 'VERSION_NOT_FOUND');

    const report = await store.gc();
    expect(report).toMatchObject({ blobsRemoved: 1, blobsKept: 1 });
    expect(report.bytesFreed).toBeGreaterThanOrEqual(3 * 1024 * 1024);
    expect(await blobNames(dataDir)).toEqual([sha256(shared)]);
    expect((await store.verify(null)).ok).toBe(true);
    expect(await store.gc()).toEqual({ blobsRemoved: 0, bytesFreed: 0, blobsKept: 1 });
  });

  it('refuses a malformed id before touching anything', async () => {
    await expectError(store.remove('../manifests'), 'VERSION_ID_INVALID');
  });

  it('stops rather than guess when a manifest is damaged', async () => {
    const a = await commitCheckpoint();
    await fs.chmod(path.join(dataDir, 'manifests', `${a.versionId}.json`), 0o644);
    await fs.writeFile(path.join(dataDir, 'manifests', `${a.versionId}.json`), '{"format":');
    await expectError(store.gc(), 'MANIFEST_INVALID', new RegExp(`the manifest of version ${a.versionId} .* is damaged`));
    expect(await blobNames(dataDir)).toHaveLength(3);
  });
});
