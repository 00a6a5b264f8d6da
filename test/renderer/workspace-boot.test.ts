/**
 * The renderer's boot path: the last session's workspace opens from IndexedDB before the
 * host has answered with the settings that say where it syncs. Runs the real store over
 * fake-indexeddb with the browser globals it reads stubbed; the host is a stub whose
 * settings the test controls.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SyncSettings } from '../../electron/shared/contract';
import { Hlc, unwrap } from '../../renderer/src/registry';
import { openRegistryDb, registryDbName } from '../../renderer/src/sync/registry-db';
import { WorkspaceSync } from '../../renderer/src/sync/workspace-sync';

const settingsFor = (workspace: string): SyncSettings => ({
  mode: 'local',
  serverUrl: null,
  syncUrl: '', // no server: the documents stay local
  token: '',
  workspace,
  role: 'admin',
  displayName: 'Ada',
  hostname: 'box',
});

let hostSettings: Promise<SyncSettings>;
vi.mock('../../renderer/src/host', () => ({ host: { settings: { get: () => hostSettings } } }));

const storage = new Map<string, string>();
beforeEach(() => {
  vi.resetModules();
  storage.clear();
  vi.stubGlobal('window', { location: { hash: '#/p/vision', protocol: 'http:', host: '127.0.0.1' }, addEventListener: () => {} });
  vi.stubGlobal('localStorage', { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) });
  vi.stubGlobal('requestAnimationFrame', (fn: () => void) => setTimeout(fn, 0));
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** A workspace with project `vision` in IndexedDB, as a previous session left it. */
async function previousSession(workspace: string): Promise<string> {
  const db = registryDbName('local', workspace);
  const sync = await WorkspaceSync.open({ db: openRegistryDb(db), workspace });
  unwrap(sync.registry.workspace.createProject({ name: 'Ada', role: 'admin', clock: new Hlc() }, 'vision'));
  await sync.close();
  storage.set('cairn.lastSession', JSON.stringify({ db, workspace }));
  return db;
}

async function boot(settings: Promise<SyncSettings>) {
  hostSettings = settings;
  const opened: string[] = [];
  // The module instance the store will import (modules are reset between tests).
  const { WorkspaceSync: Fresh } = await import('../../renderer/src/sync/workspace-sync');
  const open = Fresh.open.bind(Fresh);
  vi.spyOn(Fresh, 'open').mockImplementation((options, first) => {
    opened.push(options.db.name);
    return open(options, first);
  });
  const { useWorkspace } = await import('../../renderer/src/state/workspace-store');
  return { useWorkspace, opened };
}

describe('boot: the local copy opens before the host answers', () => {
  it('starts loading the last workspace at once, and keeps it when the settings name the same one', async () => {
    const db = await previousSession('acme-boot');
    let answer!: (s: SyncSettings) => void;
    const { useWorkspace, opened } = await boot(new Promise((r) => (answer = r)));
    // The host has not answered, and the last workspace is already opening.
    expect(opened).toEqual([db]);
    // The first render waits for the local copy, not for the host (nor for the cap).
    const { whenLocalCopyStarted } = await import('../../renderer/src/state/workspace-store');
    await whenLocalCopyStarted(60_000);
    answer(settingsFor('acme-boot'));
    await useWorkspace.getState().start();
    const { phase, sync } = useWorkspace.getState();
    expect(phase).toBe('ready');
    expect(opened).toEqual([db]); // no second open
    expect(sync!.registry.workspace.hasProject('vision')).toBe(true);
    await sync!.close();
  });

  it('opens the workspace the settings name when it is not the last one, and remembers it (never the token)', async () => {
    const stale = await previousSession('old-team');
    const { useWorkspace, opened } = await boot(Promise.resolve({ ...settingsFor('new-team'), token: 'secret-token-123' }));
    await useWorkspace.getState().start();
    const { phase, sync } = useWorkspace.getState();
    expect(phase).toBe('ready');
    const fresh = registryDbName('local', 'new-team');
    expect(opened).toEqual([stale, fresh]);
    expect(sync!.registry.workspace.hasProject('vision')).toBe(false);
    expect(JSON.parse(storage.get('cairn.lastSession')!)).toEqual({ db: fresh, workspace: 'new-team' });
    expect([...storage.values()].join()).not.toContain('secret-token-123');
    await sync!.close();
  });

  it('with no previous session, waits for the settings and opens what they name', async () => {
    const { useWorkspace, opened } = await boot(Promise.resolve(settingsFor('first-run')));
    expect(opened).toEqual([]);
    await useWorkspace.getState().start();
    expect(useWorkspace.getState().phase).toBe('ready');
    expect(opened).toEqual([registryDbName('local', 'first-run')]);
    await useWorkspace.getState().sync!.close();
  });
});
