/**
 * Rooms in one SQLite file (better-sqlite3), WAL journal.
 *
 * Durability: `synchronous=NORMAL` (the default here) writes each commit to the WAL
 * before `append` returns but fsyncs only at checkpoints, so a committed batch survives
 * the server process dying (crash, SIGKILL, OOM kill) but the last commits may roll back
 * on power loss or an OS crash; the file stays consistent either way. `fsync: true`
 * selects `synchronous=FULL`: every commit is fsynced, surviving power loss, at the
 * cost of one fsync per batch.
 *
 * Checkpoints (copying the WAL into the database, with its fsync) run on a worker thread
 * (`WalCheckpointer`), never inline in a commit on the event loop.
 *
 * A lock file (`<file>.lock`, a tiny SQLite database held in exclusive mode) makes a
 * second server pointed at the same data directory fail at start instead of serving a
 * diverging copy.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../logger';
import { StorageLockedError } from './storage-locked-error';
import type { StoredRoom, StoredUpdate, SyncStorage } from './sync-storage';
import { WalCheckpointer } from './wal-checkpointer';

export const SQLITE_FILE = 'sync.sqlite';
const SCHEMA_VERSION = 1;

export { StorageLockedError };

/** Holds `<file>.lock` exclusively for as long as it is open. */
function lockDataFile(file: string): Database.Database {
  const lock = new Database(`${file}.lock`, { timeout: 0 });
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE; COMMIT');
    return lock;
  } catch (e) {
    lock.close();
    if ((e as { code?: string }).code === 'SQLITE_BUSY') {
      throw new StorageLockedError(`${file} is in use by another sync server (one server per data directory)`);
    }
    throw e;
  }
}

export class SqliteStorage implements SyncStorage {
  private readonly lock: Database.Database;
  private readonly db: Database.Database;
  private readonly checkpointer: WalCheckpointer | null;
  private readonly insertUpdate: Database.Statement<[string, Uint8Array]>;
  private readonly selectSnapshot: Database.Statement<[string], { data: Buffer }>;
  private readonly selectLog: Database.Statement<[string], { data: Buffer }>;
  private readonly roomBytes: Database.Statement<[string, string], { bytes: number }>;
  private readonly upsertSnapshot: Database.Statement<[string, Uint8Array, number]>;
  private readonly deleteLog: Database.Statement<[string]>;
  private readonly appendBatch: (batch: readonly StoredUpdate[]) => void;
  /** Returns the bytes the room held before. */
  private readonly compactRoom: (room: string, snapshot: Uint8Array) => number;
  private bytes: number;

  constructor(readonly file: string, { fsync = false, logger }: { fsync?: boolean; logger?: Logger } = {}) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.lock = lockDataFile(file);
    this.db = new Database(file, { timeout: 1000 });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${fsync ? 'FULL' : 'NORMAL'}`);
    this.migrate();
    let checkpointer: WalCheckpointer | null = null;
    try {
      checkpointer = WalCheckpointer.start(file, {
        onError: (message) => {
          // Fall back to SQLite's inline checkpoints rather than let the WAL grow.
          if (this.db.open) this.db.pragma('wal_autocheckpoint = 1000');
          logger?.warn('WAL checkpointer failed; checkpointing inline', { err: message });
        },
      });
      this.db.pragma('wal_autocheckpoint = 0');
    } catch (e) {
      logger?.warn('WAL checkpointer unavailable; checkpointing inline', { err: e });
    }
    this.checkpointer = checkpointer;
    this.insertUpdate = this.db.prepare('INSERT INTO updates (room, data) VALUES (?, ?)');
    this.selectSnapshot = this.db.prepare('SELECT data FROM snapshots WHERE room = ?');
    this.selectLog = this.db.prepare('SELECT data FROM updates WHERE room = ? ORDER BY id');
    this.roomBytes = this.db.prepare(
      'SELECT (SELECT coalesce(sum(length(data)), 0) FROM updates WHERE room = ?) + (SELECT coalesce(sum(length(data)), 0) FROM snapshots WHERE room = ?) AS bytes',
    );
    this.upsertSnapshot = this.db.prepare(
      'INSERT INTO snapshots (room, data, compacted_at) VALUES (?, ?, ?) ON CONFLICT (room) DO UPDATE SET data = excluded.data, compacted_at = excluded.compacted_at',
    );
    this.deleteLog = this.db.prepare('DELETE FROM updates WHERE room = ?');
    this.appendBatch = this.db.transaction((batch: readonly StoredUpdate[]) => {
      for (const { room, update } of batch) this.insertUpdate.run(room, update);
    });
    this.compactRoom = this.db.transaction((room: string, snapshot: Uint8Array): number => {
      const before = this.roomBytes.get(room, room)!.bytes;
      this.upsertSnapshot.run(room, snapshot, Date.now());
      this.deleteLog.run(room);
      return before;
    });
    this.bytes = (
      this.db
        .prepare('SELECT (SELECT coalesce(sum(length(data)), 0) FROM updates) + (SELECT coalesce(sum(length(data)), 0) FROM snapshots) AS bytes')
        .get() as { bytes: number }
    ).bytes;
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw new Error(`${this.file} was written by a newer sync server (schema ${version} > ${SCHEMA_VERSION})`);
    if (version === SCHEMA_VERSION) return;
    this.db.exec(`
      CREATE TABLE snapshots (room TEXT PRIMARY KEY, data BLOB NOT NULL, compacted_at INTEGER NOT NULL);
      CREATE TABLE updates (id INTEGER PRIMARY KEY, room TEXT NOT NULL, data BLOB NOT NULL);
      CREATE INDEX updates_by_room ON updates (room, id);
      PRAGMA user_version = ${SCHEMA_VERSION};
    `);
  }

  load(room: string): StoredRoom {
    const snapshot = this.selectSnapshot.get(room)?.data ?? null;
    const log = this.selectLog.all(room).map((row) => toBytes(row.data));
    return { snapshot: snapshot && toBytes(snapshot), log };
  }

  append(batch: readonly StoredUpdate[]): void {
    if (batch.length === 0) return;
    this.appendBatch(batch);
    let written = 0;
    for (const { update } of batch) written += update.byteLength;
    this.bytes += written;
    this.checkpointer?.wrote(written + batch.length * 64);
  }

  compact(room: string, snapshot: Uint8Array): void {
    const before = this.compactRoom(room, snapshot);
    this.bytes += snapshot.byteLength - before;
    this.checkpointer?.wrote(snapshot.byteLength);
  }

  storedBytes(): number {
    return this.bytes;
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    await this.checkpointer?.close();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
    this.lock.close();
  }
}

/** A Uint8Array view of a Buffer (Yjs accepts either; this keeps types plain). */
function toBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
