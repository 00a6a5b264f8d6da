import { describe, expect, it } from 'vitest';
import { ProgressMeter, type ProgressUpdate } from '../../electron/main/store/progress';

describe('progress events', () => {
  it('are throttled to one per interval, but every phase change and the end get through', () => {
    let now = 0;
    const sent: ProgressUpdate[] = [];
    const meter = new ProgressMeter((p) => sent.push(p), 100, () => now);
    meter.phase('copying', { bytesTotal: 100_000, filesTotal: 100_000 });
    for (let i = 0; i < 100_000; i++) {
      now = i / 100; // 100k updates over one second
      meter.add(1, 1);
    }
    meter.phase('finalizing');
    meter.phase('done');
    const copying = sent.filter((p) => p.phase === 'copying');
    expect(copying.length).toBeLessThanOrEqual(11);
    expect(copying[0]).toMatchObject({ bytesDone: 0 });
    expect(sent.at(-1)).toEqual({ phase: 'done', bytesDone: 100_000, bytesTotal: 100_000, filesDone: 100_000, filesTotal: 100_000 });
    expect(sent.map((p) => p.phase).filter((p, i, all) => all[i - 1] !== p)).toEqual(['copying', 'finalizing', 'done']);
  });
});
