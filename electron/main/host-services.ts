import fs from 'node:fs/promises';
import type { CallContext, HostServices } from '../shared/contract';
import { HostError } from '../shared/host-error';
import type { ProgressUpdate } from './store/progress';
import { openVersionStore, type VersionStore } from './store/version-store';

export interface HostOptions {
  dataDir: string;
  version: string;
  shell: 'electron' | 'web';
  platform?: string;
}

export interface Host {
  services: HostServices;
  store: VersionStore;
  close(): Promise<void>;
}

/**
 * The main-process services behind the host API contract, in plain Node: the
 * Electron IPC layer and the web-mode HTTP server both serve this one object.
 */
export async function openHost(options: HostOptions): Promise<Host> {
  await fs.mkdir(options.dataDir, { recursive: true });
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
    store: {
      commit: (opId, sources, ctx) => operation(opId, ctx, (signal, onProgress) => store.commit(sources, { signal, onProgress })),
      cancel: async (opId) => {
        const controller = running.get(opId);
        controller?.abort();
        return { cancelled: controller !== undefined };
      },
      verify: (opId, versionId, ctx) => operation(opId, ctx, (signal, onProgress) => store.verify(versionId, { signal, onProgress })),
      gc: (opId, ctx) => operation(opId, ctx, (signal, onProgress) => store.gc({ signal, onProgress })),
      remove: (versionId) => store.remove(versionId),
      list: () => store.list(),
    },
  };
  return {
    services,
    store,
    close: async () => {
      for (const controller of running.values()) controller.abort();
      await store.close();
    },
  };
}
