import fs from 'node:fs/promises';
import path from 'node:path';
import type { CallContext, HostServices } from '../shared/contract';
import { HostError } from '../shared/host-error';
import type { ProgressUpdate } from './store/progress';
import { openVersionStore, type VersionStore } from './store/version-store';
import { startLocalSync, type RunningLocalSync } from './local-sync';
import { SyncSettingsService } from './sync-settings';
import { sweepUploads, uploadTarget } from './web/receive-upload';

export interface HostOptions {
  dataDir: string;
  version: string;
  shell: 'electron' | 'web';
  platform?: string;
  /**
   * How the renderer reaches the embedded sync server: its own loopback URL by default
   * (desktop); web mode passes a path on its own origin ("/sync") that it proxies, so
   * a browser behind an SSH tunnel needs one forwarded port, not two.
   */
  localSyncPublicUrl?: string;
  /** Tests may run without the embedded sync server. */
  withoutLocalSync?: boolean;
  /** Desktop only: shows a folder in the system file manager. */
  revealPath?: (path: string) => void;
}

export interface Host {
  services: HostServices;
  store: VersionStore;
  /** Where web mode receives dropped files before they are logged. */
  uploadsDir: string;
  /** The embedded sync server, home of the local workspace. */
  localSync: RunningLocalSync | null;
  close(): Promise<void>;
}

/**
 * The main-process services behind the host API contract, in plain Node: the
 * Electron IPC layer and the web-mode HTTP server both serve this one object.
 */
export async function openHost(options: HostOptions): Promise<Host> {
  await fs.mkdir(options.dataDir, { recursive: true });
  const localSync = options.withoutLocalSync ? null : await startLocalSync(options.dataDir);
  const settings = new SyncSettingsService(options.dataDir, localSync ? { ...localSync, url: options.localSyncPublicUrl ?? localSync.url } : undefined);
  const uploadsDir = path.join(options.dataDir, 'uploads');
  await fs.mkdir(uploadsDir, { recursive: true });
  await sweepUploads(uploadsDir);
  const store = await openVersionStore({
    dataDir: options.dataDir,
    owner: options.shell === 'electron' ? 'the Cairn desktop app' : 'Cairn web mode',
  });

  // An AbortSignal cannot cross IPC or HTTP: the caller names each long operation
  // with an opId, and store.cancel(opId) aborts it.
  const running = new Map<string, AbortController>();
  async function operation<T>(opId: string, ctx: CallContext, run: (signal: AbortSignal, onProgress: (p: ProgressUpdate) => void) => Promise<T>): Promise<T> {
    if (running.has(opId)) throw new HostError('OP_ID_IN_USE', `an operation with id "${opId}" is already running; use a new id for each operation`);
    const controller = new AbortController();
    running.set(opId, controller);
    try {
      return await run(controller.signal, (p) => ctx.emit('store.progress', { opId, ...p }));
    } finally {
      running.delete(opId);
    }
  }

  const services: HostServices = {
    app: {
      info: async () => ({
        name: 'Cairn',
        version: options.version,
        dataDir: options.dataDir,
        platform: options.platform ?? process.platform,
        shell: options.shell,
      }),
    },
    settings: {
      get: () => settings.get(),
      update: (patch) => settings.update(patch),
    },
    store: {
      commit: (opId, sources, ctx) => operation(opId, ctx, (signal, onProgress) => store.commit(sources, { signal, onProgress })),
      commitUpload: async (opId, uploadId, ctx) => {
        // The upload mirrors the drop: each top-level entry is one dropped item.
        const root = path.dirname(uploadTarget(uploadsDir, `${uploadId}/x`).file);
        try {
          const entries = await fs.readdir(root).catch(() => {
            throw new HostError('UPLOAD_NOT_FOUND', `Nothing was uploaded for ${uploadId}; drop the files again.`);
          });
          return await operation(opId, ctx, (signal, onProgress) => store.commit(entries.sort().map((e) => path.join(root, e)), { signal, onProgress }));
        } finally {
          await fs.rm(root, { recursive: true, force: true });
        }
      },
      cancel: async (opId) => {
        const controller = running.get(opId);
        controller?.abort();
        return { cancelled: controller !== undefined };
      },
      verify: (opId, versionId, ctx) => operation(opId, ctx, (signal, onProgress) => store.verify(versionId, { signal, onProgress })),
      gc: (opId, ctx) => operation(opId, ctx, (signal, onProgress) => store.gc({ signal, onProgress })),
      remove: (versionId) => store.remove(versionId),
      list: () => store.list(),
      reveal: async (versionId) => {
        if (!options.revealPath) throw new HostError('NOT_AVAILABLE', 'Revealing folders is a desktop feature; in web mode the files are on the host at the path shown in Settings.');
        const version = (await store.list()).find((v) => v.versionId === versionId);
        if (!version) throw new HostError('VERSION_NOT_FOUND', `Version ${versionId} is not stored on this machine.`);
        options.revealPath(version.path);
        return { path: version.path };
      },
    },
  };
  return {
    services,
    store,
    uploadsDir,
    localSync,
    close: async () => {
      for (const controller of running.values()) controller.abort();
      await store.close();
      await localSync?.close();
    },
  };
}
