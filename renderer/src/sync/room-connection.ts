import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebsocketProvider } from 'y-websocket';
import { DexieYProvider } from 'y-dexie';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { pendingOperations } from './pending-updates';
import type { RegistryDb } from './registry-db';

export type RoomStatus = 'offline' | 'connecting' | 'synced';

export interface Teammate {
  clientId: number;
  /** Stable for one app session, so a person is listed once. */
  sessionId: string;
  name: string;
  color: string;
  /** What they are looking at, e.g. `vision/resnet50:v3`. */
  viewing: string | null;
}

export interface RoomState {
  room: string;
  status: RoomStatus;
  /** Local operations the server has not confirmed yet. */
  pending: number;
  /** Whether the local IndexedDB copy has been read (the document is usable offline). */
  loaded: boolean;
  teammates: Teammate[];
  /** Set when the server ended the session on purpose (e.g. policy), with its reason. */
  closedReason: string | null;
}

/** Where a document syncs, and as whom. Not needed to open it: the local copy comes first. */
export interface Remote {
  /** The sync server's WebSocket URL; null keeps the document on this machine only. */
  serverUrl: string | null;
  token: string;
  user: { name: string; color: string; sessionId: string };
  WebSocketPolyfill?: typeof WebSocket;
}

export interface RoomOptions {
  db: RegistryDb;
  room: string;
  /** Connects as soon as the document is loaded; without it, `connect` does later. */
  remote?: Remote;
}

const MESSAGE_SYNC = 0;

/**
 * One registry document, kept in IndexedDB (y-dexie) and synced with the team's
 * server (y-websocket). Edits are written locally first, so they survive going
 * offline, quitting, or the server being down; the provider sends them on reconnect.
 */
export class RoomConnection {
  readonly doc: Y.Doc;
  private provider: WebsocketProvider | null = null;
  private remote: Remote | null = null;
  private serverVector: Map<number, number> | undefined;
  private readonly listeners = new Set<(state: RoomState) => void>();
  private state: RoomState;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  readonly whenLoaded: Promise<void>;

  private constructor(
    private readonly options: RoomOptions,
    doc: Y.Doc,
  ) {
    this.doc = doc;
    this.state = { room: options.room, status: 'offline', pending: 0, loaded: false, teammates: [], closedReason: null };
    const dexieProvider = DexieYProvider.load(doc);
    globalThis.performance?.mark?.(`cairn:idb-load-start:${options.room}`);
    // y-dexie listens to 'updateV2' to store local edits, and ignores the load it applies
    // itself; but any such listener makes Yjs encode the whole loaded document (~100 ms
    // for a 10k-version project). Nothing else touches the document until it is loaded,
    // so its listeners are set aside for the load and put back right after.
    const persisters = detachListeners(doc, 'updateV2');
    const savedServerState = options.db.serverState.get(options.room);
    this.whenLoaded = (async () => {
      try {
        await dexieProvider.whenLoaded;
      } finally {
        for (const listener of persisters) doc.on('updateV2', listener);
      }
      globalThis.performance?.mark?.(`cairn:idb-loaded:${options.room}`);
      const saved = await savedServerState;
      if (saved) this.serverVector = Y.decodeStateVector(saved.stateVector);
      this.update({ loaded: true });
      this.refreshPending();
    })();
    // afterTransaction, not 'update': an 'update' listener makes Yjs encode every
    // transaction, including the whole document when it loads from IndexedDB.
    doc.on('afterTransaction', this.onDocUpdate);
  }

  /** Opens (creating if needed) the room's document from IndexedDB, then connects if told where. */
  static async open(options: RoomOptions): Promise<RoomConnection> {
    globalThis.performance?.mark?.(`cairn:room-open:${options.room}`);
    let row = await options.db.rooms.get(options.room);
    if (!row) {
      await options.db.rooms.put({ room: options.room } as never);
      row = (await options.db.rooms.get(options.room))!;
    }
    const connection = new RoomConnection(options, row.doc);
    await connection.whenLoaded;
    if (options.remote) connection.connect(options.remote);
    return connection;
  }

  /** Whether `connect` has been called (the room syncs, or is trying to). */
  get connected(): boolean {
    return this.remote !== null;
  }

  get current(): RoomState {
    return this.state;
  }

