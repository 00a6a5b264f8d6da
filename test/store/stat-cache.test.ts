import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StatCache, type StatKey } from '../../electron/main/store/stat-cache';
import { removeDir, sha256, tempDir } from './support';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await tempDir();
  file = path.join(dir, 'stat-cache.jsonl');
});
afterEach(() => removeDir(dir));

const SECOND = 1_000_000_000n;
const key = (over: Partial<StatKey> = {}): StatKey => ({ size: 10, mtimeNs: 100n * SECOND, ctimeNs: 100n * SECOND, ino: 7n, dev: 1n, ...over });
const H = sha256('x');

describe('the stat cache', () => {
  it('answers only for exactly the same path, size, mtime, ctime, inode and device', async () => {
    const cache = await StatCache.open(file);
    cache.record('/a', key(), H, 200n * SECOND);
    expect(cache.lookup('/a', key())).toBe(H);
    for (const changed of [{ size: 11 }, { mtimeNs: 101n * SECOND }, { ctimeNs: 101n * SECOND }, { ino: 8n }, { dev: 2n }]) {
      expect(cache.lookup('/a', key(changed))).toBeUndefined();
    }
    expect(cache.lookup('/b', key())).toBeUndefined();
  });

  it('does not record a file changed within the racy window before it was read', async () => {
    const cache = await StatCache.open(file, { racyWindowMs: 2000 });
    cache.record('/recent-mtime', key(), H, 101n * SECOND); // changed 1 s before the read
    cache.record('/recent-ctime', key({ ctimeNs: 199n * SECOND }), H, 200n * SECOND);
    cache.record('/old', key(), H, 103n * SECOND);
    expect(cache.lookup('/recent-mtime', key())).toBeUndefined();
    expect(cache.lookup('/recent-ctime', key({ ctimeNs: 199n * SECOND }))).toBeUndefined();
    expect(cache.lookup('/old', key())).toBe(H);
  });

  it('persists across opens and skips a torn last line', async () => {
    const a = await StatCache.open(file);
    a.record('/a', key(), H, 200n * SECOND);
    a.record('/b', key({ ino: 9n }), H, 200n * SECOND);
    await a.flush();
    await fs.appendFile(file, '{"p":"/c","s":1,"m":"1'); // a crash mid-append
    const b = await StatCache.open(file);
    expect(b.lookup('/a', key())).toBe(H);
    expect(b.lookup('/b', key({ ino: 9n }))).toBe(H);
    expect(b.size).toBe(2);
  });

  it('picks up what another process appended', async () => {
    const mine = await StatCache.open(file);
    const theirs = await StatCache.open(file);
    theirs.record('/theirs', key(), H, 200n * SECOND);
    await theirs.flush();
    expect(mine.lookup('/theirs', key())).toBeUndefined();
    await mine.refresh();
    expect(mine.lookup('/theirs', key())).toBe(H);
  });

  it('compacts a file made mostly of superseded lines', async () => {
    const cache = await StatCache.open(file);
    // 6 rounds of the same 5000 paths: 30000 lines written, compacted past 2 × 5000 + 10000.
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 5000; i++) cache.record(`/f${i}`, key({ mtimeNs: BigInt(round + 1) * SECOND }), H, 200n * SECOND);
      await cache.flush();
    }
    const lines = (await fs.readFile(file, 'utf8')).trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(10_001);
    const reopened = await StatCache.open(file);
    expect(reopened.lookup('/f0', key({ mtimeNs: 6n * SECOND }))).toBe(H);
    expect(reopened.lookup('/f0', key({ mtimeNs: 5n * SECOND }))).toBeUndefined();
    expect(reopened.size).toBe(5000);
  });
});
