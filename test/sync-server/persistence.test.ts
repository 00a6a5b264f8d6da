import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../sync-server/close-codes';
import { encodeUpdate, parseClientMessage } from '../../sync-server/protocol';
import { MemoryStorage } from '../../sync-server/storage/memory-storage';
import { SqliteStorage, SQLITE_FILE } from '../../sync-server/storage/sqlite-storage';
import type { StoredUpdate } from '../../sync-server/storage/sync-storage';
import { connectClient, waitFor, type TestClient } from './support/clients';
import { PROJECT_ROOM, TOKENS } from './support/fixtures';
import { openRawSocket } from './support/raw-socket';
import { startTestServer, type TestServer } from './support/sync-test-server';

let t: TestServer;
const clients: TestClient[] = [];
const client = (token: string = TOKENS.ann.token) => {
  const c = connectClient(t.url, PROJECT_ROOM, token);
  clients.push(c);
  return c;
};
const destroyClients = () => {
  for (const c of clients.splice(0)) c.destroy();
};
afterEach(async () => {
  destroyClients();
  await t.close();
});

/** The doc a room's stored state rebuilds to. */
function rebuild(stored: { snapshot: Uint8Array | null; log: Uint8Array[] }): Y.Doc {
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.log) Y.applyUpdate(doc, u);
  return doc;
}

async function health(): Promise<{ rooms: number; connections: number }> {
  return (await (await fetch(`${t.httpUrl}/healthz`)).json()) as { rooms: number; connections: number };
}

