/**
 * Limits against hostile or runaway clients. In y-websocket one connection serves one
 * room, so "rooms per connection" becomes caps on connections per token and per
 * remote address; `maxRooms` caps the documents held in memory.
 */
export interface SyncLimits {
  /** Largest message a client may send (ws `maxPayload`). Bounds the largest offline batch a client can push in one sync. */
  maxMessageBytes: number;
  /** Per connection: messages per second, sustained, and the burst allowed on top. */
  messagesPerSecond: number;
  messageBurst: number;
  /** Per connection: bytes per second, sustained, and the burst (at least one maximal message). */
  bytesPerSecond: number;
  byteBurst: number;
  /** Open connections per token and per remote address. */
  maxConnectionsPerToken: number;
  maxConnectionsPerAddress: number;
  /** Rooms held in memory; past it idle rooms are unloaded first, then new rooms are refused (503). */
  maxRooms: number;
  /** A room with no connections is unloaded after this long. */
  roomIdleMs: number;
  /** A client whose unsent backlog passes this is too slow to serve and is disconnected. */
  maxBufferedBytes: number;
  /** Ping interval; a connection that missed the previous pong is terminated. */
  pingIntervalMs: number;
  /**
   * Compact a room's log when it passes either threshold. Both grow with the room's
   * snapshot (see `compactionDue`), so a big document is not rewritten every few hundred
   * small updates.
   */
  compactAfterUpdates: number;
  compactAfterBytes: number;
}

/**
 * Whether a room's stored log should be folded into its snapshot. A compaction rewrites
 * the whole snapshot (~77 MB for a 100,000-version project, ~0.3 s of the event loop), so
 * the thresholds scale with it: the log may reach a quarter of the snapshot's bytes, and
 * one update per 16 KiB of snapshot, before it is rewritten. Stored bytes stay under
 * 1.25× the state, a rewrite costs at most 4× the bytes logged since the last one, and
 * loading the log costs a fraction of loading the snapshot.
 */
export function compactionDue(room: { logCount: number; logBytes: number; snapshotBytes: number }, limits: Pick<SyncLimits, 'compactAfterUpdates' | 'compactAfterBytes'>): boolean {
  const updates = Math.max(limits.compactAfterUpdates, Math.floor(room.snapshotBytes / (16 * 1024)));
  const bytes = Math.max(limits.compactAfterBytes, room.snapshotBytes / 4);
  return room.logCount >= updates || room.logBytes >= bytes;
}

const MiB = 1024 * 1024;

// A client's first sync sends everything it has in one message: a project document of
// 100,000 versions is ~77 MB, so the message and byte-burst limits leave room for ~3×
// that (a bigger one could never sync: the client would resend it forever).
export const DEFAULT_LIMITS: SyncLimits = {
  maxMessageBytes: 256 * MiB,
  messagesPerSecond: 100,
  messageBurst: 500,
  bytesPerSecond: 8 * MiB,
  byteBurst: 256 * MiB,
  maxConnectionsPerToken: 256,
  maxConnectionsPerAddress: 1024,
  maxRooms: 500,
  roomIdleMs: 30_000,
  maxBufferedBytes: 256 * MiB,
  pingIntervalMs: 30_000,
  compactAfterUpdates: 500,
  compactAfterBytes: 4 * MiB,
};
