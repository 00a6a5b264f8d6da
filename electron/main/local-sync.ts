import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { assignNumbers } from '../../renderer/src/registry/sequencer';
import { createSyncServer } from '../../sync-server/create-sync-server';
import { silentLogger, type Logger } from '../../sync-server/logger';
import { FileStorage } from '../../sync-server/storage/file-storage';
import type { LocalSync } from './sync-settings';
import { writeFileAtomic } from './write-file-atomic';

export const LOCAL_WORKSPACE = 'local';

export interface RunningLocalSync extends LocalSync {
  /** The port on 127.0.0.1 the embedded server listens on. */
  port: number;
  close(): Promise<void>;
}

/**
 * The home of the local-only workspace: the same sync server a team runs, embedded
 * in the host process on a loopback port, with file storage (no native module, so it
 * also runs inside Electron) and the registry's sequencer. Cairn works with no
 * server set up, and the code path is the one a team uses later.
 */
export async function startLocalSync(dataDir: string, { logger = silentLogger }: { logger?: Logger } = {}): Promise<RunningLocalSync> {
  const dir = path.join(dataDir, 'local-sync');
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const token = await localToken(path.join(dir, 'token'));
  const storage = new FileStorage(path.join(dir, 'rooms'));
  try {
    const server = await createSyncServer({
      host: '127.0.0.1',
      port: 0,
      storage,
      tokens: [{ token, workspace: LOCAL_WORKSPACE, role: 'admin', name: 'local' }],
      sequencer: ({ doc }) => void assignNumbers(doc),
      logger,
    });
    return {
      url: server.url.replace(/^http/, 'ws'),
      port: server.port,
      token,
      workspace: LOCAL_WORKSPACE,
      close: async () => {
        await server.close();
        await storage.close();
      },
    };
  } catch (error) {
    await storage.close();
    throw error;
  }
}

/** A random token kept in the data directory (0600), so reconnects after restarts work. */
async function localToken(file: string): Promise<string> {
  try {
    const existing = (await fs.readFile(file, 'utf8')).trim();
    if (existing.length >= 32) return existing;
  } catch {
    // First start: make one.
  }
  const token = crypto.randomBytes(32).toString('base64url');
  await writeFileAtomic(file, token, 0o600);
  return token;
}
