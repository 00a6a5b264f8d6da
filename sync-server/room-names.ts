/**
 * Room names: `<workspace>` for a workspace doc, `<workspace>/project/<project>` for a
 * project doc. The registry model uses the same name rule, so it lives in one place.
 */

/** A workspace or project name: 1–64 characters, letters, digits, `.`, `_`, `-`; starts with a letter or digit. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export type RoomName =
  | { kind: 'workspace'; workspace: string; room: string }
  | { kind: 'project'; workspace: string; project: string; room: string };

export function isValidName(name: string): boolean {
  return NAME_PATTERN.test(name);
}

export function workspaceRoom(workspace: string): string {
  return workspace;
}

export function projectRoom(workspace: string, project: string): string {
  return `${workspace}/project/${project}`;
}

/** Parses a room name; `null` for anything that is not exactly one of the two shapes. */
export function parseRoomName(room: string): RoomName | null {
  const parts = room.split('/');
  if (parts.length === 1 && isValidName(parts[0]!)) return { kind: 'workspace', workspace: parts[0]!, room };
  if (parts.length === 3 && parts[1] === 'project' && isValidName(parts[0]!) && isValidName(parts[2]!)) {
    return { kind: 'project', workspace: parts[0]!, project: parts[2]!, room };
  }
  return null;
}
