/**
 * A stand-in for the `electron` module, enough for the shell's wiring: it records
 * what the app registers so tests can drive IPC, navigation and protocol handlers.
 * Use with `vi.mock('electron', () => import('./fake-electron'))`.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

export const ipcHandlers = new Map<string, Handler>();
export const ipcMain = {
  handle: vi.fn((channel: string, fn: Handler) => {
    if (ipcHandlers.has(channel)) throw new Error(`second handler for ${channel}`);
    ipcHandlers.set(channel, fn);
  }),
  removeHandler: vi.fn((channel: string) => void ipcHandlers.delete(channel)),
};

export const shell = { openExternal: vi.fn(async () => {}) };

export const protocolHandlers = new Map<string, (req: Request) => Promise<Response>>();
export const protocol = {
  registerSchemesAsPrivileged: vi.fn(),
  handle: vi.fn((scheme: string, fn: (req: Request) => Promise<Response>) => void protocolHandlers.set(scheme, fn)),
};

export class FakeWebContents extends EventEmitter {
  windowOpenHandler?: (details: { url: string }) => { action: string };
  sent: { channel: string; message: unknown }[] = [];
  destroyed = false;
  setWindowOpenHandler(fn: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = fn;
  }
  send(channel: string, message: unknown) {
    this.sent.push({ channel, message });
  }
  isDestroyed() {
    return this.destroyed;
  }
  /** Emits like Electron: returns whether a listener called preventDefault. */
  attempt(eventName: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(eventName, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

export const createdWindows: FakeBrowserWindow[] = [];
export class FakeBrowserWindow extends EventEmitter {
  webContents = new FakeWebContents();
  loadedUrl?: string;
  constructor(readonly options: { webPreferences: Record<string, unknown> } & Record<string, unknown>) {
    super();
    createdWindows.push(this);
  }
  static getAllWindows() {
    return createdWindows;
  }
  async loadURL(url: string) {
    this.loadedUrl = url;
  }
  show() {}
  focus() {}
  restore() {}
  isMinimized() {
    return false;
  }
}
export const BrowserWindow = FakeBrowserWindow;

export function fakeSession() {
  const hooks: Record<string, (...args: never[]) => unknown> = {};
  return {
    hooks,
    webRequest: {
      onBeforeRequest: (fn: never) => void (hooks.beforeRequest = fn),
      onHeadersReceived: (fn: never) => void (hooks.headersReceived = fn),
    },
    setPermissionRequestHandler: (fn: never) => void (hooks.permissionRequest = fn),
    setPermissionCheckHandler: (fn: never) => void (hooks.permissionCheck = fn),
  };
}
export const session = { defaultSession: fakeSession() };

export const app = Object.assign(new EventEmitter(), {
  enableSandbox: vi.fn(),
  requestSingleInstanceLock: vi.fn(() => true),
  whenReady: vi.fn(() => Promise.resolve()),
  getVersion: vi.fn(() => '9.9.9'),
  quit: vi.fn(),
  exit: vi.fn(),
});

export const dialog = { showErrorBox: vi.fn() };

export const exposed: Record<string, unknown> = {};
export const webUtils = { getPathForFile: vi.fn((file: { name: string }) => `/home/me/${file.name}`) };
export const contextBridge = {
  exposeInMainWorld: vi.fn((key: string, value: unknown) => void (exposed[key] = value)),
};

export const rendererListeners = new Map<string, Set<(...args: unknown[]) => void>>();
export const ipcRenderer = {
  invoke: vi.fn(async (_channel: string, _args: unknown): Promise<unknown> => ({ ok: true, value: null })),
  on: vi.fn((channel: string, fn: (...args: unknown[]) => void) => {
    const set = rendererListeners.get(channel) ?? new Set();
    set.add(fn);
    rendererListeners.set(channel, set);
  }),
  off: vi.fn((channel: string, fn: (...args: unknown[]) => void) => void rendererListeners.get(channel)?.delete(fn)),
};

export default { ipcMain, shell, protocol, BrowserWindow, session, app, dialog, contextBridge, ipcRenderer, webUtils };
