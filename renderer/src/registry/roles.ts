import { fail, ok, type Result } from './result';
import type { Hlc } from './hlc';

export type Role = 'read' | 'write' | 'admin';

/** Who is acting: their display name, their role in the workspace, and their clock. */
export interface Actor {
  name: string;
  role: Role;
  clock: Hlc;
}

export function requireWrite(actor: Actor, what: string): Result<true> {
  return actor.role === 'read'
    ? fail('ROLE_FORBIDDEN', `You have read access to this workspace, so you cannot ${what}. Ask an admin for a write token.`)
    : ok(true);
}

export function requireAdmin(actor: Actor, what: string): Result<true> {
  return actor.role === 'admin' ? ok(true) : fail('ROLE_FORBIDDEN', `Only workspace admins can ${what}.`);
}
