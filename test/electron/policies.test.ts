import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appOrigin, isAllowedRendererRequest, isAppUrl, isSafeExternalUrl } from '../../electron/main/app-origin';
import { contentSecurityPolicy } from '../../electron/main/content-security-policy';
import { defaultDataDir } from '../../electron/main/data-dir';
import { isAllowedOrigin, isLoopbackHost, newToken, tokenMatches } from '../../electron/main/web/access';

describe('app origin', () => {
  it('is the app scheme in production and the dev server in development', () => {
    expect(appOrigin(undefined)).toBe('cairn://app');
    expect(appOrigin('http://localhost:5173/')).toBe('http://localhost:5173');
  });

  it('tells app URLs from everything else, even other custom schemes', () => {
    expect(isAppUrl('cairn://app/index.html', 'cairn://app')).toBe(true);
    expect(isAppUrl('cairn://evil/index.html', 'cairn://app')).toBe(false);
    expect(isAppUrl('other://app/index.html', 'cairn://app')).toBe(false);
    expect(isAppUrl('http://localhost:5173/x', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5174/x', 'http://localhost:5173')).toBe(false);
    expect(isAppUrl('not a url', 'cairn://app')).toBe(false);
    expect(isAppUrl(undefined, 'cairn://app')).toBe(false);
  });

  it('opens only https externally', () => {
    expect(isSafeExternalUrl('https://example.com')).toBe(true);
    for (const u of ['http://example.com', 'file:///etc/passwd', 'javascript:alert(1)', 'ms-msdt:/id', '']) {
      expect(isSafeExternalUrl(u)).toBe(false);
    }
  });

  it('lets the renderer load only itself and sync WebSockets', () => {
    expect(isAllowedRendererRequest('cairn://app/assets/a.js', 'cairn://app')).toBe(true);
    expect(isAllowedRendererRequest('wss://sync.example/acme', 'cairn://app')).toBe(true);
    expect(isAllowedRendererRequest('https://fonts.googleapis.com/css', 'cairn://app')).toBe(false);
    expect(isAllowedRendererRequest('file:///etc/passwd', 'cairn://app')).toBe(false);
  });
});

describe('content security policy', () => {
  it('allows no inline or remote script in production', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('relaxes only inline script and style for the dev server', () => {
    const dev = contentSecurityPolicy({ dev: true });
    expect(dev).toContain("script-src 'self' 'unsafe-inline'");
    expect(dev).not.toContain('unsafe-eval');
  });
});

describe('web-mode access checks', () => {
  it('makes long random tokens', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(a);
  });

  it('compares tokens exactly', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abd', 'abc')).toBe(false);
    expect(tokenMatches('ab', 'abc')).toBe(false);
    expect(tokenMatches(undefined, 'abc')).toBe(false);
    expect(tokenMatches('', 'abc')).toBe(false);
  });

  it('accepts only loopback Host headers and origins', () => {
    for (const h of ['127.0.0.1', '127.0.0.1:4460', 'localhost', 'LOCALHOST:1', '[::1]', '[::1]:4460']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['evil.example', '127.0.0.2', '0.0.0.0', 'localhost.evil.example', '127.0.0.1@evil.example', undefined]) {
      expect(isLoopbackHost(h)).toBe(false);
    }
    expect(isAllowedOrigin(undefined)).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:4460')).toBe(true);
    expect(isAllowedOrigin('https://evil.example')).toBe(false);
    expect(isAllowedOrigin('null')).toBe(false);
  });
});

describe('default data directory', () => {
  it('honours CAIRN_DATA_DIR, then the platform convention', () => {
    expect(defaultDataDir({ CAIRN_DATA_DIR: 'rel/dir' }, 'linux')).toBe(path.resolve('rel/dir'));
    expect(defaultDataDir({ XDG_DATA_HOME: '/x' }, 'linux')).toBe('/x/cairn');
    expect(defaultDataDir({}, 'darwin')).toMatch(/Library\/Application Support\/Cairn$/);
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toContain('Cairn');
  });
});
