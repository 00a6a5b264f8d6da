import fs from 'node:fs/promises';
import path from 'node:path';
import type { CommitResult, GcReport, Manifest, ManifestFile, VerifyReport, VersionSummary } from '../../shared/contract';
import { HostError } from '../../shared/host-error';
import { collectGarbage, removeBlob } from './collect-garbage';
import { fsyncDir, removeTree } from './durable-fs';
import { errnoOf, storageError } from './fs-errors';
import { cloneAndHash, ingestFile, probeDirectIo } from './ingest-file';
import { readManifest, serializeManifest } from './manifest-file';
import { sortByPath, versionDigest } from './manifest-digest';
import { placeFile, probeMaterialization, type Materialization } from './materialize';
import { ProgressMeter, type ProgressListener } from './progress';
import { runPool } from './run-pool';
import { checkReadable, scanSources, type SourceFile } from './scan-sources';
import { StatCache, type StatKey } from './stat-cache';
import { acquireStoreLock, type StoreLock } from './store-lock';
import { SHA256_HEX, StoreLayout } from './store-layout';
import { verifyVersion, type VerifyContext } from './verify-version';
import { assertVersionId, isVersionId, newVersionId } from './version-id';
import { WriteGate } from './write-gate';

export interface VersionStoreOptions {
  dataDir: string;
  /** Named in STORE_LOCKED messages other processes show: "the Cairn desktop app". */
  owner?: string;
  /** fsync file bodies and folders before a version appears (default true: survive power loss, not just a crash). */
  fsync?: boolean;
  /** Remember hashes of unchanged sources (default true). */
  statCache?: boolean;
  /** 'auto' probes the file system; 'copy' forces independent copies. */
  materialization?: 'auto' | Materialization;
  /** Write blob bodies with O_DIRECT where the file system takes it (default true; only with fsync). */
  directIo?: boolean;
  /** Files read at once during a commit (default 3). */
  concurrency?: number;
  /** How old a file's last change must be before its hash is cached (default 2000 ms; see stat-cache.ts). */
  racyWindowMs?: number;
  /** Failpoints for crash tests: called after each durable step of a commit. */
  onCommitStep?: (step: CommitStep) => void;
}

export type CommitStep = 'blobs-written' | 'tree-built' | 'version-dir-renamed' | 'manifest-renamed';

export interface OperationOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

const NEW_BLOBS_JOURNAL = 'new-blobs';
/** How often a file being copied is pushed towards the disk (see ingestFile). */
const FLUSH_EVERY_BYTES = 32 * 1024 * 1024;
/** Copied files waiting for their fsync and link at once: bounds open work, not memory. */
const MAX_FINISHING = 16;

/**
 * Opens (creating if needed) the version store in `dataDir`: immutable, content-addressed
 * Model Versions. See README.md in this folder for the layout and the crash-safety rules.
 */
export async function openVersionStore(options: VersionStoreOptions): Promise<VersionStore> {
  const layout = new StoreLayout(path.resolve(options.dataDir));
  try {
    for (const dir of [layout.blobsDir, layout.versionsDir, layout.manifestsDir, layout.stagingDir]) {
      await fs.mkdir(dir, { recursive: true });
    }
  } catch (error) {
    throw storageError(error, layout.dataDir, 'creating the store');
  }
  const materialization = options.materialization && options.materialization !== 'auto' ? options.materialization : await probe(layout);
  const statCache = options.statCache === false ? undefined : await StatCache.open(layout.statCacheFile, { racyWindowMs: options.racyWindowMs });
  const durable = options.fsync !== false;
  const directIo = durable && options.directIo !== false && (await probeDirectIo(path.join(layout.stagingDir, `probe-direct-${process.pid}-${Date.now()}`)));
  const device = (await fs.stat(layout.blobsDir, { bigint: true })).dev;
  const store = new VersionStore(layout, { materialization, directIo, device }, statCache, options);
  await store.sweepIfFree();
  return store;
}

