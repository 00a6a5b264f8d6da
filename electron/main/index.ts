/**
 * The Electron shell: lifecycle, session guards, the app protocol, IPC and the
 * window. Everything it serves lives in plain Node modules (host-services and
 * friends) so it can be tested without Electron.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, session, shell } from 'electron';
import { APP_HOST, APP_SCHEME, appOrigin } from './app-origin';
import { registerAppScheme, serveRenderer } from './app-protocol.electron';
import { defaultDataDir } from './data-dir';
import { openHost, type Host } from './host-services';
import { registerHostIpc } from './ipc.electron';
import { hardenSession } from './session.electron';
import { createMainWindow, hardenWebContents } from './window.electron';

const here = path.dirname(fileURLToPath(import.meta.url));
const devServerUrl = process.env.ELECTRON_RENDERER_URL || undefined;
const origin = appOrigin(devServerUrl);

registerAppScheme();
app.enableSandbox();
app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, origin));

let host: Host | undefined;

async function start(): Promise<void> {
  hardenSession(session.defaultSession, origin, !!devServerUrl);
  if (!devServerUrl) serveRenderer(path.join(here, '../renderer'));
  host = await openHost({ dataDir: defaultDataDir(), version: app.getVersion(), shell: 'electron', revealPath: (p) => shell.showItemInFolder(p) });
  registerHostIpc(host.services, origin);
  openWindow();
}

function openWindow(): void {
  createMainWindow({
    preloadPath: path.join(here, '../preload/index.cjs'),
    startUrl: devServerUrl ?? `${APP_SCHEME}://${APP_HOST}/index.html`,
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [win] = BrowserWindow.getAllWindows();
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.whenReady().then(start).catch((error: unknown) => {
    dialog.showErrorBox('Cairn could not start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
  app.on('activate', () => {
    if (host && BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => void host?.close());
}
