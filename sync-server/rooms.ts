/**
 * The rooms held in memory: loading them from storage, batching their updates into one
 * durable write per event-loop turn, compacting their logs, and unloading idle ones.
 *
 * Flush order (the durability rule): run the sequencer on rooms that received client
 * updates → append every pending update of every room in one storage transaction →
 * only then forward them and answer the sync requests that waited.
 *
 * When: by default right after the messages of one socket read are applied (a
 * microtask), since a commit without fsync costs tens of microseconds and waiting for
 * more would only add latency. With `groupCommit` (every commit is an fsync) the flush
 * waits for the end of the event-loop turn, so one fsync covers every message read in it.
 */
import { CloseCode } from './close-codes';
import type { Logger } from './logger';
import { compactionDue, type SyncLimits } from './limits';
import type { SyncMetrics } from './metrics';
import { Room, type PendingUpdate, type RoomPeer } from './room';
import type { Sequencer } from './sequencer';
import type { StoredUpdate, SyncStorage } from './storage/sync-storage';

export class RoomsFullError extends Error {
  readonly code = 'ROOMS_FULL';
}

export interface RoomRegistryOptions {
  storage: SyncStorage;
  limits: SyncLimits;
  metrics: SyncMetrics;
  logger: Logger;
  sequencer?: Sequencer;
  /** Batch a whole event-loop turn into one commit (worth it when every commit is an fsync). */
  groupCommit?: boolean;
  /** Closes every peer of a room that is dropped from memory without being stored. */
  dropPeers: (room: Room, code: number, reason: string) => void;
}