/** A sweep by another process may remove the probe's folder mid-probe: try again. */
async function probe(layout: StoreLayout): Promise<Materialization> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await probeMaterialization(layout.stagingDir);
    } catch (error) {
      if (errnoOf(error) !== 'ENOENT' || attempt >= 3) throw error;
    }
  }
}

export class VersionStore {
  private readonly gate: WriteGate;
  private lock: StoreLock | undefined;
  /** Parsed manifest summaries by id; manifests never change, so entries never go stale, only missing. */
  private readonly index = new Map<string, VersionSummary>();
  private closed = false;
  private readonly damagedManifests = new Set<string>();
  /** The executable files of each version: with the digest, what makes two versions identical. */
  private readonly executableSignatures = new Map<string, string>();
  private needsSweep = false;

  readonly materialization: Materialization;
  /** Whether blob bodies are written with O_DIRECT (probed at open). */
  readonly directIo: boolean;
  /** The store's file system: sources on it can be cloned rather than copied, where it clones. */
  private readonly device: bigint;

  constructor(
    readonly layout: StoreLayout,
    capabilities: { materialization: Materialization; directIo: boolean; device: bigint },
    private readonly statCache: StatCache | undefined,
    private readonly options: VersionStoreOptions,
  ) {
    this.materialization = capabilities.materialization;
    this.directIo = capabilities.directIo;
    this.device = capabilities.device;
    this.gate = new WriteGate({
      acquire: async () => {
        this.lock = await acquireStoreLock(layout.lockFile, layout.dataDir, options.owner ?? defaultOwner());
        try {
          // Holding the lock, no other process writes: what staging holds is abandoned.
          // A sweep that cannot finish (a damaged manifest) leaves its work for later and
          // does not stop this operation: staging folders are private to each operation.
          await this.sweep().catch(warnSweep);
          await this.statCache?.refresh();
          await this.refreshIndex();
        } catch (error) {
          await this.releaseLock();
          throw storageError(error, layout.dataDir, 'opening the store for writing');
        }
      },
      // Only failed work leaves anything in staging: a clean run needs no sweep.
      idle: async () => {
        if (!this.needsSweep) return;
        this.needsSweep = false;
        await this.sweep().catch(warnSweep);
      },
      release: () => this.releaseLock(),
    });
  }

  get dataDir(): string {
    return this.layout.dataDir;
  }

  /**
   * Logs files and folders as a new version: one streaming read → sha256 → write pass
   * per file into staging, blobs linked into the content-addressed store, the version
   * tree built from blobs, then two renames (tree, then manifest) publish it.
   */
  async commit(sources: readonly string[], { signal, onProgress }: OperationOptions = {}): Promise<CommitResult> {
    this.assertOpen();
    const meter = new ProgressMeter(onProgress);
    try {
      signal?.throwIfAborted();
      return await this.gate.run('shared', () => this.commitAlone(sources, meter, signal));
    } catch (error) {
      if (signal?.aborted) throw new HostError('COMMIT_CANCELLED', 'the commit was cancelled; nothing was stored');
      throw storageError(error, this.layout.dataDir, 'committing');
    }
  }

  private async commitAlone(sources: readonly string[], meter: ProgressMeter, signal: AbortSignal | undefined): Promise<CommitResult> {
    signal?.throwIfAborted();
    const versionId = newVersionId();
    const opDir = path.join(this.layout.stagingDir, `commit-${versionId}`);
    // Created only when something must be written: re-logging unchanged files touches no disk.
    let created: Promise<void> | undefined;
    const staging = async () => {
      created ??= fs.mkdir(opDir).then(() => undefined);
      await created;
      return opDir;
    };
    let succeeded = false;
    try {
      const result = await this.commitInStaging(versionId, staging, sources, meter, signal);
      succeeded = true;
      return result;
    } finally {
      // A failed commit's staging folder (and the blobs its journal lists) is left to the
      // sweep that runs once no other commit is in flight: one of them may share a blob.
      // After success, a folder that will not go away is only untidy: the sweep retries.
      if (!succeeded) this.needsSweep = true;
      else if (created) {
        await removeTree(opDir).catch((error: unknown) => {
          this.needsSweep = true;
          warnSweep(error);
        });
      }
      await this.statCache?.flush().catch(() => {});
    }
  }

