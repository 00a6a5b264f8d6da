import fs from 'node:fs/promises';
import type { HostServices } from '../shared/contract';
import { SyncSettingsService, type LocalSync } from './sync-settings';

export interface HostOptions {
  dataDir: string;
  version: string;
  shell: 'electron' | 'web';
  platform?: string;
  /** The embedded sync server for the local workspace, when one runs. */
  localSync?: LocalSync;
}

export interface Host {
  services: HostServices;
  close(): Promise<void>;
}

/**
 * The main-process services behind the host API contract, in plain Node: the
 * Electron IPC layer and the web-mode HTTP server both serve this one object.
 */
export async function openHost(options: HostOptions): Promise<Host> {
  await fs.mkdir(options.dataDir, { recursive: true });
  const settings = new SyncSettingsService(options.dataDir, options.localSync);
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
  };
  return { services, close: async () => {} };
}
