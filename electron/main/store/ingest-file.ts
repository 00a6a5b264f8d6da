import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import type { BigIntStats } from 'node:fs';
import { HostError } from '../../shared/host-error';
import { CHUNK_BYTES, DIRECT_IO_ALIGNMENT, returnChunkBuffer, takeChunkBuffer } from './chunk-buffers';
import { errnoOf } from './fs-errors';
import { hashFile } from './hash-file';
import { sourceAccessError, type SourceFile } from './scan-sources';
import type { StatKey } from './stat-cache';

export interface IngestResult {
  sha256: string;
  /** The file's stat for the stat cache; undefined if even its ctime moved while it was read. */
  statKey: StatKey | undefined;
}

export interface IngestOptions {
  /**
   * Write with O_DIRECT: straight to the device, skipping the page cache. On Linux a
   * buffered copy then fsync costs the kernel's page-cache bookkeeping twice (dirtying,
   * then writeback); measured here it made a durable commit ~2x slower than direct writes.
   */
  direct: boolean;
  /**
   * Buffered writes only: start writing back every this many bytes, without waiting
   * (0: never). The kernel would otherwise hold a whole checkpoint dirty until the
   * final fsync, then flush it all while nothing else happens.
   */
  flushEveryBytes: number;
  signal?: AbortSignal;
  onBytes: (n: number) => void;
}

/** The store checks once per data directory whether O_DIRECT works there (tmpfs, for one, refuses it). */
export async function probeDirectIo(file: string): Promise<boolean> {
  const flag = fs.constants.O_DIRECT;
  if (!flag) return false;
  try {
    const handle = await fs.open(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | flag, 0o600);
    const buffer = takeChunkBuffer();
    try {
      await handle.write(buffer, 0, DIRECT_IO_ALIGNMENT, 0);
      return true;
    } finally {
      returnChunkBuffer(buffer);
      await handle.close();
    }
  } catch {
    return false;
  } finally {
    await fs.rm(file, { force: true });
  }
}

/**
 * One streaming pass over a source file: read a chunk, hash it, write it to `tempPath`,
 * repeat. The hash is of exactly the bytes written, never of a second read. Chunks of
 * zeros are skipped rather than written, so sparse files stay sparse. The caller makes
 * the copy durable (fsync) before it relies on it.
 *
 * The file must be the one that was scanned (same inode, size, mtime) and must not
 * change while it is read: SOURCE_CHANGED otherwise.
 */
