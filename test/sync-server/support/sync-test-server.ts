import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createSyncServer, type SyncServer, type SyncServerOptions } from '../../../sync-server/create-sync-server';
import { memoryLogger, type LogRecord } from '../../../sync-server/logger';
import { ALL_TOKENS } from './fixtures';

export interface TestServer {
  server: SyncServer;
  url: string;
  httpUrl: string;
  dataDir: string;
  logs: LogRecord[];
  /** Closes the server and starts a new one on the same data dir (and port, so providers reconnect). */
  restart(overrides?: Partial<SyncServerOptions>): Promise<void>;
  close(): Promise<void>;
}

export async function makeDataDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'cairn-sync-'));
}

/** The real server on 127.0.0.1, a free port, SQLite in a fresh data dir unless `storage` is given; logs captured. */
export async function startTestServer(options: Partial<SyncServerOptions> = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await makeDataDir());
  const { logger, records } = memoryLogger();
  const start = (port: number, extra: Partial<SyncServerOptions>) =>
    createSyncServer({ host: '127.0.0.1', port, dataDir, tokens: ALL_TOKENS, logger, ...options, ...extra });
  let server = await start(0, {});
  const port = server.port;
  const handle: TestServer = {
    server,
    url: server.url,
    httpUrl: `http://127.0.0.1:${port}`,
    dataDir,
    logs: records,
    async restart(overrides = {}) {
      await server.close();
      server = await start(port, overrides);
      handle.server = server;
    },
    async close() {
      await server.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
  return handle;
}
