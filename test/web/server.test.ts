import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HostServices } from '../../electron/shared/contract';
import { startWebServer, type WebServer } from '../../electron/main/web/server';
import { makeRendererFixture } from '../support/renderer-fixture';
import { unusedStoreServices } from '../support/unused-store-services';

const TOKEN = 'test-token-0123456789';
const info = vi.fn(async () => ({ name: 'Cairn', version: '1.0.0', dataDir: '/data', platform: 'linux', shell: 'web' as const }));
const services: HostServices = { app: { info }, store: unusedStoreServices };

let server: WebServer;
let fixture: Awaited<ReturnType<typeof makeRendererFixture>>;

beforeAll(async () => {
  fixture = await makeRendererFixture();
  server = await startWebServer({ services, token: TOKEN, rendererDir: fixture.rendererDir, maxBodyBytes: 4096 });
});
afterAll(async () => {
  await server.close();
  await fixture.remove();
});
beforeEach(() => info.mockClear());

/** Raw HTTP, so tests control the Host header and unnormalised paths. */
function request(
  pathname: string,
  { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: pathname, method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const call = (method: string, args: unknown[] = [], headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` }) =>
  request(`/api/call/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ args }),
  });

describe('web mode HTTP server', () => {
  it('listens on loopback only and prints a login URL carrying the token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.loginUrl).toBe(`${server.url}?token=${TOKEN}`);
  });

  it('serves the shell with the strict CSP and no-referrer', async () => {
    const res = await request('/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>Cairn</title>');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).toContain("script-src 'self';");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('caches fingerprinted assets forever and index.html never', async () => {
    expect((await request('/assets/app-abc123.js')).headers['cache-control']).toContain('immutable');
    expect((await request('/')).headers['cache-control']).toBe('no-cache');
  });

  it('answers an API call that carries the token', async () => {
    const res = await call('app.info');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: true, value: expect.objectContaining({ dataDir: '/data' }) });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it.each([
    ['no token', {}],
    ['a wrong token', { Authorization: 'Bearer nope' }],
    ['a token prefix', { Authorization: `Bearer ${TOKEN.slice(0, 8)}` }],
    ['a non-bearer scheme', { Authorization: `Basic ${TOKEN}` }],
  ])('refuses %s with 401 and runs nothing', async (_label, headers) => {
    const res = await call('app.info', [], headers);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(JSON.parse(res.body).error.code).toBe('UNAUTHORIZED');
    expect(info).not.toHaveBeenCalled();
  });

  it('refuses the event stream without the token', async () => {
    expect((await request('/api/events')).status).toBe(401);
  });

  it('opens the event stream with the token', async () => {
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: server.port, path: '/api/events', headers: { Authorization: `Bearer ${TOKEN}` } }, resolve);
      req.on('error', reject);
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    res.destroy();
  });

  it.each(['evil.example', 'evil.example:80', '192.168.1.5', '127.0.0.1.evil.example'])(
    'refuses Host "%s" (DNS rebinding) even with the token',
    async (host) => {
      const res = await call('app.info', [], { Authorization: `Bearer ${TOKEN}`, Host: host });
      expect(res.status).toBe(403);
      expect(info).not.toHaveBeenCalled();
      expect((await request('/', { headers: { Host: host } })).status).toBe(403);
    },
  );

  it('refuses a request without a Host header', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: server.port, path: '/', setHost: false }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end();
    });
    // Node itself answers 400 to an HTTP/1.1 request without Host; either way nothing is served.
    expect([400, 403]).toContain(status);
  });

  it.each(['localhost', `localhost:1234`, '127.0.0.1', '[::1]:8080'])('accepts loopback Host "%s"', async (host) => {
    expect((await call('app.info', [], { Authorization: `Bearer ${TOKEN}`, Host: host })).status).toBe(200);
  });

  it('refuses cross-origin calls even with the token', async () => {
    const res = await call('app.info', [], { Authorization: `Bearer ${TOKEN}`, Origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(info).not.toHaveBeenCalled();
  });

  it('validates arguments with the contract before running anything', async () => {
    const res = await call('app.info', ['unexpected']);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.code).toBe('INVALID_ARGUMENTS');
    expect(info).not.toHaveBeenCalled();
  });

  it.each(['app.nope', 'constructor.prototype', '__proto__.info', 'toString'])('answers 404 for unknown method %s', async (name) => {
    const res = await call(name);
    expect(res.status).toBe(404);
    expect(info).not.toHaveBeenCalled();
  });

  it('refuses bodies over the limit and bodies that are not JSON', async () => {
    const big = await request('/api/call/app.info', {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ args: ['x'.repeat(5000)] }),
    });
    expect(big.status).toBe(413);
    const bad = await request('/api/call/app.info', { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` }, body: '{nope' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.code).toBe('INVALID_JSON');
  });

  it.each(['/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/assets/missing.js', '/%00'])(
    'never serves files outside the renderer: %s',
    async (p) => {
      const res = await request(p);
      expect(res.status).toBe(404);
      expect(res.body).not.toContain('not for the web');
    },
  );

  it('answers 405 to writes outside the API', async () => {
    expect((await request('/', { method: 'POST' })).status).toBe(405);
  });
});
