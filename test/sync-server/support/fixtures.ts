import type { TokenEntry } from '../../../sync-server/tokens';

/** One token per person and role; `olga` belongs to another workspace. */
export const TOKENS = {
  ann: { token: 'ann-write-acme-0123456789', workspace: 'acme', role: 'write', name: 'Ann' },
  bob: { token: 'bob-write-acme-0123456789', workspace: 'acme', role: 'write', name: 'Bob' },
  cai: { token: 'cai-admin-acme-0123456789', workspace: 'acme', role: 'admin', name: 'Cai' },
  rita: { token: 'rita-read-acme-0123456789', workspace: 'acme', role: 'read', name: 'Rita' },
  olga: { token: 'olga-write-globex-01234567', workspace: 'globex', role: 'write', name: 'Olga' },
} satisfies Record<string, TokenEntry>;

export const ALL_TOKENS: TokenEntry[] = Object.values(TOKENS);

export const PROJECT_ROOM = 'acme/project/vision';
