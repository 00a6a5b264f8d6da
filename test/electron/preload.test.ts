import { describe, expect, it, vi } from 'vitest';
import { contract, EVENT_CHANNEL } from '../../electron/shared/contract';

vi.mock('electron', () => import('./fake-electron'));
const electron = await import('./fake-electron');
await import('../../electron/preload/index');

type Api = Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>> & {
  on: (event: string, fn: (p: unknown) => void) => () => void;
};
const api = electron.exposed.cairn as Api;

describe('the preload bridge', () => {
  it('exposes exactly the contract as window.cairn, and nothing else', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(Object.keys(api).sort()).toEqual([...Object.keys(contract), 'on', 'droppedPath'].sort());
    for (const [ns, methods] of Object.entries(contract)) {
      expect(Object.keys(api[ns]!).sort()).toEqual(Object.keys(methods).sort());
    }
  });

  it('invokes the method channel with the argument list and unwraps the value', async () => {
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: { version: '1.2.3' } });
    await expect(api.app!.info!()).resolves.toEqual({ version: '1.2.3' });
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith('cairn:app.info', []);
  });

  it('turns a failed reply into an error that keeps its code', async () => {
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'FORBIDDEN_SENDER', message: 'no' } });
    await expect(api.app!.info!()).rejects.toThrow('FORBIDDEN_SENDER: no');
  });

  it('gives the path of a dropped file from webUtils, so its bytes stay out of the renderer', () => {
    const droppedPath = (api as unknown as { droppedPath: (f: { name: string }) => string }).droppedPath;
    expect(droppedPath({ name: 'ckpt-12' })).toBe('/home/me/ckpt-12');
    expect(electron.webUtils.getPathForFile).toHaveBeenCalledTimes(1);
  });

  it('delivers pushed events to subscribers until they unsubscribe', () => {
    const seen: unknown[] = [];
    const off = api.on('store.progress', (p) => seen.push(p));
    const deliver = (message: unknown) => electron.rendererListeners.get(EVENT_CHANNEL)?.forEach((fn) => fn({}, message));
    deliver({ event: 'store.progress', payload: 1 });
    deliver({ event: 'other', payload: 2 });
    off();
    deliver({ event: 'store.progress', payload: 3 });
    expect(seen).toEqual([1]);
  });
});

describe('the host method list', () => {
  it('names exactly the contract methods (the preload and renderer build from it)', async () => {
    const { HOST_METHODS } = await import('../../electron/shared/host-methods');
    const { methodNames } = await import('../../electron/shared/contract');
    expect(Object.entries(HOST_METHODS).flatMap(([ns, ms]) => ms.map((m) => `${ns}.${m}`)).sort()).toEqual(methodNames().sort());
  });
});
