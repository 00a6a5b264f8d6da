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

// Asked for as soon as the app loads, while React renders its first frame.
let initialSettings: Promise<SyncSettings> | undefined = typeof window === 'undefined' ? undefined : host.settings.get();
initialSettings?.then(() => performance.mark('cairn:settings-arrived'), () => undefined);
let sessionId = '';
/**
 * The last session's workspace is opened from IndexedDB at once, before the host has
 * said where it syncs (its settings hold the server and token): a returning user's
 * registry loads while the host answers and React renders its first frame. Only where
 * the data lives is remembered here, never a token.
 */
const LAST_SESSION_KEY = 'cairn.lastSession';
interface LastSession {
  db: string;
  workspace: string;
}
let preloaded: (LastSession & { sync: Promise<WorkspaceSync | null> }) | undefined = (() => {
  if (typeof window === 'undefined') return undefined;
  const last = readLastSession();
  if (!last) return undefined;
  const sync = WorkspaceSync.open({ db: openRegistryDb(last.db), workspace: last.workspace }, projectOnScreen()).catch(() => null);
  return { ...last, sync };
})();

/**
 * Resolves once the last workspace's local copy is open (its reads from IndexedDB are
 * under way), or after `capMs`: React's first render holds the main thread, and
 * IndexedDB's callbacks would otherwise wait behind it.
 */
export function whenLocalCopyStarted(capMs: number): Promise<void> {
  if (!preloaded) return Promise.resolve();
  return Promise.race([preloaded.sync.then(() => undefined), new Promise<void>((r) => setTimeout(r, capMs))]);
}

function readLastSession(): LastSession | null {
  try {
    const value = JSON.parse(localStorage.getItem(LAST_SESSION_KEY) ?? 'null') as Partial<LastSession> | null;
    return typeof value?.db === 'string' && typeof value.workspace === 'string' ? { db: value.db, workspace: value.workspace } : null;
  } catch {
    return null;
  }
}

function projectOnScreen(): string | undefined {
  const route = useRoute.getState().route;
  return 'project' in route ? route.project : undefined;
}
const COLORS = ['#2f6f55', '#8a4fbf', '#c2571a', '#1f6fb2', '#b23a48', '#7a6a12', '#0f7c7c', '#5b5bd6'];

function colorFor(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return COLORS[h % COLORS.length]!;
}

async function openSession(settings: SyncSettings): Promise<{ sync: WorkspaceSync; actor: Actor }> {
  sessionId ||= crypto.randomUUID();
  // One IndexedDB per server and workspace: switching servers never mixes two teams' data.
  const serverKey = settings.mode === 'local' ? 'local' : settings.serverUrl!;
  const here: LastSession = { db: registryDbName(serverKey, settings.workspace), workspace: settings.workspace };
  const early = preloaded;
  preloaded = undefined;
  let sync = early && early.db === here.db && early.workspace === here.workspace ? await early.sync : null;
  if (!sync) {
    void early?.sync.then((stale) => stale?.close({ database: true }));
    sync = await WorkspaceSync.open({ db: openRegistryDb(here.db), workspace: here.workspace }, projectOnScreen());
  }
  localStorage.setItem(LAST_SESSION_KEY, JSON.stringify(here));
  sync.connect({
    serverUrl: resolveSyncUrl(settings.syncUrl),
    token: settings.token,
    user: { name: settings.displayName, color: colorFor(settings.displayName), sessionId },
  });
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
      await old?.close({ database: true });
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
