/**
 * One client connection: decodes its messages, enforces its role and rate limits,
 * and relays between it and its room. A bad message closes this connection only.
 */
import type { WebSocket } from 'ws';
import { CloseCode } from './close-codes';
import type { SyncLimits } from './limits';
import type { Logger } from './logger';
import type { SyncMetrics } from './metrics';
import { assertWellFormedUpdate, encodePermissionDenied, MalformedMessage, parseClientMessage } from './protocol';
import type { Room, RoomPeer } from './room';
import type { RoomRegistry } from './rooms';
import { TokenBucket } from './token-bucket';
import type { Grant } from './tokens';

/** An empty Yjs update (no structs, no deletions) is two zero bytes: a read client's step 2 usually is one. */
const EMPTY_UPDATE_BYTES = 2;

export interface ConnectionContext {
  rooms: RoomRegistry;
  limits: SyncLimits;
  metrics: SyncMetrics;
  logger: Logger;
  onClosed: (connection: SyncConnection) => void;
}

export class SyncConnection implements RoomPeer {
  readonly awarenessIds = new Set<number>();
  /** Set by the ping timer, cleared by each pong. */
  awaitingPong = false;
  private closed = false;
  private closeReason: string | null = null;
  private toldReadOnly = false;
  private readonly messages: TokenBucket;
  private readonly bytes: TokenBucket;
  private readonly log: Logger;

  get identity(): string {
    return this.grant.id;
  }

  constructor(
    readonly ws: WebSocket,
    readonly room: Room,
    public grant: Grant,
    /** Kept to re-check the grant when tokens are reloaded; never logged. */
    readonly token: string,
    readonly address: string,
    private readonly ctx: ConnectionContext,
  ) {
    const { limits } = ctx;
    this.messages = new TokenBucket(limits.messageBurst, limits.messagesPerSecond);
    this.bytes = new TokenBucket(Math.max(limits.byteBurst, limits.maxMessageBytes), limits.bytesPerSecond);
    this.log = ctx.logger.child({ room: room.name, user: grant.name, role: grant.role, address });
    ws.on('message', (data: Buffer, isBinary: boolean) => this.receive(data, isBinary));
    ws.on('pong', () => (this.awaitingPong = false));
    ws.on('error', (error: Error & { code?: string }) => {
      // ws closes the socket itself after a protocol error, e.g. 1009 for an oversized message.
      this.closeReason ??= error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'message_too_big' : 'socket_error';
      this.log.warn('connection error', { reason: this.closeReason, err: error });
    });
    ws.on('close', (code: number) => this.cleanUp(code));
  }

  /** Greets the client: our sync step 1 and who else is here. */
  start(): void {
    this.ctx.rooms.join(this.room, this);
    this.room.whenDurable(() => this.send(this.room.syncStep1()));
    const awareness = this.room.awarenessStates();
    if (awareness) this.send(awareness);
    this.log.info('connected');
  }

  send(message: Uint8Array): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > this.ctx.limits.maxBufferedBytes) {
      this.close(CloseCode.TRY_AGAIN_LATER, 'too slow to read', 'slow_consumer');
      return;
    }
    this.ws.send(message, { binary: true });
  }

  close(code: number, reason: string, metricReason: string): void {
    if (this.closed) return;
    this.closeReason = metricReason;
    // Shutdown and token changes are routine; anything else is the client misbehaving or a fault.
    const routine = code === CloseCode.GOING_AWAY || code === CloseCode.SERVICE_RESTART || code === CloseCode.TOKEN_REVOKED || code === CloseCode.TOKEN_FORBIDDEN;
    (routine ? this.log.info : this.log.warn)('closing connection', { code, reason });
    this.cleanUp(code);
    this.ws.close(code, reason);
    // A peer that never completes the closing handshake does not keep the socket.
    setTimeout(() => this.ws.terminate(), 5_000).unref();
  }

  private receive(data: Buffer, isBinary: boolean): void {
    if (this.closed) return;
    const { metrics } = this.ctx;
    metrics.bytesReceived.inc({}, data.byteLength);
    if (!isBinary) return this.close(CloseCode.UNSUPPORTED_DATA, 'text frames are not part of the protocol', 'text_frame');
    if (!this.messages.take(1) || !this.bytes.take(data.byteLength)) {
      return this.close(CloseCode.TRY_AGAIN_LATER, 'rate limit exceeded', 'rate_limited');
    }
    try {
      this.handle(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    } catch (e) {
      if (e instanceof MalformedMessage) return this.close(CloseCode.INVALID_PAYLOAD, `malformed message: ${e.message}`.slice(0, 120), 'malformed');
      this.log.error('message failed', { err: e });
      this.close(CloseCode.INTERNAL_ERROR, 'internal error', 'internal_error');
    }
  }

  private handle(data: Uint8Array): void {
    const { metrics, rooms } = this.ctx;
    const message = parseClientMessage(data);
    metrics.messagesReceived.inc({ type: message.type });
    switch (message.type) {
      case 'sync-step1':
        this.room.whenDurable(() => {
          for (const reply of this.room.answerSyncStep1(message.stateVector)) this.send(reply);
        });
        return;
      case 'sync-step2':
      case 'sync-update':
        metrics.updatesReceived.inc();
        if (this.grant.role === 'read') return this.refuseUpdate(message.update);
        assertWellFormedUpdate(message.update);
        try {
          rooms.applyUpdate(this.room, message.update, this);
        } catch (e) {
          this.log.warn('update failed to apply', { err: e });
          this.close(CloseCode.INVALID_PAYLOAD, 'update failed to apply', 'malformed');
          rooms.discard(this.room, 'a client sent an update that failed to apply');
        }
        return;
      case 'awareness': {
        // Presence is ephemeral and never stored, so read clients may announce it too.
        const foreign = this.room.applyAwareness(message.update, message.clients, this);
        if (foreign !== null) {
          this.ctx.metrics.presenceRefused.inc();
          this.log.warn('refused a presence update for a client another token announced', { clientId: foreign });
        }
        return;
      }
      case 'query-awareness': {
        const states = this.room.awarenessStates();
        if (states) this.send(states);
        return;
      }
      case 'auth':
        return;
    }
  }

  /** A read token's update is dropped; the client is told once, if it actually tried to change something. */
  private refuseUpdate(update: Uint8Array): void {
    this.ctx.metrics.updatesRefused.inc({ reason: 'read_only' });
    if (update.byteLength <= EMPTY_UPDATE_BYTES || this.toldReadOnly) return;
    this.toldReadOnly = true;
    this.log.info('refused an update from a read-only token');
    this.send(encodePermissionDenied('read-only token: your changes are not applied'));
  }

  private cleanUp(code: number): void {
    if (this.closed) return;
    this.closed = true;
    this.ctx.metrics.connectionsClosed.inc({ reason: this.closeReason ?? 'client_closed' });
    this.ctx.rooms.leave(this.room, this);
    this.ctx.onClosed(this);
    this.log.info('disconnected', { code });
  }
}
