import { BrowserWindow, shell, type WebContents } from 'electron';
import { isAppUrl, isSafeExternalUrl } from './app-origin';

export interface MainWindowOptions {
  preloadPath: string;
  startUrl: string;
}

/** The hardened webPreferences every Cairn window uses. */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
} as const;

export function createMainWindow({ preloadPath, startUrl }: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1320,
    height: 860,
    minWidth: 900,
    minHeight: 560,
    show: false,
    title: 'Cairn',
    backgroundColor: '#f7f7f5',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: preloadPath },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(startUrl);
  return win;
}

/**
 * Applied to every WebContents the app creates: no navigation away from the app,
 * no new windows, no <webview>; https links open in the system browser, nothing else does.
 */
export function hardenWebContents(contents: WebContents, origin: string): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, origin)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, origin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}
