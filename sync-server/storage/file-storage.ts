import fs from 'node:fs';
import path from 'node:path';
import { StorageLockedError } from './storage-locked-error';
import type { StoredRoom, StoredUpdate, SyncStorage } from './sync-storage';

/**
 * Rooms in plain files, for the sync server embedded in the desktop app, where a
 * native SQLite module built for Node cannot load in Electron's main process.
 * Per room: `<room>.snapshot` (compacted state) and `<room>.log` (length-prefixed
 * updates appended since). Appends are fdatasync'ed before `append` returns; a torn
 * last record after a crash is ignored on load (it was never acknowledged).
 * A pid lock file keeps a second process out of the same directory.
 */
export class FileStorage implements SyncStorage {
  private readonly logs = new Map<string, number>();
  private bytes = 0;
  private readonly lockFile: string;

  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
    this.lockFile = path.join(dir, 'rooms.lock');
    takeLock(this.lockFile);
    for (const name of fs.readdirSync(dir)) {
      if (name.endsWith('.tmp')) fs.rmSync(path.join(dir, name), { force: true });
      else if (name.endsWith('.snapshot')) this.bytes += fs.statSync(path.join(dir, name)).size;
      else if (name.endsWith('.log')) this.bytes += this.load(decodeURIComponent(name.slice(0, -'.log'.length))).log.reduce((n, u) => n + u.byteLength, 0);
    }
  }

  private file(room: string, kind: 'log' | 'snapshot'): string {
    return path.join(this.dir, `${encodeURIComponent(room)}.${kind}`);
  }

  load(room: string): StoredRoom {
    const snapshot = readOrNull(this.file(room, 'snapshot'));
    const raw = readOrNull(this.file(room, 'log'));
    const log: Uint8Array[] = [];
    if (raw) {
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      let at = 0;
      while (at + 4 <= raw.byteLength) {
        const length = view.getUint32(at);
        if (at + 4 + length > raw.byteLength) break;
        log.push(raw.subarray(at + 4, at + 4 + length));
        at += 4 + length;
      }
      if (at < raw.byteLength) fs.truncateSync(this.file(room, 'log'), at);
    }
    return { snapshot, log };
  }

  append(batch: readonly StoredUpdate[]): void {
    const byRoom = new Map<string, Buffer[]>();
    for (const { room, update } of batch) {
      const header = Buffer.alloc(4);
      header.writeUInt32BE(update.byteLength);
      const list = byRoom.get(room) ?? [];
      list.push(header, Buffer.from(update.buffer, update.byteOffset, update.byteLength));
      byRoom.set(room, list);
    }
    for (const [room, chunks] of byRoom) {
      const data = Buffer.concat(chunks);
      const fd = fs.openSync(this.file(room, 'log'), 'a');
      try {
        fs.writeSync(fd, data);
        fs.fdatasyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      this.bytes += data.byteLength - 4 * (chunks.length / 2);
    }
  }

  compact(room: string, snapshot: Uint8Array): void {
    const target = this.file(room, 'snapshot');
    const old = this.load(room);
    const before = (old.snapshot?.byteLength ?? 0) + old.log.reduce((n, u) => n + u.byteLength, 0);
    const temp = `${target}.${process.pid}.tmp`;
    const fd = fs.openSync(temp, 'w');
    try {
      fs.writeSync(fd, snapshot);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
    // A crash here leaves the old log beside a snapshot that already covers it: applying
    // both is harmless, Yjs ignores updates it already has.
    fs.rmSync(this.file(room, 'log'), { force: true });
    this.bytes += snapshot.byteLength - before;
  }

  storedBytes(): number {
    return this.bytes;
  }

  close(): void {
    fs.rmSync(this.lockFile, { force: true });
  }
}

function readOrNull(file: string): Uint8Array | null {
  try {
    return new Uint8Array(fs.readFileSync(file));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function takeLock(file: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(fs.readFileSync(file, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new StorageLockedError(`${path.dirname(file)} is in use by another Cairn process (pid ${pid}); close it or use another data directory`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new StorageLockedError(`could not lock ${file}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
