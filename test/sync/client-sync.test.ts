import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { unwrap } from '../../renderer/src/registry';
import { openRegistryDb } from '../../renderer/src/sync/registry-db';
import { RoomConnection } from '../../renderer/src/sync/room-connection';
import { WorkspaceSync } from '../../renderer/src/sync/workspace-sync';
import { MemoryStorage } from '../../sync-server/storage/memory-storage';
import { commitOf } from '../registry/support';
import WebSocket from 'ws';
import { eventually, openClient, startServer, TOKENS } from './support';

const open: WorkspaceSync[] = [];
const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const s of servers.splice(0)) await s.close();
});

async function client(...args: Parameters<typeof openClient>) {
  const c = await openClient(...args);
  open.push(c.sync);
  return c;
}

describe('offline-first client sync against the real server', () => {
  it('three clients converge on versions, alias moves and links; awareness shows teammates', async () => {
    const { server, url } = await startServer();
    servers.push(server);
    const a = await client('alice', url, 'conv-a');
    const b = await client('bob', url, 'conv-b');
    const c = await client('carol', url, 'conv-c');
    unwrap(a.sync.registry.workspace.createProject(a.actor, 'vision'));
    await eventually(() => expect(c.sync.isProjectOpen('vision')).toBe(true));
    await eventually(() => expect(b.sync.isProjectOpen('vision')).toBe(true));
    await a.sync.openProject('vision');
    const v0 = unwrap(a.sync.registry.project('vision')!.recordVersion(a.actor, commitOf('c0'))).versionId;
    await eventually(() => expect(b.sync.registry.project('vision')!.getVersion(v0)?.number).toBe(0));
    unwrap(b.sync.registry.project('vision')!.moveAlias(b.actor, 'resnet', 'best', v0));
    unwrap(c.sync.registry.workspace.createModel(c.actor, 'classifier'));
    await eventually(() => expect(c.sync.registry.project('vision')!.getVersion(v0)?.aliases).toEqual(['best']));
    const link = unwrap(c.sync.registry.linkVersion(c.actor, 'classifier', 'vision', v0)).link;
    unwrap(c.sync.registry.workspace.moveModelAlias(c.actor, 'classifier', 'production', link.linkId));
    for (const x of [a, b, c]) {
      await eventually(() => {
        const model = x.sync.registry.workspace.model('classifier');
        expect(model?.aliases).toEqual([{ alias: 'production', linkId: link.linkId, protected: true }]);
        expect(x.sync.registry.workspace.getLink(link.linkId)?.number).toBe(0);
        expect(x.sync.registry.project('vision')!.getVersion(v0)).toMatchObject({ number: 0, aliases: ['best'] });
      });
    }
    await eventually(() => expect(a.sync.teammates().map((t) => t.name)).toEqual(['bob', 'carol']));
    b.sync.setViewing('vision/resnet:v0');
    await eventually(() => expect(a.sync.teammates().find((t) => t.name === 'bob')?.viewing).toBe('vision/resnet:v0'));
  });

  it('keeps edits made while the server is down, across a restart of the app, and numbers them on reconnect', async () => {
    const storage = new MemoryStorage();
    const first = await startServer(storage);
    const port = first.server.port;
    const a1 = await client('alice', first.url, 'offline-a');
    const b = await client('bob', first.url, 'offline-b');
    unwrap(a1.sync.registry.workspace.createProject(a1.actor, 'vision'));
    await eventually(() => expect(b.sync.isProjectOpen('vision')).toBe(true));
    await a1.sync.openProject('vision');
    await eventually(() => expect(a1.sync.roomStates().every((r) => r.status === 'synced' && r.pending === 0)).toBe(true));
    await first.server.close();

    // Offline: both write; alice quits and restarts her app before the server is back.
    const offlineA = unwrap(a1.sync.registry.project('vision')!.recordVersion(a1.actor, commitOf('from alice')));
    const offlineB = unwrap(b.sync.registry.project('vision')!.recordVersion(b.actor, commitOf('from bob')));
    await eventually(() => expect(a1.sync.roomStates().some((r) => r.status === 'offline' && r.pending > 0)).toBe(true));
    await a1.sync.close();
    open.splice(open.indexOf(a1.sync), 1);
    const a2 = await client('alice', null, 'offline-a');
    await a2.sync.openProject('vision');
    expect(a2.sync.registry.project('vision')!.getVersion(offlineA.versionId)).toMatchObject({ number: null, createdBy: 'alice' });
    await a2.sync.close();
    open.splice(open.indexOf(a2.sync), 1);

    const second = await startServer(storage, port);
    servers.push(second.server);
    const a3 = await client('alice', second.url, 'offline-a');
    await a3.sync.openProject('vision');
    for (const x of [a3, b]) {
      await eventually(() => {
        const p = x.sync.registry.project('vision')!;
        const numbers = [p.getVersion(offlineA.versionId)?.number, p.getVersion(offlineB.versionId)?.number];
        expect(numbers.every((n) => n === 0 || n === 1)).toBe(true);
        expect(new Set(numbers).size).toBe(2);
      }, 15_000);
    }
    await eventually(() => expect(a3.sync.roomStates().every((r) => r.pending === 0)).toBe(true));
  });

  it('opens the local copy before knowing the server, then syncs every document once told where', async () => {
    const { server, url } = await startServer();
    servers.push(server);
    const b = await client('bob', url, 'late-b');
    unwrap(b.sync.registry.workspace.createProject(b.actor, 'vision'));
    unwrap(b.sync.registry.workspace.createProject(b.actor, 'audio'));
    await b.sync.openProject('vision');
    const seen = unwrap(b.sync.registry.project('vision')!.recordVersion(b.actor, commitOf('bob v0'))).versionId;
    const a1 = await client('alice', url, 'late-a');
    await eventually(() => expect(a1.sync.registry.workspace.projects().map((p) => p.name).sort()).toEqual(['audio', 'vision']));
    await a1.sync.openProject('vision');
    await eventually(() => expect(a1.sync.registry.project('vision')!.getVersion(seen)?.number).toBe(0));
    await eventually(() => expect(a1.sync.roomStates().every((r) => r.pending === 0)).toBe(true));
    await a1.sync.close();
    open.splice(open.indexOf(a1.sync), 1);

    // The app restarts: its IndexedDB opens with no server known yet (as at boot, before
    // the host's settings arrive). What it had is there, nothing connects.
    // `audio` will still be reading IndexedDB when `connect` runs (held until released).
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const openRoom = RoomConnection.open.bind(RoomConnection);
    const spy = vi.spyOn(RoomConnection, 'open').mockImplementation(async (options) => {
      if (options.room.endsWith('/audio')) await held;
      return openRoom(options);
    });
    const local = await WorkspaceSync.open({ db: openRegistryDb('late-a'), workspace: 'acme' }, 'vision');
    open.push(local);
    await eventually(() => expect(local.isProjectOpen('vision')).toBe(true));
    expect(local.registry.project('vision')!.getVersion(seen)?.number).toBe(0);
    const newer = unwrap(b.sync.registry.project('vision')!.recordVersion(b.actor, commitOf('bob v1'))).versionId;
    await new Promise((r) => setTimeout(r, 300));
    expect(local.registry.project('vision')!.getVersion(newer)).toBeUndefined();
    expect(local.roomStates().every((r) => r.status === 'offline')).toBe(true);

    // Told where: rooms already open sync, and so do those opened after, including one
    // whose opening began before (it is still reading IndexedDB when `connect` runs).
    const openingAudio = local.openProject('audio');
    local.connect({ serverUrl: url, token: TOKENS.alice.token, user: { name: 'alice', color: '#336699', sessionId: 'late' }, WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket });
    expect(() => local.connect({ serverUrl: url, token: TOKENS.alice.token, user: { name: 'alice', color: '#336699', sessionId: 'late' } })).toThrow(/already connected/);
    await eventually(() => expect(local.registry.project('vision')!.getVersion(newer)?.number).toBe(1));
    expect(local.isProjectOpen('audio')).toBe(false);
    release();
    await openingAudio;
    spy.mockRestore();
    unwrap(b.sync.registry.workspace.createModel(b.actor, 'classifier'));
    await eventually(() => expect(local.registry.workspace.models().map((m) => m.name)).toEqual(['classifier']));
    await eventually(() => expect(local.roomStates().map((r) => r.status)).toEqual(['synced', 'synced', 'synced']));
  });

  it('counts what the server has not confirmed, and clears it once stored', async () => {
    const { server, url } = await startServer();
    servers.push(server);
    const a = await client('alice', url, 'pending-a');
    unwrap(a.sync.registry.workspace.createProject(a.actor, 'vision'));
    await eventually(() => expect(a.sync.roomStates().every((r) => r.status === 'synced' && r.pending === 0)).toBe(true));
    a.sync.goOffline();
    unwrap(a.sync.registry.workspace.createModel(a.actor, 'm1'));
    unwrap(a.sync.registry.workspace.createModel(a.actor, 'm2'));
    await eventually(() => expect(a.sync.roomStates().find((r) => r.room === 'acme')!.pending).toBeGreaterThanOrEqual(2));
    a.sync.goOnline();
    await eventually(() => expect(a.sync.roomStates().find((r) => r.room === 'acme')).toMatchObject({ status: 'synced', pending: 0 }));
  });

  it('a read token sees everything and its writes never reach the server', async () => {
    const { server, url } = await startServer();
    servers.push(server);
    const a = await client('alice', url, 'read-a');
    const r = await client('rita', url, 'read-r');
    unwrap(a.sync.registry.workspace.createProject(a.actor, 'vision'));
    await eventually(() => expect(r.sync.registry.workspace.projects().map((p) => p.name)).toEqual(['vision']));
    // The registry refuses (the UI disables the controls too)…
    expect(r.sync.registry.workspace.createModel(r.actor, 'sneaky').ok).toBe(false);
    // …and writing to the document directly changes nothing for anyone else.
    r.sync.registry.workspace.doc.getMap('registeredModels').set('sneaky', JSON.stringify({ name: 'sneaky', createdAt: 1, by: 'rita' }));
    const fresh = await client('bob', url, 'read-check');
    await eventually(() => expect(fresh.sync.registry.workspace.projects().map((p) => p.name)).toEqual(['vision']));
    await new Promise((res) => setTimeout(res, 300));
    expect(fresh.sync.registry.workspace.model('sneaky')).toBeUndefined();
    expect(a.sync.registry.workspace.model('sneaky')).toBeUndefined();
  });
});
