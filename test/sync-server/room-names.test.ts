import { describe, expect, it } from 'vitest';
import { NAME_PATTERN, parseRoomName, projectRoom, workspaceRoom } from '../../sync-server/room-names';

describe('room names', () => {
  it.each(['acme', 'a', 'A1', 'team.ml', 'my_team-2', 'x'.repeat(64)])('accepts the name %s', (name) => {
    expect(NAME_PATTERN.test(name)).toBe(true);
  });

  it.each(['', '.hidden', '-x', '_x', 'a b', 'a/b', 'é', 'x'.repeat(65), 'a%2Fb', 'a:b'])('refuses the name %j', (name) => {
    expect(NAME_PATTERN.test(name)).toBe(false);
  });

  it('parses the two room shapes and round-trips them', () => {
    expect(parseRoomName('acme')).toEqual({ kind: 'workspace', workspace: 'acme', room: 'acme' });
    expect(parseRoomName('acme/project/vision')).toEqual({ kind: 'project', workspace: 'acme', project: 'vision', room: 'acme/project/vision' });
    expect(parseRoomName(workspaceRoom('acme'))?.kind).toBe('workspace');
    expect(parseRoomName(projectRoom('acme', 'vision'))?.kind).toBe('project');
  });

  it.each(['', '/', 'acme/', '/acme', 'acme/vision', 'acme/projects/vision', 'acme/project/', 'acme/project/a/b', 'acme//project', '../acme', 'acme/project/..'])(
    'refuses the room %j',
    (room) => {
      expect(parseRoomName(room)).toBeNull();
    },
  );
});
