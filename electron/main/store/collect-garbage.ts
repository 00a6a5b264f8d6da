import fs from 'node:fs/promises';
import path from 'node:path';
import type { GcReport } from '../../shared/contract';
import { errnoOf } from './fs-errors';
import { SHA256_HEX, type StoreLayout } from './store-layout';

/**
 * Deletes every blob not in `referenced`. Must run alone (the store's exclusive gate
 * and the data directory's lock), or it could delete a blob an in-flight commit is
 * about to link. Only names that are blob names are touched.
 */
export async function collectGarbage(
  layout: StoreLayout,
  referenced: ReadonlySet<string>,
  { signal, onBlob }: { signal?: AbortSignal; onBlob?: () => void } = {},
): Promise<GcReport> {
  const report: GcReport = { blobsRemoved: 0, bytesFreed: 0, blobsKept: 0 };
  const shards = await fs.readdir(layout.blobsDir).catch((error: unknown) => {
    if (errnoOf(error) === 'ENOENT') return [] as string[];
    throw error;
  });
  for (const shard of shards) {
    if (!/^[0-9a-f]{2}$/.test(shard)) continue;
    const names = await fs.readdir(path.join(layout.blobsDir, shard));
    for (const name of names) {
      signal?.throwIfAborted();
      const sha = shard + name;
      if (!SHA256_HEX.test(sha)) continue;
      onBlob?.();
      if (referenced.has(sha)) {
        report.blobsKept++;
        continue;
      }
      report.blobsRemoved++;
      report.bytesFreed += await removeBlob(path.join(layout.blobsDir, shard, name));
    }
  }
  return report;
}

/** Removes one blob; returns the disk space that frees (none while a version still links the inode). */
export async function removeBlob(file: string): Promise<number> {
  let freed = 0;
  try {
    const stat = await fs.lstat(file);
    if (stat.nlink <= 1) freed = Number.isFinite(stat.blocks) ? stat.blocks * 512 : stat.size;
    await fs.unlink(file);
  } catch (error) {
    if (errnoOf(error) !== 'ENOENT') throw error;
  }
  return freed;
}
