import { useEffect, useMemo } from 'react';
import { create } from 'zustand';
import type { SyncSettings } from '../../../electron/shared/contract';
import { HostError } from '../../../electron/shared/host-error';
import { host } from '../host';
import { Hlc, type Actor, type Registry } from '../registry';
import { openRegistryDb, registryDbName } from '../sync/registry-db';
import { WorkspaceSync } from '../sync/workspace-sync';
import { useRoute } from './route';

export interface WorkspaceState {
  phase: 'starting' | 'ready' | 'error';
  error: { code: string; message: string } | null;
  settings: SyncSettings | null;
  sync: WorkspaceSync | null;
  actor: Actor | null;
  /** Bumps whenever any registry document changes; views recompute from it. */
  rev: number;
  start(): Promise<void>;
  /** Reopens the workspace after settings changed (another server or token). */
  restart(settings: SyncSettings): Promise<void>;
}

let sessionId = '';
// IndexedDB takes tens of milliseconds to open: open last session's database at once,
// while the host is asked for the settings that name it.
const LAST_DB_KEY = 'cairn.lastDatabase';
let warmDb: ReturnType<typeof openRegistryDb> | undefined = (() => {
  const last = typeof window === 'undefined' ? null : localStorage.getItem(LAST_DB_KEY);
  if (!last) return undefined;
  const db = openRegistryDb(last);
  db.open().catch(() => undefined);
  return db;
})();
// Asked for as soon as the app loads, while React renders its first frame.
let initialSettings: Promise<SyncSettings> | undefined = typeof window === 'undefined' ? undefined : host.settings.get();
initialSettings?.catch(() => undefined);
const COLORS = ['#2f6f55', '#8a4fbf', '#c2571a', '#1f6fb2', '#b23a48', '#7a6a12', '#0f7c7c', '#5b5bd6'];

function colorFor(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return COLORS[h % COLORS.length]!;
}

async function openSession(settings: SyncSettings): Promise<{ sync: WorkspaceSync; actor: Actor }> {
  const route = useRoute.getState().route;
  sessionId ||= crypto.randomUUID();
  // One IndexedDB per server and workspace: switching servers never mixes two teams' data.
  const serverKey = settings.mode === 'local' ? 'local' : settings.serverUrl!;
  const name = registryDbName(serverKey, settings.workspace);
  const db = warmDb?.name === name ? warmDb : openRegistryDb(name);
  warmDb = undefined;
  localStorage.setItem(LAST_DB_KEY, name);
  const sync = await WorkspaceSync.open({
    db,
    workspace: settings.workspace,
    serverUrl: resolveSyncUrl(settings.syncUrl),
    token: settings.token,
    user: { name: settings.displayName, color: colorFor(settings.displayName), sessionId },
  }, 'project' in route ? route.project : undefined);
  return { sync, actor: { name: settings.displayName, role: settings.role, clock: new Hlc() } };
}

/** Web mode gives a path on its own origin ("/sync"), which it relays to the embedded server. */
function resolveSyncUrl(syncUrl: string): string | null {
  if (!syncUrl) return null;
  if (!syncUrl.startsWith('/')) return syncUrl;
  return `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}${syncUrl}`;
}

export const useWorkspace = create<WorkspaceState>((set, get) => {
  let frame = 0;
  let unsubscribe: () => void = () => {};
  const attach = (sync: WorkspaceSync) => {
    unsubscribe();
    // Bursts of remote updates re-render once per frame, not once per update.
    unsubscribe = sync.subscribe(() => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        set({ rev: get().rev + 1 });
      });
    });
  };
  return {
    phase: 'starting',
    error: null,
    settings: null,
    sync: null,
    actor: null,
    rev: 0,
    async start() {
      try {
        const settings = await (initialSettings ?? host.settings.get());
        initialSettings = undefined;
        performance.mark('cairn:settings');
        const { sync, actor } = await openSession(settings);
        performance.mark('cairn:workspace-open');
        attach(sync);
        set({ phase: 'ready', settings, sync, actor, error: null, rev: get().rev + 1 });
      } catch (error) {
        const e = error instanceof HostError ? error : new HostError('START_FAILED', error instanceof Error ? error.message : String(error));
        set({ phase: 'error', error: { code: e.code, message: e.message } });
      }
    },
    async restart(settings) {
      const old = get().sync;
      set({ phase: 'starting', sync: null });
      unsubscribe();
      await old?.close();
      const { sync, actor } = await openSession(settings);
      attach(sync);
      set({ phase: 'ready', settings, sync, actor, error: null, rev: get().rev + 1 });
    },
  };
});

/** A value computed from the registry, recomputed when any document changes. */
export function useRegistry<T>(select: (registry: Registry) => T, deps: readonly unknown[]): T | undefined {
  const rev = useWorkspace((s) => s.rev);
  const sync = useWorkspace((s) => s.sync);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => (sync ? select(sync.registry) : undefined), [rev, sync, ...deps]);
}

/**
 * Opens a project's document if it is not open yet; false until it is (pages show a
 * loading state, after a short delay so a fast load never flashes).
 */
export function useProjectReady(project: string): boolean {
  const sync = useWorkspace((s) => s.sync);
  const rev = useWorkspace((s) => s.rev);
  const ready = !!sync?.isProjectOpen(project);
  useEffect(() => {
    if (sync && !ready) void sync.openProject(project);
  }, [sync, ready, project, rev]);
  return ready;
}

/** Why this user cannot edit, or null when they can (for disabled controls' tooltips). */
export function useReadOnlyReason(): string | null {
  const role = useWorkspace((s) => s.actor?.role);
  return role === 'read' ? 'Read-only: your token for this workspace has read access. Ask an admin for a write token to edit.' : null;
}

export function useIsAdmin(): boolean {
  return useWorkspace((s) => s.actor?.role === 'admin');
}
