import type { Session } from 'electron';
import { isAllowedRendererRequest } from './app-origin';
import { contentSecurityPolicy } from './content-security-policy';

/**
 * Session-wide guards: no remote content, no permission prompts (only writing to
 * the clipboard, for "copy name"), and the CSP on every response in development
 * (in production the app protocol sets it on each file it serves).
 */
export function hardenSession(session: Session, origin: string, dev: boolean): void {
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRendererRequest(details.url, origin) });
  });
  if (dev) {
    const csp = contentSecurityPolicy({ dev: true });
    session.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
    });
  }
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    callback(permission === 'clipboard-sanitized-write');
  });
  session.setPermissionCheckHandler((_contents, permission) => permission === 'clipboard-sanitized-write');
}