export async function ingestFile(file: SourceFile, tempPath: string, { direct, flushEveryBytes, signal, onBytes }: IngestOptions): Promise<IngestResult> {
  let source: fs.FileHandle;
  try {
    // O_NOFOLLOW: a file swapped for a link after the scan is refused, not followed.
    // O_NONBLOCK: a file swapped for a FIFO must not block the open forever.
    source = await fs.open(file.absPath, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') throw changed(file, 'was deleted');
    throw sourceAccessError(error, file.absPath);
  }
  let target: fs.FileHandle | undefined;
  let reading: Promise<unknown> = Promise.resolve();
  let writing: Promise<unknown> = Promise.resolve();
  let flushing: Promise<unknown> = Promise.resolve();
  const buffers = [takeChunkBuffer(), takeChunkBuffer()];
  try {
    const before = await source.stat({ bigint: true });
    checkUnchanged(file, before);

    const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (direct ? fs.constants.O_DIRECT : 0);
    target = await fs.open(tempPath, flags, 0o444);
    const out = target;
    const hash = crypto.createHash('sha256');
    let position = 0;
    let flushedAt = 0;
    let current = 0;
    let next = handled(source.read(buffers[0]!, 0, CHUNK_BYTES, 0));
    reading = next;
    for (;;) {
      const { bytesRead } = await next;
      if (bytesRead === 0) break;
      signal?.throwIfAborted();
      const buffer = buffers[current]!;
      const chunk = buffer.subarray(0, bytesRead);
      // The other buffer is free once its write has finished: read ahead into it.
      await writing;
      current ^= 1;
      next = handled(source.read(buffers[current]!, 0, CHUNK_BYTES, position + bytesRead));
      reading = next;
      hash.update(chunk);
      if (!isAllZero(chunk)) {
        let length = bytesRead;
        if (direct && length % DIRECT_IO_ALIGNMENT !== 0) {
          // Direct writes are whole blocks: pad the last one with zeros; truncate cuts them off.
          const padded = Math.ceil(length / DIRECT_IO_ALIGNMENT) * DIRECT_IO_ALIGNMENT;
          buffer.fill(0, length, padded);
          length = padded;
        }
        writing = handled(out.write(buffer, 0, length, position));
      }
      position += bytesRead;
      onBytes(bytesRead);
      if (!direct && flushEveryBytes > 0 && position - flushedAt >= flushEveryBytes) {
        // One flush in flight per file, chained after the write it must cover.
        flushedAt = position;
        const written = writing;
        flushing = handled(Promise.all([flushing, written]).then(() => out.datasync()));
      }
    }
    await writing;
    await flushing;
    const after = await source.stat({ bigint: true });
    if (position !== file.size || Number(after.size) !== file.size || after.mtimeNs !== before.mtimeNs) {
      throw changed(file, 'changed size or modification time while Cairn was reading it');
    }
    // Sets the exact size: after skipped trailing zeros, and after padded direct writes.
    await target.truncate(position);
    const statKey = after.ctimeNs === before.ctimeNs ? keyOf(before) : undefined;
    return { sha256: hash.digest('hex'), statKey };
  } finally {
    // Never leave a read or write in flight (or its rejection unhandled) behind a failure.
    await Promise.allSettled([reading, writing, flushing]);
    buffers.forEach(returnChunkBuffer);
    await target?.close();
    await source.close();
  }
}

/**
 * Reads, writes and flushes run ahead of the loop that awaits them; one failing
 * before it is awaited must not count as an unhandled rejection (awaiting it later
 * still throws).
 */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

/**
 * Where the store can clone (btrfs, XFS, APFS) and the source is on the same file
 * system: a copy-on-write clone instead of a copy, so no byte is written, then the
 * clone (which nobody else can change) is what gets hashed. Returns undefined when the
 * file system refuses the clone, and the caller copies instead.
 */
export async function cloneAndHash(file: SourceFile, tempPath: string, { signal, onBytes }: Pick<IngestOptions, 'signal' | 'onBytes'>): Promise<IngestResult | undefined> {
  const before = await fs.lstat(file.absPath, { bigint: true }).catch((error: unknown) => {
    throw errnoOf(error) === 'ENOENT' ? changed(file, 'was deleted') : sourceAccessError(error, file.absPath);
  });
  checkUnchanged(file, before);
  try {
    await fs.copyFile(file.absPath, tempPath, fs.constants.COPYFILE_EXCL | fs.constants.COPYFILE_FICLONE_FORCE);
  } catch (error) {
    await fs.rm(tempPath, { force: true });
    if (errnoOf(error) === 'ENOENT') throw changed(file, 'was deleted');
    if (errnoOf(error) === 'EACCES' || errnoOf(error) === 'EPERM') throw sourceAccessError(error, file.absPath);
    return undefined;
  }
  const { sha256, size } = await hashFile(tempPath, { signal, onBytes });
  // copyFile follows links: the lstat after proves it cloned the file that was scanned, unchanged.
  const after = await fs.lstat(file.absPath, { bigint: true }).catch(() => undefined);
  if (!after || size !== file.size) throw changed(file, 'changed size or modification time while Cairn was reading it');
  checkUnchanged(file, after);
  await fs.chmod(tempPath, 0o444);
  return { sha256, statKey: after.ctimeNs === before.ctimeNs ? keyOf(before) : undefined };
}

function checkUnchanged(file: SourceFile, stat: BigIntStats): void {
  if (stat.isSymbolicLink()) throw new HostError('SOURCE_SYMLINK', `${file.absPath} is a symbolic link; Cairn does not follow links (copy the target in instead)`);
  if (!stat.isFile()) throw changed(file, 'is no longer a regular file');
  if (stat.ino !== file.ino || stat.dev !== file.dev) throw changed(file, 'was replaced by another file');
  if (Number(stat.size) !== file.size || stat.mtimeNs !== file.mtimeNs) throw changed(file, 'was modified');
}

function keyOf(stat: BigIntStats): StatKey {
  return { size: Number(stat.size), mtimeNs: stat.mtimeNs, ctimeNs: stat.ctimeNs, ino: stat.ino, dev: stat.dev };
}

function changed(file: SourceFile, what: string): HostError {
  return new HostError('SOURCE_CHANGED', `${file.absPath} ${what} during the commit; commit again once it is no longer being written`);
}

const ZERO = Buffer.alloc(64 * 1024);

function isAllZero(chunk: Buffer): boolean {
  // Exits at the first non-zero byte, so incompressible data costs almost nothing here.
  for (let offset = 0; offset < chunk.length; offset += ZERO.length) {
    const end = Math.min(offset + ZERO.length, chunk.length);
    if (ZERO.compare(chunk, offset, end, 0, end - offset) !== 0) return false;
  }
  return true;
}
