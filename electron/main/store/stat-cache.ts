import fs from 'node:fs/promises';
import { writeFileAtomic } from './durable-fs';
import { errnoOf } from './fs-errors';
import { SHA256_HEX } from './store-layout';

/** What must be unchanged for a file's earlier hash to still be its hash. */
export interface StatKey {
  size: number;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
  dev: bigint;
}

interface Entry extends StatKey {
  sha256: string;
}

const HEADER = '{"cairnStatCache":1}\n';
const MAX_ENTRIES = 200_000;

/**
 * path + (size, mtime, ctime, inode, device) → sha256, so re-logging unchanged files
 * reads nothing. Stored as JSON lines appended after each commit (one write; a torn
 * last line after a crash is skipped), compacted when mostly stale.
 *
 * Soundness ("racy clean", as in git): an entry is only recorded when the file's mtime
 * and ctime are older than `racyWindowMs` before the read started. A file modified
 * again within the same timestamp tick as its last change could otherwise keep an
 * identical stat and a stale hash. ctime is in the key because tools can set mtime back
 * (touch -r, cp -p) but nothing can set ctime.
 */
export class StatCache {
  private entries = new Map<string, Entry>();
  private pending: string[] = [];
  private lines = 0;
  /** How far this process has read the file, so another process's appends can be picked up. */
  private readOffset = 0;
  private fileIdentity = '';

  private constructor(
    private readonly file: string,
    private readonly racyWindowNs: bigint,
  ) {}

  static async open(file: string, { racyWindowMs = 2000 } = {}): Promise<StatCache> {
    const cache = new StatCache(file, BigInt(racyWindowMs) * 1_000_000n);
    await cache.refresh();
    return cache;
  }

  /** Reads what other processes appended since the last look (or everything, if the file was replaced). */
  async refresh(): Promise<void> {
    let handle;
    try {
      handle = await fs.open(this.file, 'r');
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return;
      throw error;
    }
    try {
      const stat = await handle.stat({ bigint: true });
      const identity = `${stat.dev}:${stat.ino}`;
      if (identity !== this.fileIdentity || Number(stat.size) < this.readOffset) {
        this.entries.clear();
        this.lines = 0;
        this.readOffset = 0;
        this.fileIdentity = identity;
      }
      const length = Number(stat.size) - this.readOffset;
      if (length <= 0) return;
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, this.readOffset);
      const text = buffer.subarray(0, bytesRead).toString('utf8');
      // Only whole lines: a line still being appended is read next time.
      const end = text.lastIndexOf('\n');
      if (end === -1) return;
      for (const line of text.slice(0, end).split('\n')) this.ingestLine(line);
      this.readOffset += Buffer.byteLength(text.slice(0, end + 1), 'utf8');
    } finally {
      await handle.close();
    }
  }

  private ingestLine(line: string): void {
    if (line === '' || line === HEADER.trim()) return;
    try {
      const e = JSON.parse(line) as { p: string; s: number; m: string; c: string; i: string; d: string; h: string };
      if (typeof e.p !== 'string' || typeof e.h !== 'string' || !SHA256_HEX.test(e.h)) return;
      this.set(e.p, { size: e.s, mtimeNs: BigInt(e.m), ctimeNs: BigInt(e.c), ino: BigInt(e.i), dev: BigInt(e.d), sha256: e.h });
      this.lines++;
    } catch {
      // A torn or foreign line costs one re-hash, nothing more.
    }
  }

  private set(path: string, entry: Entry): void {
    this.entries.delete(path); // re-insert: Map order doubles as least-recently-recorded order
    this.entries.set(path, entry);
  }

  lookup(path: string, key: StatKey): string | undefined {
    const e = this.entries.get(path);
    if (!e) return undefined;
    const same = e.size === key.size && e.mtimeNs === key.mtimeNs && e.ctimeNs === key.ctimeNs && e.ino === key.ino && e.dev === key.dev;
    return same ? e.sha256 : undefined;
  }

  /** Remembers a hash; `readStartedNs` is the wall clock (ns) when reading began. */
  record(path: string, key: StatKey, sha256: string, readStartedNs: bigint): void {
    const newest = key.mtimeNs > key.ctimeNs ? key.mtimeNs : key.ctimeNs;
    if (newest > readStartedNs - this.racyWindowNs) return;
    const known = this.entries.get(path);
    if (known && this.lookup(path, key) === sha256) return;
    this.set(path, { ...key, sha256 });
    this.pending.push(
      JSON.stringify({ p: path, s: key.size, m: String(key.mtimeNs), c: String(key.ctimeNs), i: String(key.ino), d: String(key.dev), h: sha256 }),
    );
  }

  /** Appends what was recorded; called with the store's write lock held. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    await this.refresh();
    const lines = this.pending;
    this.pending = [];
    if (this.lines + lines.length > 2 * this.entries.size + 10_000 || this.entries.size > MAX_ENTRIES) {
      await this.compact();
      return;
    }
    const text = (this.readOffset === 0 ? HEADER : '') + lines.join('\n') + '\n';
    await fs.appendFile(this.file, text, 'utf8');
    this.lines += lines.length;
    const stat = await fs.stat(this.file, { bigint: true });
    // Our own append is already in memory; skip re-reading it.
    if (`${stat.dev}:${stat.ino}` === this.fileIdentity || this.fileIdentity === '') {
      this.fileIdentity = `${stat.dev}:${stat.ino}`;
      this.readOffset = Number(stat.size);
    }
  }

  private async compact(): Promise<void> {
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    const lines = [...this.entries].map(([p, e]) =>
      JSON.stringify({ p, s: e.size, m: String(e.mtimeNs), c: String(e.ctimeNs), i: String(e.ino), d: String(e.dev), h: e.sha256 }),
    );
    const text = HEADER + lines.join('\n') + (lines.length ? '\n' : '');
    // A lost cache only costs re-hashing, so no fsync.
    await writeFileAtomic(this.file, text, { fsync: false });
    const stat = await fs.stat(this.file, { bigint: true });
    this.fileIdentity = `${stat.dev}:${stat.ino}`;
    this.readOffset = Number(stat.size);
    this.lines = lines.length;
  }

  get size(): number {
    return this.entries.size;
  }
}
