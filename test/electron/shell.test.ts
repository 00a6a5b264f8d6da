import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ipcChannel, methodNames } from '../../electron/shared/contract';

vi.mock('electron', () => import('./fake-electron'));
const electron = await import('./fake-electron');

let dataDir: string;
beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cairn-shell-'));
  vi.stubEnv('CAIRN_DATA_DIR', dataDir);
  vi.stubEnv('ELECTRON_RENDERER_URL', '');
  await import('../../electron/main/index');
  await vi.waitFor(() => expect(electron.createdWindows).toHaveLength(1));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('the Electron shell (index.ts with a mocked electron)', () => {
  it('registers the app scheme as privileged before ready and forces the sandbox', () => {
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({ scheme: 'cairn', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
    expect(electron.app.enableSandbox).toHaveBeenCalled();
  });

  it('registers every contract method over IPC', () => {
    for (const name of methodNames()) expect(electron.ipcHandlers.has(ipcChannel(name))).toBe(true);
  });

  it('opens one hardened window on the app protocol with the CommonJS preload', () => {
    const [win] = electron.createdWindows;
    expect(win!.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      webSecurity: true,
    });
    expect(win!.options.webPreferences.preload).toMatch(/preload[\\/]index\.cjs$/);
    expect(win!.loadedUrl).toBe('cairn://app/index.html');
  });

  it('serves host calls from the window, with the data directory it was given', async () => {
    const reply = await electron.ipcHandlers.get(ipcChannel('app.info'))!(
      { senderFrame: { url: 'cairn://app/index.html', parent: null }, sender: new electron.FakeWebContents() },
      [],
    );
    expect(reply).toMatchObject({ ok: true, value: { dataDir, version: '9.9.9', shell: 'electron' } });
  });

  it('guards every new WebContents against navigation, popups and webviews', () => {
    const contents = new electron.FakeWebContents();
    electron.app.emit('web-contents-created', {}, contents);
    expect(contents.attempt('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.attempt('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.attempt('will-navigate', 'cairn://app/index.html')).toBe(false);
    expect(contents.attempt('will-redirect', 'http://127.0.0.1:9/')).toBe(true);
    expect(contents.attempt('will-attach-webview')).toBe(true);
  });

  it('opens only https links, in the system browser, and never a new window', () => {
    const contents = new electron.FakeWebContents();
    electron.app.emit('web-contents-created', {}, contents);
    for (const url of ['https://wandb.ai/docs', 'http://example.com', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share']) {
      expect(contents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(electron.shell.openExternal).toHaveBeenCalledTimes(1);
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://wandb.ai/docs');
  });

  it('cancels remote requests and denies permission prompts', () => {
    const hooks = electron.session.defaultSession.hooks as Record<string, (...a: unknown[]) => unknown>;
    const decide = (url: string) => {
      let verdict: unknown;
      hooks.beforeRequest!({ url }, (r: unknown) => (verdict = r));
      return verdict;
    };
    expect(decide('https://cdn.example.com/x.js')).toEqual({ cancel: true });
    expect(decide('http://192.168.1.2/')).toEqual({ cancel: true });
    expect(decide('cairn://app/assets/index.js')).toEqual({ cancel: false });
    expect(decide('wss://sync.team.example/acme')).toEqual({ cancel: false });
    const grant = (permission: string) => {
      let granted: unknown;
      hooks.permissionRequest!({}, permission, (g: unknown) => (granted = g));
      return granted;
    };
    expect(grant('media')).toBe(false);
    expect(grant('geolocation')).toBe(false);
    expect(grant('clipboard-sanitized-write')).toBe(true);
  });

  it('serves the built renderer on the app protocol with the strict CSP, and nothing outside it', async () => {
    const handler = electron.protocolHandlers.get('cairn')!;
    expect(handler).toBeDefined();
    const outside = await handler(new Request('cairn://app/..%2f..%2fpackage.json'));
    expect(outside.status).toBe(404);
    const otherHost = await handler(new Request('cairn://evil/index.html'));
    expect(otherHost.status).toBe(404);
  });
});
