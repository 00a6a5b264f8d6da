import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileStorage } from '../../sync-server/storage/file-storage';
import { MemoryStorage } from '../../sync-server/storage/memory-storage';
import { SqliteStorage, SQLITE_FILE, StorageLockedError } from '../../sync-server/storage/sqlite-storage';
import type { SyncStorage } from '../../sync-server/storage/sync-storage';
import { makeDataDir } from './support/sync-test-server';

const bytes = (...values: number[]) => Uint8Array.from(values);
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});
async function sqliteFile(): Promise<string> {
  const dir = await makeDataDir();
  dirs.push(dir);
  return path.join(dir, SQLITE_FILE);
}

const implementations: Array<[string, () => Promise<SyncStorage>]> = [
  ['MemoryStorage', async () => new MemoryStorage()],
  ['SqliteStorage', async () => new SqliteStorage(await sqliteFile())],
  ['FileStorage', async () => new FileStorage(path.dirname(await sqliteFile()))],
];

describe.each(implementations)('%s (the storage contract)', (_name, make) => {
  it('starts empty, appends per room in order, and counts bytes', async () => {
    const s = await make();
    expect(s.load('acme')).toEqual({ snapshot: null, log: [] });
    s.append([
      { room: 'acme', update: bytes(1, 2) },
      { room: 'acme/project/x', update: bytes(9) },
      { room: 'acme', update: bytes(3) },
    ]);
    s.append([]);
    expect(s.load('acme')).toEqual({ snapshot: null, log: [bytes(1, 2), bytes(3)] });
    expect(s.load('acme/project/x').log).toEqual([bytes(9)]);
    expect(s.storedBytes()).toBe(4);
    await s.close();
  });

  it('compacts: the snapshot replaces the room’s log, other rooms untouched', async () => {
    const s = await make();
    s.append([
      { room: 'a', update: bytes(1, 1, 1) },
      { room: 'a', update: bytes(2, 2) },
      { room: 'b', update: bytes(7) },
    ]);
    s.compact('a', bytes(5, 5));
    expect(s.load('a')).toEqual({ snapshot: bytes(5, 5), log: [] });
    s.append([{ room: 'a', update: bytes(6) }]);
    expect(s.load('a')).toEqual({ snapshot: bytes(5, 5), log: [bytes(6)] });
    s.compact('a', bytes(8));
    expect(s.load('a')).toEqual({ snapshot: bytes(8), log: [] });
    expect(s.load('b').log).toEqual([bytes(7)]);
    expect(s.storedBytes()).toBe(2);
    await s.close();
  });

  it('keeps what it stored when the caller mutates its buffers', async () => {
    const s = await make();
    const u = bytes(1, 2, 3);
    s.append([{ room: 'a', update: u }]);
    u[0] = 99;
    expect(s.load('a').log[0]).toEqual(bytes(1, 2, 3));
    await s.close();
  });
});

describe('SqliteStorage', () => {
  it('persists across reopen, in WAL mode', async () => {
    const file = await sqliteFile();
    const s = new SqliteStorage(file);
    s.append([{ room: 'a', update: bytes(1) }]);
    s.compact('b', bytes(2, 2));
    await s.close();
    const again = new SqliteStorage(file);
    expect(again.load('a').log).toEqual([bytes(1)]);
    expect(again.load('b').snapshot).toEqual(bytes(2, 2));
    expect(again.storedBytes()).toBe(3);
    await again.close();
    expect((await fs.readFile(file)).subarray(18, 20)).toEqual(Buffer.from([2, 2])); // file format: WAL
  });

  it('checkpoints off the event loop: the WAL stops growing while writes go on', async () => {
    const file = await sqliteFile();
    const s = new SqliteStorage(file);
    const MiB = 1024 * 1024;
    for (let i = 0; i < 32; i++) {
      s.append([{ room: 'a', update: new Uint8Array(MiB).fill(i) }]);
      await new Promise((r) => setTimeout(r, 40)); // the worker checkpoints meanwhile
    }
    // Without checkpoints (SQLite's own are off) the WAL would hold all 32 MiB. The
    // bound leaves room for a worker delayed by a busy machine.
    expect((await fs.stat(`${file}-wal`)).size).toBeLessThan(24 * MiB);
    expect(s.load('a').log).toHaveLength(32);
    await s.close();
  });

  it('refuses a second opener of the same file at once', async () => {
    const file = await sqliteFile();
    const first = new SqliteStorage(file);
    expect(() => new SqliteStorage(file)).toThrowError(StorageLockedError);
    await first.close();
    await new SqliteStorage(file).close();
  });
});

describe('FileStorage', () => {
  it('ignores and trims a torn last record, as left by a crash mid-append', async () => {
    const dir = path.dirname(await sqliteFile());
    const s = new FileStorage(dir);
    s.append([{ room: 'acme', update: bytes(1, 2, 3) }]);
    await s.close();
    const log = path.join(dir, `${encodeURIComponent('acme')}.log`);
    await fs.appendFile(log, Buffer.from([0, 0, 0, 9, 7, 7]));
    const again = new FileStorage(dir);
    expect(again.load('acme').log).toEqual([bytes(1, 2, 3)]);
    expect((await fs.stat(log)).size).toBe(7);
    again.append([{ room: 'acme', update: bytes(4) }]);
    expect(again.load('acme').log).toEqual([bytes(1, 2, 3), bytes(4)]);
    await again.close();
  });

  it('keeps a second user out of the same directory, and takes over a dead owner\'s lock', async () => {
    const dir = path.dirname(await sqliteFile());
    const first = new FileStorage(dir);
    expect(() => new FileStorage(dir)).toThrowError(StorageLockedError);
    await first.close();
    await fs.writeFile(path.join(dir, 'rooms.lock'), '999999999');
    const second = new FileStorage(dir);
    await second.close();
  });
});
