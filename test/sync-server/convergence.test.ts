import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { encodeAwareness } from '../../sync-server/protocol';
import { connectClient, waitFor, type TestClient } from './support/clients';
import { openRawSocket } from './support/raw-socket';
import { PROJECT_ROOM, TOKENS } from './support/fixtures';
import { startTestServer, type TestServer } from './support/sync-test-server';

let t: TestServer;
const clients: TestClient[] = [];
const client = (token: string, user?: Record<string, unknown>, room = PROJECT_ROOM) => {
  const c = connectClient(t.url, room, token, user ? { user } : {});
  clients.push(c);
  return c;
};

beforeEach(async () => {
  t = await startTestServer();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await t.close();
});

describe('stock y-websocket clients', () => {
  it('two clients converge on maps and arrays, including concurrent edits', async () => {
    const a = client(TOKENS.ann.token);
    const b = client(TOKENS.bob.token);
    await Promise.all([a.synced(), b.synced()]);
    a.doc.getMap('versions').set('v-a', { artifact: 'resnet', digest: 'aa' });
    b.doc.getMap('versions').set('v-b', { artifact: 'resnet', digest: 'bb' });
    a.doc.getArray('aliasMoves').push([{ alias: 'best', target: 'v-a' }]);
    b.doc.getArray('aliasMoves').push([{ alias: 'best', target: 'v-b' }]);
    await waitFor('both maps to hold both versions', () => [a, b].every((c) => c.doc.getMap('versions').size === 2 && c.doc.getArray('aliasMoves').length === 2));
    expect(a.doc.getMap('versions').toJSON()).toEqual(b.doc.getMap('versions').toJSON());
    expect(a.doc.getArray('aliasMoves').toJSON()).toEqual(b.doc.getArray('aliasMoves').toJSON());
  });

  it('three clients converge, and a late joiner receives everything', async () => {
    const [a, b, c] = [client(TOKENS.ann.token), client(TOKENS.bob.token), client(TOKENS.cai.token)];
    await Promise.all([a, b, c].map((x) => x.synced()));
    [a, b, c].forEach((x, i) => {
      for (let n = 0; n < 20; n++) x.doc.getArray('items').push([`${i}-${n}`]);
      x.doc.getMap('meta').set(`by-${i}`, i);
    });
    await waitFor('60 items everywhere', () => [a, b, c].every((x) => x.doc.getArray('items').length === 60));
    const late = client(TOKENS.ann.token);
    await late.synced();
    await waitFor('the late joiner to catch up', () => late.doc.getArray('items').length === 60);
    const expected = a.doc.getArray('items').toJSON();
    for (const x of [b, c, late]) expect(x.doc.getArray('items').toJSON()).toEqual(expected);
    expect(new Set(expected).size).toBe(60);
    expect(late.doc.getMap('meta').toJSON()).toEqual({ 'by-0': 0, 'by-1': 1, 'by-2': 2 });
  });

  it('serves new clients the same state whether or not its cached full state is still fresh', async () => {
    const a = client(TOKENS.ann.token);
    await a.synced();
    a.doc.getMap('versions').set('v0', { n: 0 });
    const early = client(TOKENS.bob.token); // builds the cached answer for empty clients
    await waitFor('early to have v0', () => early.doc.getMap('versions').has('v0'));
    for (let i = 0; i < 20; i++) a.doc.getArray('moves').push([i]); // a short tail after the cache
    const mid = client(TOKENS.cai.token);
    await waitFor('mid to have 20 moves', () => mid.doc.getArray('moves').length === 20);
    for (let i = 20; i < 320; i++) a.doc.getArray('moves').push([i]); // more than the cache keeps: it is rebuilt
    const late = client(TOKENS.rita.token);
    await waitFor('late to have 320 moves', () => late.doc.getArray('moves').length === 320);
    for (const c of [early, mid, late]) {
      await waitFor('everyone to have 320 moves', () => c.doc.getArray('moves').length === 320);
      expect(c.doc.getArray('moves').toJSON()).toEqual(a.doc.getArray('moves').toJSON());
      expect(c.doc.getMap('versions').toJSON()).toEqual({ v0: { n: 0 } });
    }
  });

  it('keeps rooms apart: a workspace doc and two project docs', async () => {
    const ws = client(TOKENS.ann.token, undefined, 'acme');
    const p1 = client(TOKENS.ann.token, undefined, 'acme/project/vision');
    const p2 = client(TOKENS.bob.token, undefined, 'acme/project/speech');
    await Promise.all([ws, p1, p2].map((x) => x.synced()));
    ws.doc.getMap('projects').set('vision', true);
    p1.doc.getMap('versions').set('v1', 1);
    const p1b = client(TOKENS.bob.token, undefined, 'acme/project/vision');
    await waitFor('the second vision client to see v1', () => p1b.doc.getMap('versions').has('v1'));
    expect(p2.doc.getMap('versions').size).toBe(0);
    expect(p2.doc.getMap('projects').size).toBe(0);
  });

  it('awareness: each client sees the other, and a departure is seen', async () => {
    const a = client(TOKENS.ann.token, { name: 'Ann', viewing: 'resnet:v3' });
    const b = client(TOKENS.bob.token, { name: 'Bob', viewing: 'overview' });
    await Promise.all([a.synced(), b.synced()]);
    const names = (c: TestClient) => [...c.provider.awareness.getStates().values()].map((s) => (s.user as { name: string } | undefined)?.name).sort();
    await waitFor('both names on both sides', () => names(a).join() === 'Ann,Bob' && names(b).join() === 'Ann,Bob');
    expect(b.provider.awareness.getStates().get(a.doc.clientID)).toEqual({ user: { name: 'Ann', viewing: 'resnet:v3' } });
    a.provider.awareness.setLocalStateField('user', { name: 'Ann', viewing: 'resnet:v4' });
    await waitFor('the change to reach Bob', () => (b.provider.awareness.getStates().get(a.doc.clientID)?.user as { viewing: string }).viewing === 'resnet:v4');
    // A third client joining later is told who is already here.
    const c = client(TOKENS.cai.token, { name: 'Cai' });
    await waitFor('Cai to see Ann and Bob', () => names(c).join() === 'Ann,Bob,Cai');
    clients.splice(clients.indexOf(a), 1);
    a.destroy();
    await waitFor('Ann to leave Bob’s view', () => names(b).join() === 'Bob,Cai');
  });

  it('awareness: no one speaks for another token\'s client; a reconnecting client takes its own back', async () => {
    const a = client(TOKENS.ann.token, { name: 'Ann', viewing: 'resnet:v3' });
    const c = client(TOKENS.cai.token, { name: 'Cai' });
    await Promise.all([a.synced(), c.synced()]);
    const annSeenByCai = () => c.provider.awareness.getStates().get(a.doc.clientID)?.user as { name: string; viewing: string } | undefined;
    await waitFor('Cai to see Ann', () => annSeenByCai()?.viewing === 'resnet:v3');
    // Bob's own client, modified: it claims Ann's client id, first to rename her, then to remove her.
    const mallory = new awarenessProtocol.Awareness(new Y.Doc());
    mallory.clientID = a.doc.clientID;
    const raw = await openRawSocket(t.url, PROJECT_ROOM, TOKENS.bob.token);
    const send = (state: unknown, clock: number) => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, a.doc.clientID);
      encoding.writeVarUint(e, clock);
      encoding.writeVarString(e, JSON.stringify(state));
      raw.send(encodeAwareness(encoding.toUint8Array(e)));
    };
    send({ user: { name: 'Ann', viewing: 'leaving the company' } }, 1_000);
    send(null, 1_001);
    // Both refused (counted once handled), and Ann is as she was.
    const refused = async () => Number(/^cairn_sync_presence_refused_total (\d+)$/m.exec(await (await fetch(`${t.url.replace('ws:', 'http:')}/metrics`)).text())?.[1]);
    for (let i = 0; (await refused()) < 2 && i < 100; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await refused()).toBe(2);
    await new Promise((r) => setTimeout(r, 100));
    expect(annSeenByCai()).toEqual({ name: 'Ann', viewing: 'resnet:v3' });

    // Ann's app reconnects on a new connection before the server noticed the old one
    // dropped: same token, so her presence moves to the new connection.
    // Ann goes away; Bob squats her id with a huge clock so her return would look stale.
    const annId = a.doc.clientID;
    clients.splice(clients.indexOf(a), 1);
    a.destroy();
    await waitFor('Ann to leave Cai’s view', () => !c.provider.awareness.getStates().has(annId));
    send({ user: { name: 'Ann', viewing: 'squatted' } }, 1_000_000);
    for (let i = 0; (await refused()) < 3 && i < 100; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await refused()).toBe(3);
    expect(c.provider.awareness.getStates().has(annId)).toBe(false);

    const sameClient = new Y.Doc();
    sameClient.clientID = annId;
    const again = connectClient(t.url, PROJECT_ROOM, TOKENS.ann.token, { doc: sameClient });
    clients.push(again);
    await again.synced();
    // (The same client's clock runs on: its next state is newer than the one the server holds.)
    again.provider.awareness.setLocalState({ user: { name: 'Ann', viewing: 'resnet:v8' } });
    again.provider.awareness.setLocalState({ user: { name: 'Ann', viewing: 'resnet:v9' } });
    await waitFor('Ann to be seen from her new connection', () => annSeenByCai()?.viewing === 'resnet:v9');
    raw.ws.close();
    mallory.destroy();
  });
});
