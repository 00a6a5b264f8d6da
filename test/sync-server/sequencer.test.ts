import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SEQUENCER_ORIGIN, type Sequencer } from '../../sync-server/sequencer';
import { MemoryStorage } from '../../sync-server/storage/memory-storage';
import { connectClient, waitFor, type TestClient } from './support/clients';
import { PROJECT_ROOM, TOKENS } from './support/fixtures';
import { startTestServer, type TestServer } from './support/sync-test-server';

/**
 * A stand-in for the registry's `assignNumbers`: every entry of the `versions` map that
 * has no `n` gets the next number, in one transaction with the sequencer origin.
 */
function numberVersions() {
  const calls: string[] = [];
  const sequencer: Sequencer = ({ name, doc }) => {
    calls.push(name);
    const versions = doc.getMap<Y.Map<unknown>>('versions');
    const unnumbered = [...versions.entries()].filter(([, v]) => !v.has('n')).sort(([a], [b]) => a.localeCompare(b));
    if (unnumbered.length === 0) return;
    let next = Math.max(0, ...[...versions.values()].map((v) => (v.get('n') as number | undefined) ?? 0)) + 1;
    doc.transact(() => {
      for (const [, v] of unnumbered) v.set('n', next++);
    }, SEQUENCER_ORIGIN);
  };
  return { sequencer, calls };
}

const addVersion = (doc: Y.Doc, id: string) => doc.getMap('versions').set(id, new Y.Map<unknown>([['artifact', 'resnet']]));
const numbers = (doc: Y.Doc) =>
  Object.fromEntries([...doc.getMap<Y.Map<unknown>>('versions').entries()].map(([id, v]) => [id, v.get('n') as number | undefined]));
const allNumbered = (doc: Y.Doc, count: number) => {
  const n = Object.values(numbers(doc));
  return n.length === count && n.every((x) => typeof x === 'number');
};

/** Every (version, n) assignment a client observes, to prove a number is set once and never changed. */
function recordAssignments(doc: Y.Doc): Array<[string, unknown]> {
  const seen: Array<[string, unknown]> = [];
  doc.getMap<Y.Map<unknown>>('versions').observeDeep((events) => {
    for (const event of events) {
      if (event.target === doc.getMap('versions')) continue;
      if (event.keys.has('n')) seen.push([String((event.path[0] as string) ?? ''), (event.target as Y.Map<unknown>).get('n')]);
    }
  });
  return seen;
}

let t: TestServer;
const clients: TestClient[] = [];
const client = (token: string, options: Parameters<typeof connectClient>[3] = {}) => {
  const c = connectClient(t.url, PROJECT_ROOM, token, options);
  clients.push(c);
  return c;
};
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await t.close();
});

