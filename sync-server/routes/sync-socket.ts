/**
 * The WebSocket route: `ws://host:port/<room>?token=…`, where `<room>` is `<workspace>`
 * or `<workspace>/project/<project>`. Everything is checked on the HTTP upgrade, before
 * a WebSocket exists, and refused with a plain HTTP status and a JSON error:
 *   401 missing or unknown token · 400 not a room name · 403 room of another workspace ·
 *   429 too many connections for this token or address · 503 room cap reached or shutting down.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { CloseCode } from '../close-codes';
import type { ConnectionCaps } from '../connection-caps';
import { SyncConnection, type ConnectionContext } from '../connection';
import { refuseUpgrade, requestToken } from '../http-replies';
import type { Logger } from '../logger';
import type { SyncMetrics } from '../metrics';
import { parseRoomName } from '../room-names';
import { RoomsFullError, type RoomRegistry } from '../rooms';
import type { TokenRegistry } from '../tokens';

export interface SyncSocketContext extends Omit<ConnectionContext, 'onClosed'> {
  wss: WebSocketServer;
  caps: ConnectionCaps;
  tokens: () => TokenRegistry;
  isClosing: () => boolean;
  connections: Set<SyncConnection>;
  metrics: SyncMetrics;
  logger: Logger;
  rooms: RoomRegistry;
}

export function syncSocketRoute(ctx: SyncSocketContext) {
  return (req: http.IncomingMessage, socket: Duplex, head: Buffer, url: URL): void => {
    const address = req.socket.remoteAddress ?? 'unknown';
    const refuse = (status: number, code: string, message: string, headers?: Record<string, string>) => {
      ctx.metrics.upgradesRefused.inc({ reason: code.toLowerCase() });
      ctx.logger.info('upgrade refused', { status, code, path: url.pathname, address });
      refuseUpgrade(socket, status, code, message, headers);
    };
    if (ctx.isClosing()) return refuse(503, 'SHUTTING_DOWN', 'the server is shutting down', { 'Retry-After': '5' });
    const token = requestToken(req, url);
    const grant = ctx.tokens().lookup(token);
    if (!grant || !token) return refuse(401, 'UNAUTHORIZED', 'missing or unknown token');
    const room = parseRoomName(url.pathname.slice(1));
    if (!room) return refuse(400, 'ROOM_INVALID', 'a room is <workspace> or <workspace>/project/<project>');
    if (room.workspace !== grant.workspace) return refuse(403, 'FORBIDDEN', `this token is not for workspace ${room.workspace}`);
    if (!ctx.rooms.get(room.room) && !ctx.rooms.hasRoomFor()) return refuse(503, 'ROOMS_FULL', 'too many documents are open; try again later', { 'Retry-After': '30' });
    const release = ctx.caps.acquire(grant.id, address);
    if (typeof release !== 'function') return refuse(429, 'TOO_MANY_CONNECTIONS', `too many connections for this ${release}`, { 'Retry-After': '10' });
    socket.once('close', release);

    ctx.wss.handleUpgrade(req, socket, head, (ws) => {
      let loaded;
      try {
        loaded = ctx.rooms.open(room.room);
      } catch (e) {
        if (e instanceof RoomsFullError) return ws.close(CloseCode.TRY_AGAIN_LATER, 'too many documents are open');
        ctx.logger.error('room failed to load', { room: room.room, err: e });
        return ws.close(CloseCode.INTERNAL_ERROR, 'room failed to load');
      }
      const connection = new SyncConnection(ws, loaded, grant, token, address, {
        ...ctx,
        onClosed: (c) => ctx.connections.delete(c),
      });
      ctx.connections.add(connection);
      ctx.metrics.connectionsAccepted.inc();
      connection.start();
    });
  };
}