  private async commitInStaging(
    versionId: string,
    staging: () => Promise<string>,
    sources: readonly string[],
    meter: ProgressMeter,
    signal: AbortSignal | undefined,
  ): Promise<CommitResult> {
    const fsync = this.options.fsync !== false;
    meter.phase('scanning');
    const files = await scanSources(sources, {
      dataDir: this.layout.dataDir,
      stagingDir: this.layout.stagingDir,
      signal,
      onFound: (n, bytes) => meter.set({ filesDone: n, bytesDone: bytes }),
    });
    const shas = await this.knownHashes(files);
    const toRead = files.filter((f) => !shas.has(f)).sort((a, b) => b.size - a.size);
    // Only files that must be read: a cache hit means the bytes are stored and the file
    // unchanged since, its permissions included (a chmod moves ctime, which is in the key).
    await checkReadable(toRead, signal);
    const stats = { bytesRead: 0, filesRead: toRead.length, filesFromCache: shas.size, blobsCreated: 0, bytesStored: 0 };
    meter.phase('copying', { bytesDone: 0, bytesTotal: sum(toRead), filesDone: shas.size, filesTotal: files.length });

    const opDir = toRead.length > 0 ? await staging() : '';
    const journal = toRead.length > 0 ? await fs.open(path.join(opDir, NEW_BLOBS_JOURNAL), 'a') : undefined;
    const touchedShards = new Set<string>();
    // Two stages: lanes read, hash and write; finishing (fsync, then link into blobs/)
    // runs behind them, so a lane never waits for the disk to flush a file before it
    // starts reading the next one.
    const copying = new AbortController();
    const stop = () => copying.abort(signal?.reason);
    signal?.addEventListener('abort', stop, { once: true });
    if (signal?.aborted) stop();
    const finishing = new Set<Promise<void>>();
    let finishFailure: { error: unknown } | undefined;
    const finish = async (file: SourceFile, temp: string, sha256: string, statKey: StatKey | undefined, readStartedNs: bigint) => {
      if (fsync) await datasyncFile(temp);
      // Journal first: if we die right after the link, the sweep still knows this blob may be new.
      await journal!.write(sha256 + '\n');
      if (await this.publishBlob(temp, sha256, file.size, touchedShards)) {
        stats.blobsCreated++;
        stats.bytesStored += file.size;
      }
      if (statKey) this.statCache?.record(file.absPath, statKey, sha256, readStartedNs);
      shas.set(file, sha256);
      meter.add(0, 1);
    };
    try {
      await runPool(
        toRead,
        this.options.concurrency ?? 3,
        async (file, i, laneSignal) => {
          const temp = path.join(opDir, `blob-${i}`);
          const readStartedNs = BigInt(Date.now()) * 1_000_000n;
          const onBytes = (n: number) => {
            stats.bytesRead += n;
            meter.add(n);
          };
          const cloned = this.materialization === 'reflink' && file.dev === this.device ? await cloneAndHash(file, temp, { signal: laneSignal, onBytes }) : undefined;
          const { sha256, statKey } =
            cloned ?? (await ingestFile(file, temp, { direct: this.directIo, flushEveryBytes: fsync ? FLUSH_EVERY_BYTES : 0, signal: laneSignal, onBytes }));
          while (finishing.size >= MAX_FINISHING) await Promise.race(finishing);
          laneSignal.throwIfAborted();
          const done: Promise<void> = finish(file, temp, sha256, statKey, readStartedNs)
            .catch((error: unknown) => {
              finishFailure ??= { error };
              copying.abort(error);
            })
            .finally(() => finishing.delete(done));
          finishing.add(done);
        },
        copying.signal,
      );
      await Promise.all(finishing);
      if (finishFailure) throw finishFailure.error;
    } finally {
      await Promise.allSettled(finishing);
      signal?.removeEventListener('abort', stop);
      await journal?.close();
    }
    this.options.onCommitStep?.('blobs-written');

    const entries: ManifestFile[] = sortByPath(
      files.map((f) => ({ path: f.relPath, size: f.size, sha256: shas.get(f)!, executable: f.executable })),
    );
    const digest = versionDigest(entries);
    const bytes = sum(files);
    const identical = this.findIdentical(digest, entries);
    if (identical) {
      meter.phase('done', { bytesDone: meter.current.bytesTotal, filesDone: files.length });
      // Same digest and executable bits: the same files, so its manifest is ours with its id.
      const manifest: Manifest = { format: 'cairn-manifest/1', versionId: identical.versionId, digest, createdAt: identical.createdAt, fileCount: entries.length, bytes, files: entries };
      return { ...identical, manifest, reused: true, stats };
    }

    signal?.throwIfAborted();
    meter.phase('finalizing');
    const tree = path.join(await staging(), 'tree');
    await this.buildTree(tree, entries, fsync, signal);
    if (fsync) {
      await runPool([...touchedShards], 16, (dir) => fsyncDir(dir));
      if (touchedShards.size > 0) await fsyncDir(this.layout.blobsDir);
    }
    this.options.onCommitStep?.('tree-built');

    // The point of no return is the manifest rename below; a crash before it leaves an
    // orphan version folder, which the next sweep removes.
    signal?.throwIfAborted();
    const versionDir = this.layout.versionDir(versionId);
    await fs.rename(tree, versionDir);
    // Read-only only now: moving a folder to a new parent needs write permission on it.
    await fs.chmod(versionDir, 0o555);
    if (fsync) {
      await fsyncDir(versionDir);
      await fsyncDir(this.layout.versionsDir);
    }
    this.options.onCommitStep?.('version-dir-renamed');

    const manifest: Manifest = {
      format: 'cairn-manifest/1',
      versionId,
      digest,
      createdAt: new Date().toISOString(),
      fileCount: entries.length,
      bytes,
      files: entries,
    };
    const staged = path.join(await staging(), 'manifest.json');
    const handle = await fs.open(staged, 'wx', 0o444);
    try {
      await handle.writeFile(serializeManifest(manifest), 'utf8');
      if (fsync) await handle.datasync();
    } finally {
      await handle.close();
    }
    await fs.rename(staged, this.layout.manifestPath(versionId));
    if (fsync) await fsyncDir(this.layout.manifestsDir);
    this.options.onCommitStep?.('manifest-renamed');

    const summary = this.summaryOf(manifest);
    this.index.set(versionId, summary);
    this.executableSignatures.set(versionId, executableSignature(entries));
    meter.phase('done', { bytesDone: meter.current.bytesTotal, filesDone: files.length });
    return { ...summary, manifest, reused: false, stats };
  }

