import 'fake-indexeddb/auto';
import WebSocket from 'ws';
import { assignNumbers, Hlc, type Actor, type Role } from '../../renderer/src/registry';
import { openRegistryDb } from '../../renderer/src/sync/registry-db';
import { WorkspaceSync } from '../../renderer/src/sync/workspace-sync';
import { createSyncServer, type SyncServer } from '../../sync-server/create-sync-server';
import { silentLogger } from '../../sync-server/logger';
import { MemoryStorage } from '../../sync-server/storage/memory-storage';
import type { SyncStorage } from '../../sync-server/storage/sync-storage';

export const TOKENS = {
  alice: { token: 'alice-write-token-0123456789', workspace: 'acme', role: 'write' as const, name: 'alice' },
  bob: { token: 'bob-write-token-0123456789ab', workspace: 'acme', role: 'write' as const, name: 'bob' },
  carol: { token: 'carol-admin-token-0123456789', workspace: 'acme', role: 'admin' as const, name: 'carol' },
  rita: { token: 'rita-read-token-0123456789ab', workspace: 'acme', role: 'read' as const, name: 'rita' },
};

/** The real sync server on 127.0.0.1 with the registry's sequencer; storage survives restarts. */
export async function startServer(storage: SyncStorage = new MemoryStorage(), port = 0): Promise<{ server: SyncServer; storage: SyncStorage; url: string }> {
  const server = await createSyncServer({
    host: '127.0.0.1',
    port,
    storage,
    tokens: Object.values(TOKENS),
    sequencer: ({ doc }) => void assignNumbers(doc),
    logger: silentLogger,
  });
  return { server, storage, url: server.url.replace(/^http/, 'ws') };
}

/** One teammate's app: its own IndexedDB (by name), its own clock, the stock y-websocket provider. */
export async function openClient(who: keyof typeof TOKENS, url: string | null, dbName = `db-${who}`): Promise<{ sync: WorkspaceSync; actor: Actor }> {
  const t = TOKENS[who];
  const sync = await WorkspaceSync.open({
    db: openRegistryDb(dbName),
    workspace: 'acme',
    remote: {
      serverUrl: url,
      token: t.token,
      user: { name: t.name, color: '#336699', sessionId: `session-${who}-${dbName}` },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    },
  });
  return { sync, actor: { name: t.name, role: t.role as Role, clock: new Hlc() } };
}

/** Polls until `check` stops throwing (sync is asynchronous). */
export async function eventually(check: () => void, timeoutMs = 8000): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() - start > timeoutMs) throw error;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
