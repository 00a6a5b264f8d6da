import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, waitFor, type TestClient } from './support/clients';
import { ALL_TOKENS, PROJECT_ROOM, TOKENS } from './support/fixtures';
import { startSyncCli, type SyncCliProcess } from './support/sync-cli-process';
import { makeDataDir } from './support/sync-test-server';

let dir: string;
let server: SyncCliProcess | null = null;
const clients: TestClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  server?.child.kill('SIGKILL');
  await fs.rm(dir, { recursive: true, force: true });
});

describe('the server killed with SIGKILL while clients write', () => {
  it('keeps every update it had forwarded, and clients resync without duplicates', async () => {
    dir = await makeDataDir();
    const tokensFile = path.join(dir, 'tokens.json');
    await fs.writeFile(tokensFile, JSON.stringify(ALL_TOKENS));
    const args = ['--data', path.join(dir, 'data'), '--tokens', tokensFile];
    server = await startSyncCli([...args, '--port', '0']);
    const url = server.url;

    const writers = [connectClient(url, PROJECT_ROOM, TOKENS.ann.token), connectClient(url, PROJECT_ROOM, TOKENS.bob.token)];
    const observer = connectClient(url, PROJECT_ROOM, TOKENS.rita.token);
    clients.push(...writers, observer);
    await Promise.all(clients.map((c) => c.synced()));
    const forwarded = new Set<string>();
    observer.doc.getArray<string>('items').observe((e) => {
      for (const d of e.changes.delta) for (const item of (d.insert as string[] | undefined) ?? []) forwarded.add(item);
    });

    // Both writers push continuously; the server dies mid-stream.
    let pushes = 0;
    const timers = writers.map((w, i) =>
      setInterval(() => {
        w.doc.transact(() => {
          for (let k = 0; k < 3; k++) w.doc.getArray('items').push([`w${i}-${pushes++}`]);
        });
      }, 15),
    );
    await waitFor('a good amount forwarded', () => forwarded.size >= 300, 10_000);
    server.child.kill('SIGKILL');
    expect((await server.exited).signal).toBe('SIGKILL');
    const seenBeforeKill = new Set(forwarded);
    await new Promise((r) => setTimeout(r, 50));
    timers.forEach(clearInterval);
    for (const c of clients) c.provider.disconnect();

    // Restart on the same data dir and port; a fresh client reads what was stored.
    server = await startSyncCli([...args, '--port', String(new URL(url).port)]);
    const fresh = connectClient(server.url, PROJECT_ROOM, TOKENS.cai.token);
    clients.push(fresh);
    await fresh.synced();
    const stored = new Set(fresh.doc.getArray<string>('items').toArray());
    const lost = [...seenBeforeKill].filter((item) => !stored.has(item));
    expect(lost).toEqual([]);
    expect(stored.size).toBe(fresh.doc.getArray('items').length);

    // The writers reconnect: what the server never stored arrives now, exactly once.
    for (const c of [...writers, observer]) c.provider.connect();
    await waitFor('everyone to converge on every push', () => clients.every((c) => c.doc.getArray('items').length === pushes), 10_000);
    for (const c of clients) {
      const items = c.doc.getArray<string>('items').toArray();
      expect(new Set(items).size).toBe(pushes);
    }
  });
});
