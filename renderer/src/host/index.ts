/**
 * The one place the renderer gets its host from. In the desktop app the preload has
 * put the contract on `window.cairn`; in a browser (web mode) the same contract is
 * reached over HTTP with the token from the URL `npm run web` printed.
 * Components import `host` and never learn which transport they have.
 */
import type { HostApi } from '../../../electron/shared/contract';
import { createHttpHost } from './http-host';
import { createUploader } from './upload-file';
import { wrapIpcHost } from './ipc-host';

declare global {
  interface Window {
    cairn?: HostApi;
  }
}

const TOKEN_KEY = 'cairn.webToken';

/** Reads `?token=` once, keeps it for reloads of this tab, and removes it from the address bar. */
function takeWebToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function webHost(): HostApi {
  const token = takeWebToken();
  return { ...createHttpHost(window.location.origin, token), uploadFile: createUploader(window.location.origin, token) };
}

export const host: HostApi = window.cairn ? wrapIpcHost(window.cairn) : webHost();
