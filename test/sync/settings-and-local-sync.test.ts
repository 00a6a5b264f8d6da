import 'fake-indexeddb/auto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSync } from '../../electron/main/local-sync';
import { normalizeServerUrl, SyncSettingsService } from '../../electron/main/sync-settings';
import { Hlc, unwrap } from '../../renderer/src/registry';
import { openRegistryDb } from '../../renderer/src/sync/registry-db';
import { WorkspaceSync } from '../../renderer/src/sync/workspace-sync';
import { commitOf } from '../registry/support';
import { eventually, startServer, TOKENS } from './support';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cairn-settings-'));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('sync settings', () => {
  it('defaults to the local workspace, then saves a team server only after it vouches for the token', async () => {
    const { server } = await startServer();
    try {
      const dataDir = path.join(dir, 'a');
      const settings = new SyncSettingsService(dataDir, { url: 'ws://127.0.0.1:1', token: 'local-token', workspace: 'local' });
      expect(await settings.get()).toMatchObject({ mode: 'local', workspace: 'local', role: 'admin', syncUrl: 'ws://127.0.0.1:1' });
      const saved = await settings.update({ serverUrl: server.url, token: TOKENS.bob.token, displayName: 'Bob B.' });
      expect(saved).toMatchObject({ mode: 'server', serverUrl: server.url.replace(/^ws/, 'http'), syncUrl: server.url, workspace: 'acme', role: 'write', displayName: 'Bob B.' });
      expect(await new SyncSettingsService(dataDir, undefined).get()).toMatchObject({ mode: 'server', workspace: 'acme' });
      expect((await fs.stat(path.join(dataDir, 'settings.json'))).mode & 0o777).toBe(0o600);
      expect(await settings.update({ serverUrl: null })).toMatchObject({ mode: 'local', displayName: 'Bob B.' });
    } finally {
      await server.close();
    }
  });

  it('says clearly when the server refuses the token, and keeps the old settings', async () => {
    const { server } = await startServer();
    try {
      const settings = new SyncSettingsService(path.join(dir, 'b'), undefined);
      await expect(settings.update({ serverUrl: server.url, token: 'not-a-real-token-000000' })).rejects.toMatchObject({ code: 'TOKEN_REFUSED', message: expect.stringContaining('does not know this token') });
      expect((await settings.get()).mode).toBe('local');
    } finally {
      await server.close();
    }
  });

  it.each([
    ['ftp://host', 'SETTINGS_INVALID'],
    ['http://user:pw@host:1', 'SETTINGS_INVALID'],
    ['http://host/?token=x', 'SETTINGS_INVALID'],
  ])('refuses the server address %s', (url, code) => {
    expect(() => normalizeServerUrl(url)).toThrow(expect.objectContaining({ code }));
  });

  it('accepts ws(s) and bare host:port addresses', () => {
    expect(normalizeServerUrl('ws://10.0.0.5:4455/')).toBe('http://10.0.0.5:4455');
    expect(normalizeServerUrl('wss://sync.team.example')).toBe('https://sync.team.example');
    expect(normalizeServerUrl('10.0.0.5:4455')).toBe('http://10.0.0.5:4455');
  });

  it('says when no server answers', async () => {
    const settings = new SyncSettingsService(path.join(dir, 'c'), undefined);
    await expect(settings.update({ serverUrl: 'http://127.0.0.1:9', token: TOKENS.bob.token })).rejects.toMatchObject({ code: 'SERVER_UNREACHABLE' });
  });
});

describe('the embedded local sync server', () => {
  it('is the local workspace\'s home: numbers versions, keeps them across restarts, and keeps its token', async () => {
    const dataDir = path.join(dir, 'local');
    const first = await startLocalSync(dataDir);
    const open = (url: string) =>
      WorkspaceSync.open({
        db: openRegistryDb(`local-${url}`),
        workspace: 'local',
        remote: {
          serverUrl: url,
          token: first.token,
          user: { name: 'me', color: '#123456', sessionId: 's' },
          WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        },
      });
    const actor = { name: 'me', role: 'admin' as const, clock: new Hlc() };
    const sync = await open(first.url);
    unwrap(sync.registry.workspace.createProject(actor, 'vision'));
    await sync.openProject('vision');
    const v = unwrap(sync.registry.project('vision')!.recordVersion(actor, commitOf('local')));
    await eventually(() => expect(sync.registry.project('vision')!.getVersion(v.versionId)?.number).toBe(0));
    await eventually(() => expect(sync.roomStates().every((r) => r.pending === 0)).toBe(true));
    await sync.close();
    await first.close();

    const second = await startLocalSync(dataDir);
    expect(second.token).toBe(first.token);
    const again = await open(second.url);
    await eventually(() => expect(again.registry.workspace.projects().map((p) => p.name)).toEqual(['vision']));
    await again.openProject('vision');
    await eventually(() => expect(again.registry.project('vision')!.getVersion(v.versionId)?.number).toBe(0));
    await again.close();
    await second.close();
  });
});
