/**
 * One room: a Y.Doc with its awareness and connected peers. Updates are applied to the
 * doc at once but only leave the server after they are durable: everything derived
 * from the doc (broadcasts, sync replies, the state vector) waits for the next flush.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Logger } from './logger';
import { encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate, type AwarenessEntry } from './protocol';
import type { Sequencer } from './sequencer';
import type { StoredRoom } from './storage/sync-storage';

/** What a room needs from a connection. */
export interface RoomPeer {
  /** Its token's stable id: connections of one token may take over each other's presence. */
  readonly identity: string;
  send(message: Uint8Array): void;
  /** Awareness client ids this peer announced; removed when it leaves. */
  readonly awarenessIds: Set<number>;
}

/** Updates the doc emitted since the last flush, with who caused them. */
export interface PendingUpdate {
  update: Uint8Array;
  origin: 'client' | 'sequencer' | 'load';
  /** The connection whose update this is; it gets its echo last. */
  peer: RoomPeer | null;
}

/** The encoded state a client with an empty doc receives: one full step 2 plus the updates since. */
interface StateCache {
  step2: Uint8Array;
  tail: Uint8Array[];
  tailBytes: number;
}

const CACHE_TAIL_MAX_MESSAGES = 256;
const CACHE_TAIL_MAX_BYTES = 1024 * 1024;
const EMPTY_STATE_VECTOR_BYTE = 0;

export class Room {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly peers = new Set<RoomPeer>();
  /** Stored log since the last snapshot, for the compaction thresholds. */
  logCount = 0;
  logBytes = 0;
  /** Size of the stored snapshot the log follows (0 before the first compaction). */
  snapshotBytes = 0;
  idleTimer: NodeJS.Timeout | null = null;

  private pending: PendingUpdate[] = [];
  private afterFlush: Array<() => void> = [];
  private needsSequencing = false;
  private currentOrigin: PendingUpdate['origin'] = 'client';
  private cache: StateCache | null = null;
  /** Presence client id → the token identity that first announced it. */
  private readonly presenceOwners = new Map<number, string>();

