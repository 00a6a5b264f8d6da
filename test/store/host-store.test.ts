import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostApi, StoreProgress } from '../../electron/shared/contract';
import { openHost, type Host } from '../../electron/main/host-services';
import { startWebServer, type WebServer } from '../../electron/main/web/server';
import { createHttpHost } from '../../renderer/src/host/http-host';
import { makeRendererFixture } from '../support/renderer-fixture';
import { expectError, expectNothingStored, randomBytes, removeDir, tempDir, writeTree } from './support';

let root: string;
let src: string;
let host: Host;
let server: WebServer;
let api: HostApi;
let fixture: Awaited<ReturnType<typeof makeRendererFixture>>;

beforeAll(async () => {
  root = await tempDir();
  src = path.join(root, 'src');
  await writeTree(src, { 'config.json': '{}', 'weights/w.bin': randomBytes(40 * 1024 * 1024, 'w') });
  fixture = await makeRendererFixture();
  host = await openHost({ dataDir: path.join(root, 'data'), version: '0.0.0-test', shell: 'web' });
  server = await startWebServer({ services: host.services, token: 'secret', rendererDir: fixture.rendererDir });
  // The renderer's own web transport: the store as the UI will reach it.
  api = createHttpHost(server.url.replace(/\/$/, ''), 'secret');
});
afterAll(async () => {
  await server.close();
  await host.close();
  await fixture.remove();
  await removeDir(root);
});

/** Subscribes to store.progress and waits until the event stream is connected. */
async function collectProgress(opId: string): Promise<{ events: StoreProgress[]; stop: () => void }> {
  const events: StoreProgress[] = [];
  const stop = api.on('store.progress', (p) => {
    if (p.opId === opId) events.push(p);
  });
  // The SSE stream opens asynchronously: probe with a cheap operation until its events arrive.
  const probe = `probe-${Math.random().toString(36).slice(2)}`;
  let seen = false;
  const off = api.on('store.progress', (p) => void (p.opId === probe && (seen = true)));
  await until(async () => {
    await api.store.verify(probe, null);
    return seen;
  });
  off();
  return { events, stop };
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the store over the host API (web mode, the renderer\'s HTTP transport)', () => {
  it('commits, pushing throttled progress events for its opId, and lists the version', async () => {
    const { events, stop } = await collectProgress('commit-1');
    const result = await api.store.commit('commit-1', [src]);
    await until(() => events.at(-1)?.phase === 'done');
    stop();
    expect(result).toMatchObject({ files: 2, reused: false, manifest: { files: expect.any(Array) } });
    expect(events.at(-1)).toEqual({ opId: 'commit-1', phase: 'done', bytesDone: result.bytes, bytesTotal: result.bytes, filesDone: 2, filesTotal: 2 });
    expect(events.map((e) => e.phase)).toContain('copying');
    expect(await api.store.list()).toEqual([expect.objectContaining({ versionId: result.versionId, digest: result.digest })]);
    expect((await api.store.verify('verify-1', result.versionId)).ok).toBe(true);
  });

  it('cancels a running commit by opId; nothing of it is kept', async () => {
    const dataDir = path.join(root, 'cancel-data');
    const local = await openHost({ dataDir, version: '0', shell: 'web' });
    const ctx = {
      emit: (_event: string, p: StoreProgress) => {
        if (p.phase === 'copying' && p.bytesDone === 0) void local.services.store.cancel('op-c', ctx as never);
      },
    };
    await writeTree(root, { 'fresh/w.bin': randomBytes(32 * 1024 * 1024, 'fresh') });
    await expectError(local.services.store.commit('op-c', [path.join(root, 'fresh')], ctx as never), 'COMMIT_CANCELLED');
    expect(await local.services.store.cancel('op-c', ctx as never)).toEqual({ cancelled: false });
    await expectNothingStored(dataDir);
    await local.close();
  });

  it('refuses a second operation with an opId that is still running', async () => {
    const dataDir = path.join(root, 'opid-data');
    const local = await openHost({ dataDir, version: '0', shell: 'web' });
    let second: Promise<unknown> | undefined;
    const ctx = {
      emit: (_event: string, p: StoreProgress) => {
        if (p.phase === 'copying') second ??= local.services.store.verify('same', null, ctx as never).catch((e: unknown) => e);
      },
    };
    await local.services.store.commit('same', [src], ctx as never);
    expect(await second).toMatchObject({ code: 'OP_ID_IN_USE' });
    await local.close();
  });

  it.each([
    ['a relative source', () => api.store.commit('x', ['relative/path']), 'SOURCE_PATH_INVALID'],
    ['a version id with a path in it', () => api.store.remove('../../etc/passwd'), 'INVALID_ARGUMENTS'],
    ['an opId with a slash', () => api.store.gc('a/b'), 'INVALID_ARGUMENTS'],
    ['an unknown version', () => api.store.remove('01hzzzzzzzzzzzzzzzzzzzzzzz'), 'VERSION_NOT_FOUND'],
  ])('answers %s with an error a user can act on', async (_label, call, code) => {
    await expectError(call(), code);
  });

  it('removes and collects garbage', async () => {
    const [version] = await api.store.list();
    await api.store.remove(version!.versionId);
    const report = await api.store.gc('gc-1');
    expect(report.blobsRemoved).toBe(2);
    expect(await api.store.list()).toEqual([]);
  });
});