  subscribe(listener: (state: RoomState) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Tells teammates what this user is looking at. */
  setViewing(viewing: string | null): void {
    this.provider?.awareness.setLocalStateField('viewing', viewing);
  }

  /** Starts syncing with `remote` (once: a different server or token is a different session). */
  connect(remote: Remote): void {
    if (this.remote) throw new Error(`${this.options.room} is already connected`);
    this.remote = remote;
    this.startProvider();
  }

  private startProvider(): void {
    const { serverUrl, token, WebSocketPolyfill } = this.remote ?? { serverUrl: null };
    if (!serverUrl) return;
    const provider = new WebsocketProvider(serverUrl, this.options.room, this.doc, {
      params: { token: token! },
      // No BroadcastChannel: on every connect it posts the whole document (an encode of all
      // of it: ~300 ms for a 10k-version project) to other tabs, which already share it
      // through IndexedDB (y-dexie) and the server.
      disableBc: true,
      maxBackoffTime: 5000,
      ...(WebSocketPolyfill ? { WebSocketPolyfill } : {}),
    });
    // What the server has stored, learned from what it sends: its state vector (sync
    // step 1, on connect) and every update it forwards or echoes back, which it only
    // does once the update is durable. Then the stock handler processes the message.
    const handleSync = provider.messageHandlers[MESSAGE_SYNC]!;
    provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, p, emitSynced, type) => {
      const peek = decoding.clone(decoder);
      const kind = decoding.readVarUint(peek);
      if (kind === syncProtocol.messageYjsSyncStep1) {
        this.learnServerState(Y.decodeStateVector(decoding.readVarUint8Array(peek)));
      } else if (kind === syncProtocol.messageYjsSyncStep2 || kind === syncProtocol.messageYjsUpdate) {
        this.learnServerState(Y.parseUpdateMeta(decoding.readVarUint8Array(peek)).to);
      }
      handleSync(encoder, decoder, p, emitSynced, type);
    };
    provider.awareness.setLocalStateField('user', this.remote!.user);
    provider.on('status', ({ status }) => {
      this.update({ status: status === 'connected' ? (provider.synced ? 'synced' : 'connecting') : status === 'connecting' ? 'connecting' : 'offline' });
    });
    provider.on('sync', (synced: boolean) => this.update({ status: synced ? 'synced' : provider.wsconnected ? 'connecting' : 'offline' }));
    provider.on('closed', (event: { code: number; reason: string }) => this.update({ status: 'offline', closedReason: event.reason || `closed (${event.code})` }));
    provider.awareness.on('change', () => this.update({ teammates: this.readTeammates(provider) }));
    this.provider = provider;
    this.update({ status: 'connecting' });
  }

  /** Stops syncing (the document stays usable and keeps saving locally). */
  goOffline(): void {
    this.provider?.disconnect();
    this.update({ status: 'offline' });
  }

  goOnline(): void {
    if (this.provider) this.provider.connect();
    else this.startProvider();
  }

  async close(): Promise<void> {
    clearTimeout(this.saveTimer);
    await this.flushServerVector();
    this.doc.off('afterTransaction', this.onDocUpdate);
    this.provider?.destroy();
    this.provider = null;
    DexieYProvider.release(this.doc);
    this.listeners.clear();
  }

  private readonly onDocUpdate = () => this.refreshPending();

  private learnServerState(vector: Map<number, number>): void {
    const merged = new Map(this.serverVector ?? []);
    let changed = false;
    for (const [client, clock] of vector) {
      if (clock > (merged.get(client) ?? 0)) {
        merged.set(client, clock);
        changed = true;
      }
    }
    if (!changed && this.serverVector) return;
    this.serverVector = merged;
    this.refreshPending();
    this.saveServerVector();
  }

  private refreshPending(): void {
    const pending = pendingOperations(Y.decodeStateVector(Y.encodeStateVector(this.doc)), this.serverVector);
    if (pending !== this.state.pending) this.update({ pending });
  }

  private readTeammates(provider: WebsocketProvider): Teammate[] {
    const out: Teammate[] = [];
    for (const [clientId, state] of provider.awareness.getStates()) {
      if (clientId === this.doc.clientID) continue;
      const user = (state as { user?: { name?: unknown; color?: unknown; sessionId?: unknown } }).user;
      if (!user || typeof user.name !== 'string') continue;
      if (user.sessionId === this.remote?.user.sessionId) continue;
      const viewing = (state as { viewing?: unknown }).viewing;
      out.push({
        clientId,
        sessionId: typeof user.sessionId === 'string' ? user.sessionId : String(clientId),
        name: user.name.slice(0, 80),
        color: typeof user.color === 'string' && /^#[0-9a-f]{6}$/i.test(user.color) ? user.color : '#888888',
        viewing: typeof viewing === 'string' ? viewing.slice(0, 300) : null,
      });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  private saveServerVector(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.flushServerVector(), 500);
  }

  private async flushServerVector(): Promise<void> {
    if (!this.serverVector) return;
    await this.options.db.serverState.put({ room: this.options.room, stateVector: encodeVector(this.serverVector) });
  }

  private update(patch: Partial<RoomState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }
}

function detachListeners(doc: Y.Doc, event: 'updateV2'): ((update: Uint8Array, origin: unknown, doc: Y.Doc, tr: Y.Transaction) => void)[] {
  const observers = (doc as unknown as { _observers: Map<string, Set<(update: Uint8Array, origin: unknown, doc: Y.Doc, tr: Y.Transaction) => void>> })._observers;
  const listeners = [...(observers.get(event) ?? [])];
  for (const listener of listeners) doc.off(event, listener);
  return listeners;
}

/** Encodes a state vector the way Yjs does (count, then client/clock pairs), for Y.decodeStateVector. */
function encodeVector(vector: Map<number, number>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, vector.size);
  for (const [client, clock] of vector) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, clock);
  }
  return encoding.toUint8Array(encoder);
}
