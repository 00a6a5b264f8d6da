import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../electron/main/web/server';
import { sweepUploads, uploadTarget } from '../../electron/main/web/receive-upload';
import { fakeHostServices } from '../support/fake-host-services';
import { makeRendererFixture } from '../support/renderer-fixture';

const TOKEN = 'upload-token-abcdef';
let server: WebServer;
let fixture: Awaited<ReturnType<typeof makeRendererFixture>>;
let uploadsDir: string;

beforeAll(async () => {
  fixture = await makeRendererFixture();
  uploadsDir = path.join(fixture.root, 'uploads');
  server = await startWebServer({ services: fakeHostServices({}), token: TOKEN, rendererDir: fixture.rendererDir, uploadsDir });
});
afterAll(async () => {
  await server.close();
  await fixture.remove();
});

function put(urlPath: string, body: Buffer | null, token = TOKEN): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, method: 'PUT', path: urlPath, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

describe('web-mode uploads of dropped files', () => {
  it('stores a file under its upload and relative path', async () => {
    const res = await put('/api/upload/drop1/ckpt/weights%20v1.bin', Buffer.from('weights'));
    expect(res.status).toBe(201);
    expect(await fs.readFile(path.join(uploadsDir, 'drop1', 'ckpt', 'weights v1.bin'), 'utf8')).toBe('weights');
  });

  it('needs the token', async () => {
    expect((await put('/api/upload/drop2/a.bin', Buffer.from('x'), 'wrong')).status).toBe(401);
    await expect(fs.access(path.join(uploadsDir, 'drop2'))).rejects.toThrow();
  });

  it.each(['/api/upload/drop3/..%2F..%2Fescape.txt', '/api/upload/drop3/%2e%2e/escape.txt', '/api/upload/..%2Fx/a', '/api/upload/drop3/a%00b', '/api/upload/drop3/', '/api/upload/drop3/a%5Cb'])(
    'refuses %s and writes nothing outside the upload folder',
    async (p) => {
      const res = await put(p, Buffer.from('nope'));
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).error.code).toBe('UPLOAD_PATH_INVALID');
      await expect(fs.access(path.join(fixture.root, 'escape.txt'))).rejects.toThrow();
    },
  );

  it('refuses the same path twice in one drop', async () => {
    expect((await put('/api/upload/drop4/a.bin', Buffer.from('1'))).status).toBe(201);
    expect((await put('/api/upload/drop4/a.bin', Buffer.from('2'))).status).toBe(400);
    expect(await fs.readFile(path.join(uploadsDir, 'drop4', 'a.bin'), 'utf8')).toBe('1');
  });

  it('leaves no partial file when the connection drops mid-upload', async () => {
    await new Promise<void>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port: server.port, method: 'PUT', path: '/api/upload/drop5/big.bin', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Length': String(10_000_000) } });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(1_000_000));
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 100);
    });
    await new Promise((r) => setTimeout(r, 200));
    const files = await fs.readdir(path.join(uploadsDir, 'drop5')).catch(() => []);
    expect(files).toEqual([]);
  });

  it('validates targets without touching the disk', () => {
    expect(uploadTarget('/u', 'id/a/b.txt')).toMatchObject({ uploadId: 'id', relative: 'a/b.txt', file: path.resolve('/u/id/a/b.txt') });
    expect(() => uploadTarget('/u', 'id/a/../b')).toThrow(/not a relative file path/);
    expect(() => uploadTarget('/u', 'bad id/a')).toThrow(/not an upload id/);
  });

  it('sweeps upload folders left over from a crash', async () => {
    const old = path.join(uploadsDir, 'stale');
    await fs.mkdir(old, { recursive: true });
    const past = new Date(Date.now() - 2 * 86_400_000);
    await fs.utimes(old, past, past);
    await sweepUploads(uploadsDir);
    await expect(fs.access(old)).rejects.toThrow();
    await fs.access(path.join(uploadsDir, 'drop1'));
  });
});
