import { describe, expect, it } from 'vitest';
import { VERSION_ID_PATTERN } from '../../electron/shared/contract';
import { assertVersionId, newVersionId } from '../../electron/main/store/version-id';

describe('version ids', () => {
  it('are 26 lowercase Crockford base32 characters, unique, and sort by creation time', () => {
    const ids = Array.from({ length: 1000 }, () => newVersionId());
    for (const id of ids) expect(id).toMatch(VERSION_ID_PATTERN);
    expect(new Set(ids).size).toBe(ids.length);
    const earlier = newVersionId(Date.UTC(2024, 0, 1));
    const later = newVersionId(Date.UTC(2024, 0, 1) + 1);
    expect(earlier < later).toBe(true);
  });

  it.each(['../x', '..', '', 'a'.repeat(26) + '/', '01HZZZZZZZZZZZZZZZZZZZZZZZ', '01hzzzzzzzzzzzzzzzzzzzzzzu', '01hzzzzzzzzzzzzzzzzzzzzzz\0', ' 01hzzzzzzzzzzzzzzzzzzzzzz'])(
    'refuses %j',
    (id) => {
      expect(() => assertVersionId(id)).toThrow(expect.objectContaining({ code: 'VERSION_ID_INVALID' }));
    },
  );
});
