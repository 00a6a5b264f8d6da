import path from 'node:path';

/**
 * Where everything lives inside a data directory. Only this module spells out the
 * on-disk layout (see README.md next to it).
 */
export class StoreLayout {
  readonly blobsDir: string;
  readonly versionsDir: string;
  readonly manifestsDir: string;
  readonly stagingDir: string;
  readonly lockFile: string;
  readonly statCacheFile: string;

  constructor(readonly dataDir: string) {
    this.blobsDir = path.join(dataDir, 'blobs', 'sha256');
    this.versionsDir = path.join(dataDir, 'versions');
    this.manifestsDir = path.join(dataDir, 'manifests');
    this.stagingDir = path.join(dataDir, 'staging');
    this.lockFile = path.join(dataDir, 'store.lock');
    this.statCacheFile = path.join(dataDir, 'stat-cache.jsonl');
  }

  /** `blobs/sha256/ab/cdef…`: 256 shard folders keep directories small at millions of blobs. */
  blobPath(sha256: string): string {
    return path.join(this.blobsDir, sha256.slice(0, 2), sha256.slice(2));
  }

  blobShardDir(sha256: string): string {
    return path.join(this.blobsDir, sha256.slice(0, 2));
  }

  versionDir(versionId: string): string {
    return path.join(this.versionsDir, versionId);
  }

  manifestPath(versionId: string): string {
    return path.join(this.manifestsDir, `${versionId}.json`);
  }
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;
