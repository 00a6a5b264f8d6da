import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNEL, ipcChannel, methodNames, type CallContext, type HostServices } from '../../electron/shared/contract';
import { unusedStoreServices } from '../support/unused-store-services';

vi.mock('electron', () => import('./fake-electron'));
const { ipcHandlers, FakeWebContents } = await import('./fake-electron');
const { registerHostIpc } = await import('../../electron/main/ipc.electron');

const ORIGIN = 'cairn://app';
const appFrame = { url: 'cairn://app/index.html', parent: null };

function fakeServices() {
  const info = vi.fn(async () => ({ name: 'Cairn', version: '1.0.0', dataDir: '/d', platform: 'linux', shell: 'electron' as const }));
  return { services: { app: { info }, store: unusedStoreServices } satisfies HostServices, info };
}

function invoke(channel: string, senderFrame: unknown, args: unknown, sender = new FakeWebContents()) {
  const handler = ipcHandlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return handler({ senderFrame, sender }, args) as Promise<unknown>;
}

describe('host IPC', () => {
  let unregister: () => void;
  let info: ReturnType<typeof fakeServices>['info'];

  beforeEach(() => {
    unregister?.();
    const fake = fakeServices();
    info = fake.info;
    unregister = registerHostIpc(fake.services, ORIGIN);
  });

  it('registers exactly one handler per contract method', () => {
    expect([...ipcHandlers.keys()].sort()).toEqual(methodNames().map(ipcChannel).sort());
  });

  it('serves a call from the app page', async () => {
    await expect(invoke(ipcChannel('app.info'), appFrame, [])).resolves.toEqual({
      ok: true,
      value: expect.objectContaining({ version: '1.0.0' }),
    });
    expect(info).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['extra arguments', ['surprise']],
    ['a non-array payload', { args: [] }],
    ['no payload', undefined],
  ])('refuses %s before anything runs', async (_label, args) => {
    const reply = await invoke(ipcChannel('app.info'), appFrame, args);
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENTS' } });
    expect(info).not.toHaveBeenCalled();
  });

  it.each([
    ['a foreign page', { url: 'https://evil.example/', parent: null }],
    ['a file:// page', { url: 'file:///tmp/x.html', parent: null }],
    ['another custom scheme', { url: 'other://app/index.html', parent: null }],
    ['an iframe inside the app', { url: 'cairn://app/index.html', parent: appFrame }],
    ['a destroyed frame', null],
  ])('refuses calls from %s', async (_label, frame) => {
    const reply = await invoke(ipcChannel('app.info'), frame, []);
    expect(reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(info).not.toHaveBeenCalled();
  });

  it('pushes events back to the calling window only while it lives', async () => {
    const sender = new FakeWebContents();
    unregister();
    let emitted = false;
    const services: HostServices = {
      app: {
        info: async (ctx: CallContext) => {
          const emit = ctx.emit as (e: string, p: unknown) => void;
          emit('test.event', { n: 1 });
          sender.destroyed = true;
          emit('test.event', { n: 2 });
          emitted = true;
          return { name: 'Cairn', version: '1', dataDir: '/d', platform: 'linux', shell: 'electron' as const };
        },
      },
      store: unusedStoreServices,
    };
    unregister = registerHostIpc(services, ORIGIN);
    await invoke(ipcChannel('app.info'), appFrame, [], sender);
    expect(emitted).toBe(true);
    expect(sender.sent).toEqual([{ channel: EVENT_CHANNEL, message: { event: 'test.event', payload: { n: 1 } } }]);
  });

  it('unregisters every handler', () => {
    unregister();
    expect(ipcHandlers.size).toBe(0);
    unregister = () => {};
  });
});
