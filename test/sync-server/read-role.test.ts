import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { connectClient, waitFor, type TestClient } from './support/clients';
import { PROJECT_ROOM, TOKENS } from './support/fixtures';
import { startTestServer, type TestServer } from './support/sync-test-server';

let t: TestServer;
const clients: TestClient[] = [];
const client = (...args: Parameters<typeof connectClient> extends [string, string, string, ...infer R] ? [string, ...R] : never) => {
  const c = connectClient(t.url, PROJECT_ROOM, ...args);
  clients.push(c);
  return c;
};
let warn: { mock: { calls: unknown[][] }; mockRestore(): void };

beforeEach(async () => {
  t = await startTestServer();
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await t.close();
  warn.mockRestore();
});

describe('a read token', () => {
  it('catches up and receives updates, but its writes are never applied, forwarded or stored', async () => {
    const ann = client(TOKENS.ann.token);
    await ann.synced();
    ann.doc.getMap('versions').set('v1', { by: 'ann' });
    // Rita has offline edits before she connects: they travel in her sync step 2.
    const offline = new Y.Doc();
    offline.getMap('versions').set('offline', { by: 'rita' });
    const rita = client(TOKENS.rita.token, { doc: offline });
    await rita.synced();
    await waitFor('Rita to catch up with v1', () => rita.doc.getMap('versions').has('v1'));
    rita.doc.getMap('versions').set('live', { by: 'rita' });
    rita.doc.getArray('aliasMoves').push([{ alias: 'production', target: 'v1' }]);
    // The server reads a connection's messages in order: once Ann sees this, Rita's writes were handled.
    rita.provider.awareness.setLocalStateField('done', true);
    await waitFor('Rita’s marker to reach Ann', () => ann.provider.awareness.getStates().get(rita.doc.clientID)?.done === true);
    ann.doc.getMap('versions').set('v2', { by: 'ann' });
    await waitFor('v2 to reach Rita', () => rita.doc.getMap('versions').has('v2'));

    // A fresh client sees exactly what writers wrote.
    const fresh = client(TOKENS.bob.token);
    await fresh.synced();
    await waitFor('the fresh client to have v2', () => fresh.doc.getMap('versions').has('v2'));
    for (const c of [ann, fresh]) {
      expect(Object.keys(c.doc.getMap('versions').toJSON()).sort()).toEqual(['v1', 'v2']);
      expect(c.doc.getArray('aliasMoves').length).toBe(0);
    }
    // The stock client is told once, through y-protocols' permission-denied message.
    expect(warn.mock.calls.filter((call: unknown[]) => String(call[1] ?? call[0]).includes('read-only token'))).toHaveLength(1);

    // And nothing of Rita's was stored.
    for (const c of clients.splice(0)) c.destroy();
    await t.restart();
    const afterRestart = client(TOKENS.ann.token);
    await afterRestart.synced();
    await waitFor('the stored state', () => afterRestart.doc.getMap('versions').size === 2);
    expect(Object.keys(afterRestart.doc.getMap('versions').toJSON()).sort()).toEqual(['v1', 'v2']);
    expect(afterRestart.doc.getArray('aliasMoves').length).toBe(0);
  });

  it('is seen online: its awareness is forwarded', async () => {
    const ann = client(TOKENS.ann.token, { user: { name: 'Ann' } });
    const rita = client(TOKENS.rita.token, { user: { name: 'Rita', viewing: 'resnet:production' } });
    await Promise.all([ann.synced(), rita.synced()]);
    await waitFor('Ann to see Rita', () => ann.provider.awareness.getStates().has(rita.doc.clientID));
    expect(ann.provider.awareness.getStates().get(rita.doc.clientID)).toEqual({ user: { name: 'Rita', viewing: 'resnet:production' } });
  });
});