  /** Files whose stat the cache knows and whose blob is present: nothing to read. */
  private async knownHashes(files: readonly SourceFile[]): Promise<Map<SourceFile, string>> {
    const known = new Map<SourceFile, string>();
    if (!this.statCache) return known;
    const candidates = files.flatMap((f) => {
      const sha = this.statCache!.lookup(f.absPath, f);
      return sha ? [{ f, sha }] : [];
    });
    await runPool(candidates, 64, async ({ f, sha }) => {
      const blob = await fs.stat(this.layout.blobPath(sha)).catch(() => undefined);
      if (blob && blob.size === f.size) known.set(f, sha);
    });
    return known;
  }

  /**
   * Moves a freshly written body into `blobs/`. link() is "create if absent" in one
   * step, so two commits storing the same bytes at once end with one blob; rename()
   * would silently replace an inode versions may already be linked to.
   * Returns whether the blob is new.
   */
  private async publishBlob(temp: string, sha256: string, size: number, touchedShards: Set<string>): Promise<boolean> {
    const blob = this.layout.blobPath(sha256);
    const shard = this.layout.blobShardDir(sha256);
    await fs.mkdir(shard, { recursive: true });
    try {
      await fs.link(temp, blob);
      touchedShards.add(shard);
      await fs.unlink(temp);
      return true;
    } catch (error) {
      const code = errnoOf(error);
      if (code === 'EEXIST') {
        const existing = await fs.stat(blob);
        if (existing.size === size) {
          await fs.unlink(temp);
          return false;
        }
        // A damaged blob (wrong length): the bytes just hashed are the truth.
      } else if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK'].includes(code ?? '')) {
        throw error;
      } else if (await fs.stat(blob).then(() => true, () => false)) {
        await fs.unlink(temp);
        return false;
      }
      await fs.rename(temp, blob);
      touchedShards.add(shard);
      return true;
    }
  }

  private async buildTree(tree: string, entries: readonly ManifestFile[], fsync: boolean, signal: AbortSignal | undefined): Promise<void> {
    const dirs = new Set<string>(['']);
    for (const e of entries) {
      for (let i = e.path.indexOf('/'); i !== -1; i = e.path.indexOf('/', i + 1)) dirs.add(e.path.slice(0, i));
    }
    // Parents before children.
    const ordered = [...dirs].sort((a, b) => a.length - b.length);
    for (const d of ordered) await fs.mkdir(path.join(tree, d), { mode: 0o755 });
    await runPool(
      entries,
      32,
      async (e) => {
        const dest = path.join(tree, e.path);
        const { needsDataSync } = await placeFile(this.layout.blobPath(e.sha256), dest, {
          strategy: this.materialization,
          executable: e.executable,
        });
        if (fsync && needsDataSync) await datasyncFile(dest);
      },
      signal,
    );
    // Deepest first; the root stays writable until it has been renamed into place.
    for (const d of ordered.reverse()) {
      if (d !== '') await fs.chmod(path.join(tree, d), 0o555);
    }
    if (fsync) await runPool(ordered, 16, (d) => fsyncDir(path.join(tree, d)));
  }

  /**
   * The version with the same digest and the same executable bits, if one exists. The
   * index is current: other processes cannot publish while this one holds the lock.
   */
  private findIdentical(digest: string, entries: readonly ManifestFile[]): VersionSummary | undefined {
    const signature = executableSignature(entries);
    for (const summary of this.index.values()) {
      if (summary.digest === digest && this.executableSignatures.get(summary.versionId) === signature) return summary;
    }
    return undefined;
  }

  /**
   * Re-hashes one version (or every version) against its manifest. Takes no lock:
   * everything it reads is immutable once published.
   */
  async verify(versionId: string | null, { signal, onProgress }: OperationOptions = {}): Promise<VerifyReport> {
    this.assertOpen();
    const meter = new ProgressMeter(onProgress);
    try {
      let ids: string[];
      if (versionId !== null) {
        assertVersionId(versionId);
        ids = [versionId];
      } else {
        ids = (await this.list()).map((v) => v.versionId);
      }
      const manifests: Manifest[] = [];
      for (const id of ids) manifests.push(await this.manifest(id));
      meter.phase('verifying', {
        bytesDone: 0,
        bytesTotal: manifests.reduce((n, m) => n + m.bytes, 0),
        filesDone: 0,
        filesTotal: manifests.reduce((n, m) => n + m.fileCount, 0),
      });
      const report: VerifyReport = { ok: true, versions: [], filesChecked: 0, bytesHashed: 0 };
      const ctx: VerifyContext = {
        layout: this.layout,
        hashed: new Map(),
        signal,
        onBytes: (n) => meter.add(n),
        onFile: () => {
          report.filesChecked++;
          meter.add(0, 1);
        },
        hashedBytes: 0,
      };
      for (const manifest of manifests) {
        const problems = await verifyVersion(manifest, ctx);
        report.versions.push({ versionId: manifest.versionId, ok: problems.length === 0, problems });
        if (problems.length > 0) report.ok = false;
      }
      report.bytesHashed = ctx.hashedBytes;
      meter.phase('done');
      return report;
    } catch (error) {
      if (signal?.aborted) throw new HostError('VERIFY_CANCELLED', 'verify was cancelled');
      throw error;
    }
  }

  /** Frees every blob no version references. Runs alone: commits wait for it, and it for them. */
  async gc({ signal, onProgress }: OperationOptions = {}): Promise<GcReport> {
    this.assertOpen();
    const meter = new ProgressMeter(onProgress);
    try {
      return await this.gate.run('exclusive', async () => {
        meter.phase('collecting');
        const referenced = await this.referencedBlobs();
        const report = await collectGarbage(this.layout, referenced, { signal, onBlob: () => meter.add(0, 1) });
        meter.phase('done');
        return report;
      });
    } catch (error) {
      this.needsSweep = true;
      if (signal?.aborted) throw new HostError('GC_CANCELLED', 'gc was cancelled; what it freed so far stays freed');
      throw storageError(error, this.layout.dataDir, 'collecting garbage');
    }
  }

  /**
   * Deletes a version: the manifest goes first (from then on the version does not
   * exist), then the folder. A crash in between leaves an orphan folder for the sweep.
   * Its blobs stay until gc.
   */
  async remove(versionId: string): Promise<{ versionId: string }> {
    this.assertOpen();
    assertVersionId(versionId);
    try {
      return await this.gate.run('exclusive', async () => {
        const manifest = this.layout.manifestPath(versionId);
        try {
          await fs.unlink(manifest);
        } catch (error) {
          if (errnoOf(error) === 'ENOENT') throw notFound(versionId);
          throw error;
        }
        if (this.options.fsync !== false) await fsyncDir(this.layout.manifestsDir);
        this.index.delete(versionId);
        this.executableSignatures.delete(versionId);
        await this.discardVersionDir(versionId);
        return { versionId };
      });
    } catch (error) {
      this.needsSweep = true; // a folder whose manifest is gone may be left: an orphan
      throw storageError(error, this.layout.dataDir, `removing version ${versionId}`);
    }
  }

  /** Every version, oldest first. */
  async list(): Promise<VersionSummary[]> {
    this.assertOpen();
    await this.refreshIndex();
    return [...this.index.values()].sort((a, b) => (a.createdAt === b.createdAt ? (a.versionId < b.versionId ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1));
  }

  async manifest(versionId: string): Promise<Manifest> {
    assertVersionId(versionId);
    try {
      return await readManifest(this.layout.manifestPath(versionId));
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') throw notFound(versionId);
      throw new HostError('MANIFEST_INVALID', `the manifest of version ${versionId} (${this.layout.manifestPath(versionId)}) is damaged: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  }

  /** Waits for running operations (cancel them first to be quick), then lets go of the data directory. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.gate.busy) await new Promise((r) => setTimeout(r, 10));
  }

  /** At open: clean up after a crashed process, unless another process is busy writing. */
  async sweepIfFree(): Promise<void> {
    await this.gate.run('exclusive', async () => {}).catch((error: unknown) => {
      if (!(error instanceof HostError && error.code === 'STORE_LOCKED')) throw error;
    });
  }

  /**
   * Removes abandoned staging folders and orphan version folders (a folder without a
   * manifest never became a version), and the blobs that abandoned commits created and
   * no version references. Only ever runs alone with the lock held.
   */
  private async sweep(): Promise<void> {
    const candidates = new Set<string>();
    const staged = await fs.readdir(this.layout.stagingDir).catch(() => [] as string[]);
    for (const name of staged) {
      const journal = await fs.readFile(path.join(this.layout.stagingDir, name, NEW_BLOBS_JOURNAL), 'utf8').catch(() => '');
      for (const line of journal.split('\n')) if (SHA256_HEX.test(line)) candidates.add(line);
    }
    const manifests = new Set((await fs.readdir(this.layout.manifestsDir)).filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)));
    for (const name of await fs.readdir(this.layout.versionsDir)) {
      if (isVersionId(name) && !manifests.has(name)) await this.discardVersionDir(name);
    }
    if (candidates.size > 0) {
      const referenced = await this.referencedBlobs();
      for (const sha of candidates) if (!referenced.has(sha)) await removeBlob(this.layout.blobPath(sha));
    }
    // Journals last: a crash above leaves them for the next sweep to finish the job.
    for (const name of staged) await removeTree(path.join(this.layout.stagingDir, name));
    await this.removeStaleLockTemps();
  }

  /** A process killed while taking the lock leaves its private `store.lock.<nonce>` behind. */
  private async removeStaleLockTemps(): Promise<void> {
    const prefix = path.basename(this.layout.lockFile) + '.';
    for (const name of await fs.readdir(this.layout.dataDir)) {
      if (!name.startsWith(prefix) || !/^[0-9a-f]{24}$/.test(name.slice(prefix.length))) continue;
      const file = path.join(this.layout.dataDir, name);
      // Another process may be taking the lock right now with a fresh one: only old ones go.
      const stat = await fs.stat(file).catch(() => undefined);
      if (stat && Date.now() - stat.mtimeMs > 60_000) await fs.rm(file, { force: true });
    }
  }

  /** Moves the folder out of versions/ in one rename, then deletes it at leisure. */
  private async discardVersionDir(versionId: string): Promise<void> {
    const dir = this.layout.versionDir(versionId);
    const trash = path.join(this.layout.stagingDir, `removed-${versionId}-${Date.now()}`);
    try {
      await fs.chmod(dir, 0o755);
      await fs.rename(dir, trash);
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return;
      throw error;
    }
    await removeTree(trash);
  }

  private async referencedBlobs(): Promise<Set<string>> {
    const referenced = new Set<string>();
    for (const name of await fs.readdir(this.layout.manifestsDir)) {
      const id = name.endsWith('.json') ? name.slice(0, -5) : '';
      if (!isVersionId(id)) continue;
      // A manifest that cannot be read must stop gc, not make its blobs look unreferenced.
      const manifest = await this.manifest(id);
      for (const f of manifest.files) referenced.add(f.sha256);
    }
    return referenced;
  }

  private async refreshIndex(): Promise<void> {
    const before = new Set(this.index.keys());
    const names = await fs.readdir(this.layout.manifestsDir);
    const present = new Set<string>();
    for (const name of names) {
      const id = name.endsWith('.json') ? name.slice(0, -5) : '';
      if (!isVersionId(id)) continue;
      present.add(id);
      if (this.index.has(id) || this.damagedManifests.has(name)) continue;
      const manifest = await readManifest(path.join(this.layout.manifestsDir, name)).catch((error: unknown) => {
        // Removed meanwhile, or damaged: verify reports damage; list shows what it can read.
        if (errnoOf(error) !== 'ENOENT') {
          this.damagedManifests.add(name);
          console.warn(`cairn store: not listing ${name}, its manifest is damaged (store verify reports it)`);
        }
        return undefined;
      });
      if (manifest) {
        this.index.set(id, this.summaryOf(manifest));
        this.executableSignatures.set(id, executableSignature(manifest.files));
      }
    }
    for (const id of before) {
      if (present.has(id)) continue;
      this.index.delete(id);
      this.executableSignatures.delete(id);
    }
  }

  private summaryOf(m: Manifest): VersionSummary {
    return { versionId: m.versionId, digest: m.digest, createdAt: m.createdAt, files: m.fileCount, bytes: m.bytes, path: this.layout.versionDir(m.versionId) };
  }

  private async releaseLock(): Promise<void> {
    const lock = this.lock;
    this.lock = undefined;
    await lock?.release();
  }

  private assertOpen(): void {
    if (this.closed) throw new HostError('STORE_CLOSED', `the store in ${this.layout.dataDir} is closed`);
  }
}

function executableSignature(files: readonly ManifestFile[]): string {
  return files.filter((f) => f.executable).map((f) => f.path).join('\0');
}

async function datasyncFile(file: string): Promise<void> {
  const handle = await fs.open(file, 'r');
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

function sum(files: readonly { size: number }[]): number {
  return files.reduce((n, f) => n + f.size, 0);
}

function notFound(versionId: string): HostError {
  return new HostError('VERSION_NOT_FOUND', `there is no version ${versionId} in this store`);
}

function warnSweep(error: unknown): void {
  console.warn(`cairn store: cleanup postponed: ${error instanceof Error ? error.message : String(error)}`);
}

function defaultOwner(): string {
  const script = process.argv[1] ? path.basename(process.argv[1]) : 'node';
  return `a Cairn process (${script})`;
}
