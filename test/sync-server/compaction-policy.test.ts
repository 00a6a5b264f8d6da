import { describe, expect, it } from 'vitest';
import { compactionDue, DEFAULT_LIMITS } from '../../sync-server/limits';

const MiB = 1024 * 1024;
const due = (logCount: number, logBytes: number, snapshotBytes: number) => compactionDue({ logCount, logBytes, snapshotBytes }, DEFAULT_LIMITS);

describe('when a room is compacted', () => {
  it('a small room: after 500 updates or 4 MiB of log, whichever comes first', () => {
    expect(due(499, 1_000, 50_000)).toBe(false);
    expect(due(500, 1_000, 50_000)).toBe(true);
    expect(due(10, 4 * MiB, 50_000)).toBe(true);
    expect(due(10, 4 * MiB - 1, 0)).toBe(false);
  });

  it('a 77 MB project is not rewritten every 500 alias moves: the thresholds scale with its snapshot', () => {
    const snapshot = 77 * 1000 * 1000;
    expect(due(500, 100_000, snapshot)).toBe(false);
    expect(due(4_000, 4 * MiB, snapshot)).toBe(false);
    expect(due(Math.floor(snapshot / 16_384), 1_000_000, snapshot)).toBe(true); // ~4,700 updates
    expect(due(100, snapshot / 4, snapshot)).toBe(true); // a quarter of its size logged
  });
});
