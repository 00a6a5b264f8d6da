/**
 * Where rooms' document state lives. A room is stored as an optional snapshot (its
 * compacted state) plus a log of updates appended since; applying the snapshot and
 * then the log to an empty Y.Doc rebuilds the room.
 *
 * Synchronous on purpose: both implementations are in-process, and a synchronous
 * append lets the server persist a batch and then forward it in one step, with no
 * window in which a half-stored batch could be observed. A networked store would
 * make `append` asynchronous; the room registry already defers every send until
 * its batch is flushed, so only the flush would need to await it.
 */
export interface StoredRoom {
  snapshot: Uint8Array | null;
  log: Uint8Array[];
}

export interface StoredUpdate {
  room: string;
  update: Uint8Array;
}

export interface SyncStorage {
  /** Everything stored for `room` (empty for a room never written). */
  load(room: string): StoredRoom;
  /** Appends every update of the batch in one atomic write; durable when it returns. */
  append(batch: readonly StoredUpdate[]): void;
  /**
   * Atomically replaces everything stored for `room` by `snapshot`, which must cover
   * the room's snapshot and every update logged so far.
   */
  compact(room: string, snapshot: Uint8Array): void;
  /** Bytes of document state stored (snapshots and logs), for metrics. */
  storedBytes(): number;
  close(): void | Promise<void>;
}