describe('the sequencer hook', () => {
  it('numbers each version once; the numbers are broadcast, stored, and never renumbered after a restart', async () => {
    const { sequencer, calls } = numberVersions();
    t = await startTestServer({ sequencer });
    const a = client(TOKENS.ann.token);
    const observer = client(TOKENS.rita.token);
    await Promise.all([a.synced(), observer.synced()]);
    const assignments = recordAssignments(observer.doc);
    addVersion(a.doc, 'v-1');
    await waitFor('v-1 numbered on the observer', () => allNumbered(observer.doc, 1));
    addVersion(a.doc, 'v-2');
    addVersion(a.doc, 'v-3');
    await waitFor('three numbered', () => allNumbered(observer.doc, 3) && allNumbered(a.doc, 3));
    expect(numbers(observer.doc)).toEqual({ 'v-1': 1, 'v-2': 2, 'v-3': 3 });
    expect(numbers(a.doc)).toEqual(numbers(observer.doc));
    expect(assignments.sort()).toEqual([
      ['v-1', 1],
      ['v-2', 2],
      ['v-3', 3],
    ]);
    // Its own updates never trigger it: a version costs one run (for the client's flush), not two.
    const runs = calls.length;
    addVersion(a.doc, 'v-4');
    await waitFor('v-4 numbered', () => allNumbered(observer.doc, 4));
    a.doc.getMap('meta').set('marker', true); // a later, separate flush
    await waitFor('the marker', () => observer.doc.getMap('meta').has('marker'));
    expect(calls.length).toBe(runs + 2);

    for (const c of clients.splice(0)) c.destroy();
    const before = calls.length;
    await t.restart({ sequencer });
    const after = client(TOKENS.bob.token);
    const afterAssignments = recordAssignments(after.doc);
    await waitFor('the restarted server to serve the numbers', () => allNumbered(after.doc, 4));
    expect(numbers(after.doc)).toEqual({ 'v-1': 1, 'v-2': 2, 'v-3': 3, 'v-4': 4 });
    expect(calls.length).toBe(before + 1); // ran at load, changed nothing
    addVersion(after.doc, 'v-5');
    await waitFor('v-5 numbered', () => allNumbered(after.doc, 5));
    expect(numbers(after.doc)).toEqual({ 'v-1': 1, 'v-2': 2, 'v-3': 3, 'v-4': 4, 'v-5': 5 });
    expect(afterAssignments.filter(([id]) => id === 'v-5')).toEqual([['v-5', 5]]);
    expect(afterAssignments.filter(([id]) => id !== 'v-5').every(([id, n]) => numbers(after.doc)[id] === n)).toBe(true);
  });

  it('gives concurrent offline versions on two clients one distinct permanent number each', async () => {
    const { sequencer } = numberVersions();
    t = await startTestServer({ sequencer });
    const a = client(TOKENS.ann.token, { connect: false });
    const b = client(TOKENS.bob.token, { connect: false });
    for (let i = 0; i < 5; i++) {
      addVersion(a.doc, `a-${i}`);
      addVersion(b.doc, `b-${i}`);
    }
    const watcher = client(TOKENS.cai.token);
    await watcher.synced();
    const assignments = recordAssignments(watcher.doc);
    a.provider.connect();
    b.provider.connect();
    await waitFor('all ten numbered everywhere', () => [a, b, watcher].every((c) => allNumbered(c.doc, 10)));
    const n = numbers(watcher.doc);
    expect(Object.values(n).sort((x, y) => x! - y!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(numbers(a.doc)).toEqual(n);
    expect(numbers(b.doc)).toEqual(n);
    expect(assignments).toHaveLength(10); // each version's number arrived once
  });

  it('runs after load: versions stored without numbers get them, stored and broadcast', async () => {
    const storage = new MemoryStorage();
    t = await startTestServer({ storage });
    const a = client(TOKENS.ann.token);
    addVersion(a.doc, 'old-1');
    addVersion(a.doc, 'old-2');
    await waitFor('the versions to be stored', () => storage.load(PROJECT_ROOM).log.length > 0);
    for (const c of clients.splice(0)) c.destroy();
    const { sequencer } = numberVersions();
    await t.restart({ sequencer, storage });
    const b = client(TOKENS.bob.token);
    await waitFor('numbers assigned at load', () => allNumbered(b.doc, 2));
    expect(numbers(b.doc)).toEqual({ 'old-1': 1, 'old-2': 2 });
    const stored = new Y.Doc();
    const { snapshot, log } = storage.load(PROJECT_ROOM);
    for (const u of [...(snapshot ? [snapshot] : []), ...log]) Y.applyUpdate(stored, u);
    expect(numbers(stored)).toEqual({ 'old-1': 1, 'old-2': 2 });
  });

  it('a sequencer that throws does not stop updates from being stored and forwarded', async () => {
    t = await startTestServer({
      sequencer: () => {
        throw new Error('registry bug');
      },
    });
    const a = client(TOKENS.ann.token);
    const b = client(TOKENS.bob.token);
    addVersion(a.doc, 'v-1');
    await waitFor('v-1 to reach b', () => b.doc.getMap('versions').has('v-1'));
    expect(t.logs.some((r) => r.level === 'error' && r.msg.startsWith('sequencer failed'))).toBe(true);
  });
});
