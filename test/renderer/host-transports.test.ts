import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HostApi, HostServices } from '../../electron/shared/contract';
import { HostError } from '../../electron/shared/host-error';
import { startWebServer, type WebServer } from '../../electron/main/web/server';
import { createEventStreamParser } from '../../renderer/src/host/event-stream';
import { createHttpHost } from '../../renderer/src/host/http-host';
import { wrapIpcHost } from '../../renderer/src/host/ipc-host';
import { createAppStore } from '../../renderer/src/state/app-store';
import { makeRendererFixture } from '../support/renderer-fixture';
import { unusedStoreServices } from '../support/unused-store-services';

const INFO = { name: 'Cairn', version: '2.0.0', dataDir: '/srv/cairn', platform: 'linux', shell: 'web' as const };

describe('the web transport against a real web-mode server', () => {
  let server: WebServer;
  let fixture: Awaited<ReturnType<typeof makeRendererFixture>>;
  const services: HostServices = { app: { info: async () => INFO }, store: unusedStoreServices };

  beforeAll(async () => {
    fixture = await makeRendererFixture();
    server = await startWebServer({ services, token: 'secret', rendererDir: fixture.rendererDir });
  });
  afterAll(async () => {
    await server.close();
    await fixture.remove();
  });

  it('calls contract methods with the token', async () => {
    const host = createHttpHost(server.url.replace(/\/$/, ''), 'secret');
    await expect(host.app.info()).resolves.toEqual(INFO);
  });

  it('turns a refused token into a HostError that tells the user what to do', async () => {
    const host = createHttpHost(server.url.replace(/\/$/, ''), 'wrong');
    const error = await host.app.info().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostError);
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('npm run web') });
  });

  it('says the host is unreachable when nothing listens', async () => {
    const idle = http.createServer();
    await new Promise<void>((r) => idle.listen(0, '127.0.0.1', r));
    const port = (idle.address() as { port: number }).port;
    await new Promise<void>((r) => idle.close(() => r()));
    const host = createHttpHost(`http://127.0.0.1:${port}`, 'secret');
    await expect(host.app.info()).rejects.toMatchObject({ code: 'HOST_UNREACHABLE' });
  });
});

describe('the Electron transport wrapper', () => {
  it('rebuilds HostErrors from the "CODE: message" that crosses contextBridge', async () => {
    const bridge = {
      app: { info: vi.fn(async () => Promise.reject(new Error('FORBIDDEN_SENDER: app.info may only be called by the Cairn window'))) },
      on: vi.fn(),
    } as unknown as HostApi;
    const error = await wrapIpcHost(bridge).app.info().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostError);
    expect(error).toMatchObject({ code: 'FORBIDDEN_SENDER', message: 'app.info may only be called by the Cairn window' });
  });

  it('passes values and the event subscription through', async () => {
    const on = vi.fn();
    const host = wrapIpcHost({ app: { info: async () => INFO }, on } as unknown as HostApi);
    await expect(host.app.info()).resolves.toEqual(INFO);
    expect(host.on).toBe(on);
  });
});

describe('the Server-Sent Events parser', () => {
  it('returns whole events across arbitrary chunk boundaries and drops comments', () => {
    const parse = createEventStreamParser();
    const text = ': connected\n\nevent: store.progress\ndata: {"bytes":1}\n\n: ping\n\nevent: store.progress\r\ndata: {"bytes":2}\r\n\r\n';
    const events = [...text].flatMap((ch) => parse(ch));
    expect(events).toEqual([
      { event: 'store.progress', data: '{"bytes":1}' },
      { event: 'store.progress', data: '{"bytes":2}' },
    ]);
  });

  it('joins multi-line data and defaults the event name', () => {
    expect(createEventStreamParser()('data: a\ndata: b\n\n')).toEqual([{ event: 'message', data: 'a\nb' }]);
  });
});

describe('the app store', () => {
  it('goes from loading to ready with the host info', async () => {
    const store = createAppStore({ app: { info: async () => INFO } } as unknown as HostApi);
    expect(store.getState().info.status).toBe('loading');
    await store.getState().loadInfo();
    expect(store.getState().info).toEqual({ status: 'ready', value: INFO });
  });

  it('keeps the error code and message for the UI', async () => {
    const store = createAppStore({
      app: { info: async () => Promise.reject(new HostError('UNAUTHORIZED', 'Missing or wrong token')) },
    } as unknown as HostApi);
    await store.getState().loadInfo();
    expect(store.getState().info).toEqual({ status: 'error', code: 'UNAUTHORIZED', message: 'Missing or wrong token' });
  });
});
