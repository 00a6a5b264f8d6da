/** The custom scheme the packaged renderer is served from (`cairn://app/index.html`). */
export const APP_SCHEME = 'cairn';
export const APP_HOST = 'app';

/** The origin of the app's own page: the dev server in development, the app scheme otherwise. */
export function appOrigin(devServerUrl: string | undefined): string {
  return devServerUrl ? originOf(devServerUrl) : `${APP_SCHEME}://${APP_HOST}`;
}

/** True when `url` belongs to the app's own page; everything else is foreign. */
export function isAppUrl(url: string | undefined, origin: string): boolean {
  if (!url) return false;
  try {
    return originOf(url) === origin;
  } catch {
    return false;
  }
}

// Node's URL reports origin "null" for custom schemes, which would make every
// custom-scheme URL look alike; compare scheme and host explicitly instead.
function originOf(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
}

/** Links a user clicks open in the system browser only when they are https. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * What the renderer may load: its own page and the WebSocket connections of sync
 * servers. Remote scripts, images and pages are cancelled before they leave.
 */
export function isAllowedRendererRequest(url: string, origin: string): boolean {
  if (isAppUrl(url, origin)) return true;
  try {
    return ['ws:', 'wss:', 'devtools:', 'data:', 'blob:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}