describe('persistence', () => {
  it('keeps state across a restart on the same data dir (SQLite)', async () => {
    t = await startTestServer();
    const a = client();
    await a.synced();
    a.doc.getMap('versions').set('v1', { digest: 'aa' });
    for (let i = 0; i < 10; i++) a.doc.getArray('aliasMoves').push([{ alias: 'best', i }]);
    const b = client(TOKENS.bob.token);
    await waitFor('b to have everything', () => b.doc.getArray('aliasMoves').length === 10);
    destroyClients();
    await t.restart();
    const c = client();
    await c.synced();
    await waitFor('the restarted server to serve the state', () => c.doc.getArray('aliasMoves').length === 10);
    expect(c.doc.getMap('versions').toJSON()).toEqual({ v1: { digest: 'aa' } });
  });

  it.each([
    ['after each socket read', false],
    ['grouped per event-loop turn (--fsync)', true],
  ])('stores an update before any other client can see it: commits %s', async (_label, fsync) => {
    const storage = new MemoryStorage();
    t = await startTestServer({ storage, fsync });
    const a = client();
    const b = client(TOKENS.bob.token);
    await Promise.all([a.synced(), b.synced()]);
    const violations: string[] = [];
    b.doc.getArray<string>('items').observe((event) => {
      const stored = rebuild(storage.load(PROJECT_ROOM)).getArray<string>('items').toArray();
      for (const item of event.changes.delta.flatMap((d) => (d.insert as string[] | undefined) ?? [])) {
        if (!stored.includes(item)) violations.push(item);
      }
    });
    for (let i = 0; i < 50; i++) a.doc.getArray('items').push([`i${i}`]);
    await waitFor('b to receive all 50', () => b.doc.getArray('items').length === 50);
    expect(violations).toEqual([]);
  });

  it('echoes an update to its sender once it is stored: the sender’s acknowledgement', async () => {
    const storage = new MemoryStorage();
    t = await startTestServer({ storage });
    const raw = await openRawSocket(t.url, PROJECT_ROOM, TOKENS.ann.token);
    const doc = new Y.Doc();
    doc.getMap('versions').set('v1', { digest: 'aa' });
    raw.send(encodeUpdate(Y.encodeStateAsUpdate(doc)));
    const echoed = new Y.Doc();
    let storedWhenEchoed = false;
    await waitFor('the echo', () => {
      for (const m of raw.messages.splice(0)) {
        const parsed = parseClientMessage(m); // server messages share the client's framing
        if (parsed.type === 'sync-update') {
          storedWhenEchoed = rebuild(storage.load(PROJECT_ROOM)).getMap('versions').has('v1');
          Y.applyUpdate(echoed, parsed.update);
        }
      }
      return echoed.getMap('versions').has('v1');
    });
    expect(storedWhenEchoed).toBe(true);
    raw.ws.close();
  });

  it('forwards nothing that failed to store: the room is dropped, clients reconnect and resend', async () => {
    const storage = new (class extends MemoryStorage {
      failNext = false;
      override append(batch: readonly StoredUpdate[]): void {
        if (this.failNext) {
          this.failNext = false;
          throw Object.assign(new Error('disk full'), { code: 'SQLITE_FULL' });
        }
        super.append(batch);
      }
    })();
    t = await startTestServer({ storage });
    const a = client();
    const b = client(TOKENS.bob.token);
    await Promise.all([a.synced(), b.synced()]);
    const closes: number[] = [];
    b.provider.on('connection-close', (e) => closes.push(e?.code ?? -1));
    storage.failNext = true;
    a.doc.getMap('m').set('k', 'v');
    await waitFor('b to be disconnected', () => closes.length > 0);
    expect(closes[0]).toBe(CloseCode.INTERNAL_ERROR);
    // On reconnect, a's sync step 2 carries the change again; this time it is stored and forwarded.
    await waitFor('the change to arrive after the reconnect', () => b.doc.getMap('m').get('k') === 'v');
    expect(rebuild(storage.load(PROJECT_ROOM)).getMap('m').get('k')).toBe('v');
    expect(t.logs.some((r) => r.level === 'error' && r.msg.startsWith('storing updates failed'))).toBe(true);
  });

  it('compacts a long log into one snapshot with identical state, and keeps working after', async () => {
    const storage = new MemoryStorage();
    t = await startTestServer({ storage, limits: { compactAfterUpdates: 25 } });
    const a = client();
    const b = client(TOKENS.bob.token);
    await Promise.all([a.synced(), b.synced()]);
    for (let i = 0; i < 60; i++) {
      a.doc.getArray('moves').push([{ alias: 'best', i }]);
      if (i % 3 === 0) a.doc.getMap('versions').set(`v${i}`, { i });
      if (i % 10 === 9) a.doc.getMap('versions').delete(`v${i - 9}`);
    }
    await waitFor('b to receive everything', () => b.doc.getArray('moves').length === 60);
    const stored = storage.load(PROJECT_ROOM);
    expect(stored.snapshot).not.toBeNull();
    expect(stored.log.length).toBeLessThan(25);
    const metrics = await (await fetch(`${t.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^cairn_sync_compactions_total [1-9]\d*$/m);
    const rebuilt = rebuild(stored);
    expect(rebuilt.getArray('moves').toJSON()).toEqual(a.doc.getArray('moves').toJSON());
    expect(rebuilt.getMap('versions').toJSON()).toEqual(a.doc.getMap('versions').toJSON());
    // A client joining after compaction gets the same state.
    const late = client(TOKENS.cai.token);
    await waitFor('the late client to catch up', () => late.doc.getArray('moves').length === 60);
    expect(late.doc.getMap('versions').toJSON()).toEqual(a.doc.getMap('versions').toJSON());
  });

  it('compacts on SQLite: fewer bytes stored, same state after a restart', async () => {
    t = await startTestServer({ limits: { compactAfterUpdates: 40 } });
    const a = client();
    await a.synced();
    const b = client(TOKENS.bob.token);
    await b.synced();
    for (let i = 0; i < 100; i++) a.doc.getMap('counter').set('n', i); // overwrites: the log grows, the state does not
    // Forwarded means stored: once b has the last write, all 100 are in the database.
    await waitFor('the last write to be forwarded', () => b.doc.getMap('counter').get('n') === 99);
    expect(t.logs.some((r) => r.msg === 'room compacted')).toBe(true);
    destroyClients();
    await t.server.close();
    const storage = new SqliteStorage(`${t.dataDir}/${SQLITE_FILE}`);
    const stored = storage.load(PROJECT_ROOM);
    await storage.close();
    expect(stored.log.length).toBeLessThan(40);
    const total = (stored.snapshot?.byteLength ?? 0) + stored.log.reduce((n, u) => n + u.byteLength, 0);
    expect(total).toBeLessThan(100 * 20); // 100 separate updates of ~20+ bytes each, had they all been kept
    expect(rebuild(stored).getMap('counter').get('n')).toBe(99);
    await t.restart();
    const c = client();
    await waitFor('the state after restart', () => c.doc.getMap('counter').get('n') === 99);
  });

  it('unloads an idle room and reloads it intact when a client returns', async () => {
    t = await startTestServer({ limits: { roomIdleMs: 50 } });
    const a = client();
    await a.synced();
    a.doc.getMap('versions').set('v1', { digest: 'aa' });
    const echoed = client(TOKENS.bob.token);
    await waitFor('v1 to reach bob (so it is stored)', () => echoed.doc.getMap('versions').has('v1'));
    destroyClients();
    let h = await health();
    for (let i = 0; i < 100 && h.rooms !== 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      h = await health();
    }
    expect(h).toMatchObject({ rooms: 0, connections: 0 });
    expect(t.logs.some((r) => r.msg === 'room unloaded' && r.room === PROJECT_ROOM)).toBe(true);
    const back = client();
    await waitFor('the reloaded room to serve v1', () => back.doc.getMap('versions').has('v1'));
    expect((await health()).rooms).toBe(1);
    expect(t.logs.filter((r) => r.msg === 'room loaded' && r.room === PROJECT_ROOM)).toHaveLength(2);
  });
});
