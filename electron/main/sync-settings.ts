import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { SettingsUpdate, SyncSettings } from '../shared/contract';
import { HostError } from '../shared/host-error';
import { writeFileAtomic } from './write-file-atomic';

/** The embedded sync server that is the home of the local-only workspace. */
export interface LocalSync {
  url: string;
  token: string;
  workspace: string;
}

const SavedSchema = z.object({
  serverUrl: z.string().nullable().default(null),
  token: z.string().nullable().default(null),
  workspace: z.string().nullable().default(null),
  role: z.enum(['read', 'write', 'admin']).nullable().default(null),
  displayName: z.string().min(1).max(80).optional(),
});
type Saved = z.infer<typeof SavedSchema>;

const WhoAmISchema = z.object({ workspace: z.string(), role: z.enum(['read', 'write', 'admin']), name: z.string().optional() });

/**
 * Sync settings, kept in `<dataDir>/settings.json`: which server (the embedded local
 * one by default), the token, and the name teammates see. A team server and token are
 * only saved after the server has said whose token it is (`GET /whoami`).
 */
export class SyncSettingsService {
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly local: LocalSync | undefined,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.file = path.join(dataDir, 'settings.json');
  }

  async get(): Promise<SyncSettings> {
    const saved = await this.read();
    const displayName = saved.displayName ?? defaultDisplayName();
    if (saved.serverUrl && saved.token && saved.workspace && saved.role) {
      return { mode: 'server', serverUrl: saved.serverUrl, syncUrl: toSyncUrl(saved.serverUrl), token: saved.token, workspace: saved.workspace, role: saved.role, displayName, hostname: os.hostname() };
    }
    return {
      mode: 'local',
      serverUrl: null,
      syncUrl: this.local?.url ?? '',
      token: this.local?.token ?? '',
      workspace: this.local?.workspace ?? 'local',
      role: 'admin',
      displayName,
      hostname: os.hostname(),
    };
  }

  async update(patch: SettingsUpdate): Promise<SyncSettings> {
    const saved = await this.read();
    const next: Saved = { ...saved };
    if (patch.displayName !== undefined) next.displayName = patch.displayName;
    if (patch.serverUrl === null) {
      Object.assign(next, { serverUrl: null, token: null, workspace: null, role: null });
    } else if (patch.serverUrl !== undefined || patch.token !== undefined) {
      const serverUrl = normalizeServerUrl(patch.serverUrl ?? saved.serverUrl ?? '');
      const token = patch.token ?? saved.token ?? '';
      if (!token) throw new HostError('SETTINGS_INVALID', 'Paste the token your workspace admin gave you.');
      const who = await this.whoami(serverUrl, token);
      Object.assign(next, { serverUrl, token, workspace: who.workspace, role: who.role });
    }
    await writeFileAtomic(this.file, JSON.stringify(next, null, 2), 0o600);
    return this.get();
  }

  private async whoami(serverUrl: string, token: string): Promise<z.infer<typeof WhoAmISchema>> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${serverUrl}/whoami?token=${encodeURIComponent(token)}`, { signal: AbortSignal.timeout(8000) });
    } catch (error) {
      throw new HostError('SERVER_UNREACHABLE', `No sync server answered at ${serverUrl} (${error instanceof Error ? error.message : String(error)}). Check the address and that the server is running.`);
    }
    if (response.status === 401) throw new HostError('TOKEN_REFUSED', `The server at ${serverUrl} does not know this token. Check it, or ask your workspace admin for a new one.`);
    if (response.status === 403) throw new HostError('TOKEN_REFUSED', `The server at ${serverUrl} refused this token (403).`);
    if (!response.ok) throw new HostError('SERVER_UNREACHABLE', `The server at ${serverUrl} answered ${response.status}; is it a Cairn sync server?`);
    const parsed = WhoAmISchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success) throw new HostError('SERVER_UNREACHABLE', `${serverUrl} did not answer like a Cairn sync server.`);
    return parsed.data;
  }

  private async read(): Promise<Saved> {
    try {
      return SavedSchema.parse(JSON.parse(await fs.readFile(this.file, 'utf8')));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') console.warn(`settings: ignoring unreadable ${this.file}`);
      return SavedSchema.parse({});
    }
  }
}

/** Accepts http(s) and ws(s) addresses; stores the http(s) form. */
export function normalizeServerUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw new HostError('SETTINGS_INVALID', `"${text}" is not a server address; use something like http://10.0.0.5:4455.`);
  }
  if (url.protocol === 'ws:') url.protocol = 'http:';
  if (url.protocol === 'wss:') url.protocol = 'https:';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new HostError('SETTINGS_INVALID', `${url.protocol} is not a sync server scheme; use http(s)://host:port.`);
  if (url.username || url.password || url.search || url.hash) throw new HostError('SETTINGS_INVALID', 'Give the server address only (no user, query or fragment); the token goes in its own field.');
  return url.toString().replace(/\/+$/, '');
}

export function toSyncUrl(serverUrl: string): string {
  return serverUrl.replace(/^http/, 'ws');
}

function defaultDisplayName(): string {
  try {
    return os.userInfo().username || 'me';
  } catch {
    return 'me';
  }
}