export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly dirty = new Set<Room>();
  private flushScheduled = false;

  constructor(private readonly options: RoomRegistryOptions) {}

  get size(): number {
    return this.rooms.size;
  }

  get(name: string): Room | undefined {
    return this.rooms.get(name);
  }

  /** Whether a room not yet loaded could be opened now (under the cap, or an idle room to evict). */
  hasRoomFor(): boolean {
    if (this.rooms.size < this.options.limits.maxRooms) return true;
    for (const room of this.rooms.values()) if (room.peers.size === 0) return true;
    return false;
  }

  /** The loaded room, loading it if needed; throws `RoomsFullError` at the cap. */
  open(name: string): Room {
    const existing = this.rooms.get(name);
    if (existing) return existing;
    if (this.rooms.size >= this.options.limits.maxRooms) this.evictIdle();
    if (this.rooms.size >= this.options.limits.maxRooms) throw new RoomsFullError(`${this.rooms.size} rooms loaded (limit ${this.options.limits.maxRooms})`);
    const { storage, logger, metrics, sequencer } = this.options;
    const started = performance.now();
    const room = new Room(name, sequencer, logger.child({ room: name }));
    try {
      room.load(storage.load(name));
      this.sequence(room);
    } catch (e) {
      room.destroy();
      throw e;
    }
    this.rooms.set(name, room);
    metrics.roomsLoaded.inc();
    logger.info('room loaded', { room: name, ms: Math.round(performance.now() - started), log: room.logCount });
    if (room.hasPending) this.markDirty(room);
    else if (this.shouldCompact(room)) this.compact(room);
    return room;
  }

  join(room: Room, peer: RoomPeer): void {
    if (room.idleTimer) {
      clearTimeout(room.idleTimer);
      room.idleTimer = null;
    }
    room.peers.add(peer);
  }

  leave(room: Room, peer: RoomPeer): void {
    room.removePeer(peer);
    if (room.peers.size > 0 || this.rooms.get(room.name) !== room) return;
    room.idleTimer = setTimeout(() => this.unloadIfIdle(room), this.options.limits.roomIdleMs);
    room.idleTimer.unref();
  }

  /**
   * Applies a client update; it is stored and forwarded by the next flush. Throws if
   * Yjs fails to integrate it: the doc may then hold part of it, so the caller closes
   * the sender and `discard`s the room.
   */
  applyUpdate(room: Room, update: Uint8Array, origin: RoomPeer): boolean {
    const changed = room.applyClientUpdate(update, origin);
    if (changed) this.markDirty(room);
    return changed;
  }

  /**
   * Drops a room whose doc can no longer be trusted, with whatever it has not stored
   * yet. Its peers are asked to reconnect: they reload it from storage and resend, in
   * the sync handshake, anything of theirs it lacks. Nothing forwarded is lost, since
   * only stored updates are ever forwarded.
   */
  discard(room: Room, reason: string): void {
    if (this.rooms.get(room.name) !== room) return;
    this.options.logger.warn('room discarded; its clients reconnect and resync', { room: room.name, reason });
    this.drop(room, CloseCode.SERVICE_RESTART, reason);
  }

  private markDirty(room: Room): void {
    this.dirty.add(room);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    if (this.options.groupCommit) setImmediate(() => this.flush());
    else queueMicrotask(() => this.flush());
  }

  /** Stores every pending update in one transaction, then forwards them. Synchronous. */
  flush(): void {
    this.flushScheduled = false;
    if (this.dirty.size === 0) return;
    const { storage, metrics, logger } = this.options;
    const rooms = [...this.dirty];
    this.dirty.clear();
    const batches = new Map<Room, PendingUpdate[]>();
    const writes: StoredUpdate[] = [];
    for (const room of rooms) {
      this.sequence(room);
      const pending = room.takePending();
      batches.set(room, pending);
      for (const { update } of pending) writes.push({ room: room.name, update });
    }
    const writeStarted = performance.now();
    try {
      storage.append(writes);
      metrics.observeStorageWrite((performance.now() - writeStarted) / 1000);
    } catch (e) {
      metrics.storageErrors.inc();
      logger.error('storing updates failed; dropping the rooms so clients resend them', { rooms: rooms.map((r) => r.name), err: e });
      for (const room of rooms) this.drop(room, CloseCode.INTERNAL_ERROR, 'storage failure');
      return;
    }
    metrics.flushes.inc();
    for (const [room, pending] of batches) {
      for (const { origin } of pending) metrics.updatesApplied.inc({ origin: origin === 'sequencer' ? 'sequencer' : 'client' });
      room.flushed(pending);
      if (this.shouldCompact(room)) this.compact(room);
    }
  }

  /** Runs the sequencer if the room has client updates it has not seen; a failure does not hold the updates back. */
  private sequence(room: Room): void {
    try {
      room.runSequencer();
    } catch (e) {
      this.options.metrics.sequencerErrors.inc();
      this.options.logger.error('sequencer failed; the updates are stored without it', { room: room.name, err: e });
    }
  }

  private shouldCompact(room: Room): boolean {
    return compactionDue(room, this.options.limits);
  }

  /**
   * Re-encodes the room's doc into one snapshot that replaces its stored log. The doc is
   * exactly the stored state here (snapshot + log applied at load, then every update it
   * emitted, each stored before this runs), so the snapshot covers everything stored.
   */
  compact(room: Room): void {
    if (room.hasPending) return; // only between flushes
    const { storage, metrics, logger } = this.options;
    const started = performance.now();
    const updates = room.logCount;
    try {
      const snapshot = room.encodeSnapshot();
      storage.compact(room.name, snapshot);
      room.compacted(snapshot);
      metrics.compactions.inc();
      logger.info('room compacted', { room: room.name, updates, bytes: snapshot.byteLength, ms: Math.round(performance.now() - started) });
    } catch (e) {
      metrics.storageErrors.inc();
      logger.error('compaction failed; the log is kept', { room: room.name, err: e });
    }
  }

  private unloadIfIdle(room: Room): void {
    if (room.peers.size > 0 || this.rooms.get(room.name) !== room) return;
    if (room.hasPending) this.flush();
    this.rooms.delete(room.name);
    this.dirty.delete(room);
    room.destroy();
    this.options.metrics.roomsUnloaded.inc();
    this.options.logger.info('room unloaded', { room: room.name });
  }

  /** Unloads the longest-loaded room that nobody is connected to, if any. */
  private evictIdle(): void {
    for (const room of this.rooms.values()) {
      if (room.peers.size === 0) return this.unloadIfIdle(room);
    }
  }

  private drop(room: Room, code: number, reason: string): void {
    this.rooms.delete(room.name);
    this.dirty.delete(room);
    this.options.dropPeers(room, code, reason);
    room.destroy();
    this.options.metrics.roomsUnloaded.inc();
  }

  /** Flushes what is pending and unloads every room (shutdown). */
  close(): void {
    this.flush();
    for (const room of this.rooms.values()) room.destroy();
    this.rooms.clear();
  }
}
