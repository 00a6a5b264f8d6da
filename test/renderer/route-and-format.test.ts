import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatMetric, formatRelative, formatSignedBytes } from '../../renderer/src/format';
import { formatRoute, parseRoute, type Route } from '../../renderer/src/state/route-paths';

describe('routes', () => {
  it.each<Route>([
    { page: 'home' },
    { page: 'settings' },
    { page: 'project', project: 'vision' },
    { page: 'artifact', project: 'vision', artifact: 'resnet50' },
    { page: 'version', project: 'vision', artifact: 'resnet50', versionId: '01jq7k2m3n4p5q6r7s8t9v0w1x' },
    { page: 'compare', project: 'vision', artifact: 'run.v2_a-b', a: 'x1', b: 'y2' },
    { page: 'model', model: 'fraud-detector' },
  ])('round-trips %j through the URL hash', (route) => {
    expect(parseRoute(formatRoute(route))).toEqual(route);
  });

  it('falls back to home for unknown or malformed hashes', () => {
    expect(parseRoute('')).toEqual({ page: 'home' });
    expect(parseRoute('#/nope/x')).toEqual({ page: 'home' });
    expect(parseRoute('#/p/%E0%A4%A/a/x')).toMatchObject({ page: 'artifact', artifact: 'x' });
  });
});

describe('formatting', () => {
  it('prints sizes, durations and metrics the way the tables need', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1_234)).toBe('1.23 KB');
    expect(formatBytes(481_000_000)).toBe('481 MB');
    expect(formatSignedBytes(-2_000_000)).toBe('−2.00 MB');
    expect(formatSignedBytes(0)).toBe('±0 B');
    expect(formatDuration(0.4)).toBe('<1 s');
    expect(formatDuration(75)).toBe('1 min 15 s');
    expect(formatMetric(0.123456)).toBe('0.1235');
    expect(formatMetric(12)).toBe('12');
    expect(formatMetric(0.00003)).toBe('3.000e-5');
    expect(formatMetric(undefined)).toBe('—');
    expect(formatRelative(Date.now() - 5 * 60_000)).toBe('5 min ago');
  });
});
