/**
 * `createSyncServer`: the y-websocket-compatible sync server, standalone (cli.ts) or
 * embedded in the desktop app's main process as the home of a local-only workspace.
 */
import http from 'node:http';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { CloseCode } from './close-codes';
import { ConnectionCaps } from './connection-caps';
import type { SyncConnection } from './connection';
import { sendError } from './http-replies';
import { DEFAULT_LIMITS, type SyncLimits } from './limits';
import { jsonLogger, type Logger } from './logger';
import { SyncMetrics } from './metrics';
import { RoomRegistry } from './rooms';
import { healthzRoute } from './routes/healthz';
import { metricsRoute } from './routes/metrics';
import { syncSocketRoute } from './routes/sync-socket';
import { whoamiRoute } from './routes/whoami';
import type { Sequencer } from './sequencer';
import type { SyncStorage } from './storage/sync-storage';
import { TokenRegistry, type TokenEntry } from './tokens';

export interface SyncServerOptions {
  /** Interface to listen on; loopback by default. */
  host?: string;
  /** Port; 0 picks a free one. Default 4455. */
  port?: number;
  /** Where the SQLite database lives (`<dataDir>/sync.sqlite`); required unless `storage` is given. */
  dataDir?: string;
  /** A storage to use instead of SQLite in `dataDir` (e.g. `MemoryStorage`); the caller closes it. */
  storage?: SyncStorage;
  /** Fsync every commit (SQLite `synchronous=FULL`): survives power loss, not just a crashed process. */
  fsync?: boolean;
  tokens: readonly TokenEntry[];
  /** Runs after updates are applied to a room and after a room loads; see `Sequencer`. */
  sequencer?: Sequencer;
  logger?: Logger;
  limits?: Partial<SyncLimits>;
}

export interface SyncServer {
  /** `ws://host:port`: y-websocket's `serverUrl`. */
  readonly url: string;
  readonly port: number;
  /** Replaces the tokens; connections whose token is gone or changed are closed. */
  setTokens(tokens: readonly TokenEntry[]): void;
  /** Stops accepting, stores what is pending, closes every connection and the storage. */
  close(): Promise<void>;
}

export const DEFAULT_PORT = 4455;

export async function createSyncServer(options: SyncServerOptions): Promise<SyncServer> {
  const { host = '127.0.0.1', port = DEFAULT_PORT, sequencer } = options;
  const logger = options.logger ?? jsonLogger();
  const limits: SyncLimits = { ...DEFAULT_LIMITS, ...options.limits };
  let tokens = new TokenRegistry(options.tokens);
  if (!options.storage && !options.dataDir) throw new Error('createSyncServer needs a dataDir or a storage');
  const ownsStorage = !options.storage;
  // Imported only when needed: the desktop app embeds this server with FileStorage, and
  // Electron's main process cannot load better-sqlite3 built for Node.
  let storage: SyncStorage;
  if (options.storage) storage = options.storage;
  else {
    const { SqliteStorage, SQLITE_FILE } = await import('./storage/sqlite-storage');
    storage = new SqliteStorage(path.join(options.dataDir!, SQLITE_FILE), { fsync: options.fsync ?? false, logger });
  }

  const connections = new Set<SyncConnection>();
  let closing = false;
  const metrics = new SyncMetrics({ rooms: () => rooms.size, connections: () => connections.size, storedBytes: () => storage.storedBytes() });
  const rooms: RoomRegistry = new RoomRegistry({
    storage,
    limits,
    metrics,
    logger,
    ...(sequencer ? { sequencer } : {}),
    groupCommit: options.fsync ?? false,
    dropPeers: (room, code, reason) => {
      for (const c of [...connections]) if (c.room === room) c.close(code, reason, 'room_dropped');
    },
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes, perMessageDeflate: false, clientTracking: false });

  const routes: Record<string, (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void> = {
    '/healthz': healthzRoute({
      isClosing: () => closing,
      rooms: () => rooms.size,
      connections: () => connections.size,
      storage: ownsStorage ? 'sqlite' : storage.constructor.name,
      startedAt: Date.now(),
    }),
    '/metrics': metricsRoute(metrics),
    '/whoami': whoamiRoute(() => tokens),
  };
  const onSyncSocket = syncSocketRoute({ wss, caps: new ConnectionCaps(limits), tokens: () => tokens, isClosing: () => closing, connections, rooms, limits, metrics, logger });

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sync.invalid');
    const route = routes[url.pathname];
    if (!route) return sendError(res, 404, 'NOT_FOUND', `no route ${url.pathname}; WebSocket clients connect to /<room>`);
    if (req.method !== 'GET' && req.method !== 'HEAD' && !(req.method === 'OPTIONS' && url.pathname === '/whoami')) {
      return sendError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here`, { Allow: 'GET' });
    }
    route(req, res, url);
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {}); // a reset peer must not crash the server
    onSyncSocket(req, socket, head, new URL(req.url ?? '/', 'http://sync.invalid'));
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (e) => {
    metrics.close();
    if (ownsStorage) await storage.close();
    throw e;
  });
  const actualPort = (server.address() as { port: number }).port;
  const url = `ws://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;

  const ping = setInterval(() => {
    for (const c of connections) {
      if (c.awaitingPong) {
        c.ws.terminate();
        continue;
      }
      c.awaitingPong = true;
      c.ws.ping();
    }
  }, limits.pingIntervalMs);
  ping.unref();

  logger.info('sync server listening', { url, storage: ownsStorage ? path.join(options.dataDir!, 'sync.sqlite') : 'external', tokens: tokens.size });

  let closed: Promise<void> | null = null;
  return {
    url,
    port: actualPort,
    setTokens(next) {
      const registry = new TokenRegistry(next);
      tokens = registry;
      for (const c of [...connections]) {
        const grant = registry.lookup(c.token);
        if (!grant) c.close(CloseCode.TOKEN_REVOKED, 'token revoked', 'token_revoked');
        else if (grant.workspace !== c.grant.workspace) c.close(CloseCode.TOKEN_FORBIDDEN, 'token moved to another workspace', 'token_forbidden');
        else if (grant.role !== c.grant.role) c.close(CloseCode.SERVICE_RESTART, 'token role changed; reconnect', 'token_changed');
        else c.grant = grant;
      }
      logger.info('tokens replaced', { tokens: registry.size });
    },
    close() {
      closed ??= (async () => {
        closing = true;
        clearInterval(ping);
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        rooms.flush();
        const open = [...connections];
        const gone = open.map((c) => new Promise<void>((resolve) => c.ws.once('close', () => resolve())));
        for (const c of open) c.close(CloseCode.GOING_AWAY, 'server shutting down', 'shutdown');
        const timeout = new Promise<void>((resolve) => setTimeout(resolve, 2_000).unref());
        await Promise.race([Promise.all(gone), timeout]);
        for (const c of open) c.ws.terminate();
        server.closeAllConnections();
        rooms.close();
        if (ownsStorage) await storage.close();
        metrics.close();
        await stopped;
        logger.info('sync server stopped');
      })();
      return closed;
    },
  };
}
