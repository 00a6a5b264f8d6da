import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./fake-electron'));
const electron = await import('./fake-electron');
const { serveRenderer } = await import('../../electron/main/app-protocol.electron');

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cairn-proto-'));
await fs.mkdir(path.join(dir, 'renderer', 'assets'), { recursive: true });
await fs.writeFile(path.join(dir, 'renderer', 'index.html'), '<!doctype html><title>Cairn</title>');
await fs.writeFile(path.join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
await fs.writeFile(path.join(dir, 'secret.txt'), 'do not serve');
serveRenderer(path.join(dir, 'renderer'));
const handler = electron.protocolHandlers.get('cairn')!;
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('the cairn:// app protocol', () => {
  it('serves renderer files with their type and the strict CSP', async () => {
    const res = await handler(new Request('cairn://app/assets/app.js'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self';");
    expect(await res.text()).toBe('console.log(1)');
  });

  it('answers index.html for client-side routes', async () => {
    const res = await handler(new Request('cairn://app/projects/vision'));
    expect(await res.text()).toContain('<title>Cairn</title>');
  });

  it.each(['cairn://app/%2e%2e/secret.txt', 'cairn://app/..%2fsecret.txt', 'cairn://app/assets/missing.js', 'cairn://other/index.html'])(
    'refuses %s',
    async (url) => {
      expect((await handler(new Request(url))).status).toBe(404);
    },
  );
});
