/**
 * The renderer's Content-Security-Policy, for the Electron shell and web mode alike.
 * No remote code, no inline script, no plugins, no framing; network access only to
 * the host itself and to sync servers over WebSocket.
 * The dev server (electron-vite / vite) injects inline scripts and styles for hot
 * reload, so development relaxes exactly those two directives.
 */
export function contentSecurityPolicy({ dev = false }: { dev?: boolean } = {}): string {
  const inline = dev ? " 'unsafe-inline'" : '';
  return [
    "default-src 'none'",
    `script-src 'self'${inline}`,
    `style-src 'self'${inline}`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self' ws: wss:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
