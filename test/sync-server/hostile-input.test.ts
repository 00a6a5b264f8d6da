import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../sync-server/close-codes';
import { assertWellFormedUpdate, encodeUpdate } from '../../sync-server/protocol';
import { connectClient, waitFor, type TestClient } from './support/clients';
import { PROJECT_ROOM, TOKENS } from './support/fixtures';
import { openRawSocket } from './support/raw-socket';
import { startTestServer, type TestServer } from './support/sync-test-server';

let t: TestServer;
const clients: TestClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await t.close();
});

/** Two stock clients in the room; checks they still sync after the bad one is gone. */
async function bystanders() {
  const a = connectClient(t.url, PROJECT_ROOM, TOKENS.ann.token);
  const b = connectClient(t.url, PROJECT_ROOM, TOKENS.bob.token);
  clients.push(a, b);
  await Promise.all([a.synced(), b.synced()]);
  let n = 0;
  return {
    a,
    b,
    async stillSyncing() {
      const key = `after-${n++}`;
      a.doc.getMap('m').set(key, true);
      await waitFor(`${key} to reach b`, () => b.doc.getMap('m').has(key));
    },
  };
}

function updateMessage(): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('m').set('k', 'x'.repeat(50));
  return encodeUpdate(Y.encodeStateAsUpdate(doc));
}

describe('hostile input closes only the connection that sent it', () => {
  it.each([
    ['malformed bytes', [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]],
    ['an unknown message type', [9, 1, 2]],
    ['an unknown sync step', [0, 7, 0]],
    ['a truncated sync message', [...updateMessage().slice(0, 30)]],
    ['a sync message with trailing bytes', [...updateMessage(), 0]],
    ['a sync step 2 whose update is garbage', [0, 1, 5, 0xff, 0x01, 0xff, 0x02, 0x03]],
    ['a truncated awareness message', [1, 20, 1, 5, 1]],
    ['an awareness state that is not JSON', [1, 6, 1, 5, 1, 2, 0x7b, 0x7b]],
  ])('%s → 1007', async (_label, bytes) => {
    t = await startTestServer();
    const { stillSyncing } = await bystanders();
    const bad = await openRawSocket(t.url, PROJECT_ROOM, TOKENS.cai.token);
    bad.send(bytes);
    expect((await bad.closed).code).toBe(CloseCode.INVALID_PAYLOAD);
    await stillSyncing();
    expect(t.logs.some((r) => r.msg === 'closing connection' && r.code === CloseCode.INVALID_PAYLOAD && r.user === 'Cai')).toBe(true);
  });

  it('a message over the size limit → 1009', async () => {
    t = await startTestServer({ limits: { maxMessageBytes: 64 * 1024 } });
    const { stillSyncing } = await bystanders();
    const bad = await openRawSocket(t.url, PROJECT_ROOM, TOKENS.cai.token);
    const doc = new Y.Doc();
    doc.getMap('m').set('huge', 'x'.repeat(100 * 1024));
    bad.send(encodeUpdate(Y.encodeStateAsUpdate(doc)));
    expect((await bad.closed).code).toBe(CloseCode.MESSAGE_TOO_BIG);
    await stillSyncing();
    await waitFor('the reason to be logged', () => t.logs.some((r) => r.msg === 'connection error' && r.reason === 'message_too_big'));
  });

  it('a text frame → 1003', async () => {
    t = await startTestServer();
    const { stillSyncing } = await bystanders();
    const bad = await openRawSocket(t.url, PROJECT_ROOM, TOKENS.cai.token);
    bad.ws.send('hello');
    expect((await bad.closed).code).toBe(CloseCode.UNSUPPORTED_DATA);
    await stillSyncing();
  });

  it('an update that decodes but fails to integrate closes its sender; the room reloads from storage and the others resync', async () => {
    t = await startTestServer();
    const { a, b, stillSyncing } = await bystanders();
    a.doc.getMap('m').set('before', 1);
    await waitFor('before to reach b', () => b.doc.getMap('m').has('before'));
    const base = new Y.Doc();
    Y.applyUpdate(base, Y.encodeStateAsUpdate(a.doc));
    const poison = findUnappliableUpdate(base);
    const bad = await openRawSocket(t.url, PROJECT_ROOM, TOKENS.cai.token);
    bad.send(encodeUpdate(poison));
    expect((await bad.closed).code).toBe(CloseCode.INVALID_PAYLOAD);
    await waitFor('a and b to reconnect', () => a.provider.synced && b.provider.synced && a.provider.wsconnected && b.provider.wsconnected);
    await stillSyncing();
    expect(b.doc.getMap('m').get('before')).toBe(1);
    expect(t.logs.some((r) => r.msg === 'room discarded; its clients reconnect and resync')).toBe(true);
  });

  it('a flooding stock client trips the rate limit (1013), reconnects, and its changes still all arrive', async () => {
    t = await startTestServer({ limits: { messagesPerSecond: 20, messageBurst: 40 } });
    const { a, b } = await bystanders();
    const closes: number[] = [];
    a.provider.on('connection-close', (event) => closes.push(event?.code ?? -1));
    for (let i = 0; i < 300; i++) a.doc.getArray('flood').push([i]); // 300 transactions: 300 messages at once
    await waitFor('the flood to reach b through reconnects', () => b.doc.getArray('flood').length === 300, 10_000);
    expect(closes).toContain(CloseCode.TRY_AGAIN_LATER);
    expect(b.doc.getArray('flood').toJSON()).toEqual(a.doc.getArray('flood').toJSON());
    expect(t.logs.some((r) => r.msg === 'closing connection' && r.reason === 'rate limit exceeded')).toBe(true);
  });
});

/**
 * A bit-flipped variant of a real update that passes `assertWellFormedUpdate` but throws
 * when Yjs integrates it into `base` (such updates exist: decoding cannot see them).
 */
function findUnappliableUpdate(base: Y.Doc): Uint8Array {
  const author = new Y.Doc();
  author.clientID = 4242;
  Y.applyUpdate(author, Y.encodeStateAsUpdate(base));
  const before = Y.encodeStateVector(author);
  author.getMap('m').set('poison', { a: 1 });
  author.getArray('list').insert(0, ['x', 'y']);
  author.getText('t').insert(0, 'abc');
  author.getArray('list').delete(0, 1);
  const update = Y.encodeStateAsUpdate(author, before);
  for (let i = 0; i < update.length; i++) {
    for (let bit = 0; bit < 8; bit++) {
      const candidate = update.slice();
      candidate[i]! ^= 1 << bit;
      try {
        assertWellFormedUpdate(candidate);
      } catch {
        continue;
      }
      const probe = new Y.Doc();
      Y.applyUpdate(probe, Y.encodeStateAsUpdate(base));
      try {
        Y.applyUpdate(probe, candidate);
      } catch {
        return candidate;
      }
    }
  }
  throw new Error('no unappliable variant found');
}