  constructor(
    readonly name: string,
    private readonly sequencer: Sequencer | undefined,
    private readonly log: Logger,
  ) {
    this.awareness.setLocalState(null);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      const peer = this.peers.has(origin as RoomPeer) ? (origin as RoomPeer) : null;
      this.pending.push({ update, origin: this.currentOrigin, peer });
      if (this.currentOrigin === 'client') this.needsSequencing = true;
    });
    this.awareness.on('update', ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      const peer = this.peers.has(origin as RoomPeer) ? (origin as RoomPeer) : null;
      if (peer) {
        for (const id of added) peer.awarenessIds.add(id);
        for (const id of removed) peer.awarenessIds.delete(id);
      }
      const changed = [...added, ...updated, ...removed];
      const message = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
      for (const other of this.peers) if (other !== peer) other.send(message);
    });
  }

  /** Rebuilds the doc from storage; the registry then runs the sequencer on it. */
  load(stored: StoredRoom): void {
    this.currentOrigin = 'load';
    this.doc.transact(() => {
      if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot);
      for (const update of stored.log) Y.applyUpdate(this.doc, update);
    });
    this.pending = []; // already stored
    this.currentOrigin = 'client';
    this.logCount = stored.log.length;
    this.logBytes = stored.log.reduce((n, u) => n + u.byteLength, 0);
    this.snapshotBytes = stored.snapshot?.byteLength ?? 0;
    // A client with an empty doc can be served the stored bytes as they are.
    if (stored.snapshot && stored.log.length <= CACHE_TAIL_MAX_MESSAGES && this.logBytes <= CACHE_TAIL_MAX_BYTES) {
      this.cache = { step2: encodeSyncStep2(stored.snapshot), tail: stored.log.map(encodeUpdate), tailBytes: this.logBytes };
    }
    this.needsSequencing = true;
  }

  /** Applies a client's update (already checked to be well-formed). */
  applyClientUpdate(update: Uint8Array, origin: RoomPeer): boolean {
    const before = this.pending.length;
    Y.applyUpdate(this.doc, update, origin);
    return this.pending.length > before;
  }

  /**
   * Applies a peer's presence update, unless it would change the presence of a client id
   * first announced by another token (spoofing a teammate, removing them, or squatting
   * their id while they are away): then it returns that id and changes nothing. Ids stay
   * bound to their token while the room is loaded. Stock clients echo every state they
   * receive; an echo changes nothing, so it passes. A reconnecting client takes its id
   * over from its stale connection, since both hold the same token.
   */
  applyAwareness(update: Uint8Array, entries: readonly AwarenessEntry[], origin: RoomPeer): number | null {
    const claimed: number[] = [];
    for (const { clientId, clock, state } of entries) {
      if (!this.wouldApply(clientId, clock, state)) continue;
      const owner = this.presenceOwners.get(clientId);
      if (owner !== undefined && owner !== origin.identity) return clientId;
      claimed.push(clientId);
    }
    for (const id of claimed) {
      this.presenceOwners.set(id, origin.identity);
      for (const other of this.peers) if (other !== origin) other.awarenessIds.delete(id);
    }
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, origin);
    return null;
  }

  /** y-protocols' rule: a newer clock, or a removal at the same clock of a state still held. */
  private wouldApply(clientId: number, clock: number, state: unknown): boolean {
    const current = this.awareness.meta.get(clientId)?.clock ?? 0;
    return current < clock || (current === clock && state === null && this.awareness.getStates().has(clientId));
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** Runs the sequencer if client updates arrived since it last ran. Its own updates never re-trigger it. */
  runSequencer(): void {
    if (!this.sequencer || !this.needsSequencing) return;
    this.needsSequencing = false;
    this.currentOrigin = 'sequencer';
    try {
      this.sequencer({ name: this.name, doc: this.doc });
    } finally {
      this.currentOrigin = 'client';
    }
  }

  /** The updates to store in this flush. */
  takePending(): PendingUpdate[] {
    const pending = this.pending;
    this.pending = [];
    return pending;
  }

  /** The batch is durable: forward it, then run the sends that waited for it. */
  flushed(batch: readonly PendingUpdate[]): void {
    for (const { update, peer: sender } of batch) {
      this.logCount++;
      this.logBytes += update.byteLength;
      const message = encodeUpdate(update);
      if (this.cache) {
        this.cache.tail.push(message);
        this.cache.tailBytes += message.byteLength;
        if (this.cache.tail.length > CACHE_TAIL_MAX_MESSAGES || this.cache.tailBytes > CACHE_TAIL_MAX_BYTES) this.cache = null;
      }
      // Everyone else first; the sender's echo (its acknowledgement) last.
      for (const peer of this.peers) if (peer !== sender) peer.send(message);
      if (sender && this.peers.has(sender)) sender.send(message);
    }
    const waiting = this.afterFlush;
    this.afterFlush = [];
    for (const send of waiting) send();
  }

  /** Runs `send` once nothing unflushed is in the doc (now, or after the next flush). */
  whenDurable(send: () => void): void {
    if (this.pending.length === 0) send();
    else this.afterFlush.push(send);
  }

  /** Sync step 1 from the server: our state vector. */
  syncStep1(): Uint8Array {
    return encodeSyncStep1(Y.encodeStateVector(this.doc));
  }

  /** The answer to a client's sync step 1: one step 2 message, maybe followed by updates. */
  answerSyncStep1(stateVector: Uint8Array): Uint8Array[] {
    if (stateVector.length === 1 && stateVector[0] === EMPTY_STATE_VECTOR_BYTE) {
      this.cache ??= { step2: encodeSyncStep2(Y.encodeStateAsUpdate(this.doc)), tail: [], tailBytes: 0 };
      return [this.cache.step2, ...this.cache.tail];
    }
    return [encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, stateVector))];
  }

  /** Every awareness state this room knows, for a new peer or a query. */
  awarenessStates(): Uint8Array | null {
    const ids = [...this.awareness.getStates().keys()];
    return ids.length === 0 ? null : encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids));
  }

  /** The full state as one update, for compaction. */
  encodeSnapshot(): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc);
  }

  /** The snapshot now replaces the stored log; it is also the cached answer for new clients. */
  compacted(snapshot: Uint8Array): void {
    this.cache = { step2: encodeSyncStep2(snapshot), tail: [], tailBytes: 0 };
    this.logCount = 0;
    this.logBytes = 0;
    this.snapshotBytes = snapshot.byteLength;
  }

  removePeer(peer: RoomPeer): void {
    if (!this.peers.delete(peer)) return;
    awarenessProtocol.removeAwarenessStates(this.awareness, [...peer.awarenessIds], null);
  }

  destroy(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.doc.destroy(); // also destroys the awareness (and its timer)
    this.cache = null;
    this.log.debug('room destroyed');
  }
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}
