import fs from 'node:fs/promises';
import type { HostServices } from '../shared/contract';

export interface HostOptions {
  dataDir: string;
  version: string;
  shell: 'electron' | 'web';
  platform?: string;
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
  };
  return { services, close: async () => {} };
}
