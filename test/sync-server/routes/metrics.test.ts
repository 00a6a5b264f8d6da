import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectClient, waitFor } from '../support/clients';
import { PROJECT_ROOM, TOKENS } from '../support/fixtures';
import { upgradeStatus } from '../support/raw-socket';
import { startTestServer, type TestServer } from '../support/sync-test-server';

/**
 * A strict reader of the Prometheus text exposition format (0.0.4): every line is a
 * HELP, a TYPE or a sample; a family's TYPE precedes its samples; names and label
 * syntax follow the spec; values are floats. Returns sample values by series.
 */
function parseExposition(text: string): Map<string, number> {
  const name = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  const labelPair = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
  const sample = new RegExp(`^(${name})(\\{(?:${labelPair})(?:,${labelPair})*\\})? (-?(?:\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?|NaN|\\+Inf|-Inf))$`);
  const typed = new Map<string, string>();
  const series = new Map<string, number>();
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.slice(0, -1).split('\n')) {
    const help = new RegExp(`^# HELP (${name}) .+$`).exec(line);
    const type = new RegExp(`^# TYPE (${name}) (counter|gauge|histogram|summary|untyped)$`).exec(line);
    if (help) continue;
    if (type) {
      expect(typed.has(type[1]!), `TYPE declared twice for ${type[1]}`).toBe(false);
      typed.set(type[1]!, type[2]!);
      continue;
    }
    const m = sample.exec(line);
    expect(m, `not a valid exposition line: ${JSON.stringify(line)}`).not.toBeNull();
    expect(typed.has(m![1]!), `sample before its TYPE: ${m![1]}`).toBe(true);
    if (typed.get(m![1]!) === 'counter') expect(m![1]!.endsWith('_total')).toBe(true);
    series.set(`${m![1]}${m![2] ?? ''}`, Number(m![3]));
  }
  return series;
}

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

describe('GET /metrics', () => {
  it('is Prometheus text that counts rooms, connections, updates and stored bytes', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {}); // the stock client warns about the refused write
    const a = connectClient(t.url, PROJECT_ROOM, TOKENS.ann.token);
    const b = connectClient(t.url, PROJECT_ROOM, TOKENS.rita.token);
    await Promise.all([a.synced(), b.synced()]);
    a.doc.getMap('versions').set('v1', { digest: 'aa' });
    b.doc.getMap('versions').set('v2', { digest: 'bb' }); // read token: refused
    await waitFor('v1 to reach the reader', () => b.doc.getMap('versions').has('v1'));
    await upgradeStatus(t.url, `/${PROJECT_ROOM}?token=nope-nope-nope-nope`);

    const res = await fetch(`${t.httpUrl}/metrics`);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const m = parseExposition(await res.text());
    expect(m.get('cairn_sync_rooms_loaded')).toBe(1);
    expect(m.get('cairn_sync_connections')).toBe(2);
    expect(m.get('cairn_sync_updates_applied_total{origin="client"}')).toBe(1);
    expect(m.get('cairn_sync_updates_refused_total{reason="read_only"}')).toBeGreaterThanOrEqual(1);
    expect(m.get('cairn_sync_updates_received_total')).toBeGreaterThanOrEqual(3);
    expect(m.get('cairn_sync_upgrades_refused_total{reason="unauthorized"}')).toBe(1);
    expect(m.get('cairn_sync_stored_bytes')).toBeGreaterThan(0);
    expect(m.get('cairn_sync_compactions_total')).toBe(0);
    a.destroy();
    b.destroy();
  });
});
