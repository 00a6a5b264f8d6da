import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRendererFixture } from '../support/renderer-fixture';
import { runWebCli, startWebMode } from '../support/web-mode';

let fixture: Awaited<ReturnType<typeof makeRendererFixture>>;
let dataDir: string;
beforeAll(async () => {
  fixture = await makeRendererFixture();
  dataDir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'cairn-cli-')), 'data');
});
afterAll(async () => {
  await fixture.remove();
  await fs.rm(path.dirname(dataDir), { recursive: true, force: true });
});

describe('npm run web', () => {
  it('prints the login URL on its own line, serves the API with that token, and stops cleanly on SIGTERM', async () => {
    const web = await startWebMode(['--port', '0', '--data-dir', dataDir, '--renderer-dir', fixture.rendererDir]);
    try {
      expect(web.token.length).toBeGreaterThanOrEqual(40);
      const res = await fetch(`${web.url}api/call/app.info`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${web.token}`, 'Content-Type': 'application/json' },
        body: '{"args":[]}',
      });
      expect(await res.json()).toMatchObject({ ok: true, value: { dataDir, shell: 'web' } });
      expect((await fs.stat(dataDir)).isDirectory()).toBe(true);
      const anonymous = await fetch(`${web.url}api/call/app.info`, { method: 'POST', body: '{"args":[]}' });
      expect(anonymous.status).toBe(401);
    } finally {
      expect(await web.stop()).toBe(0);
    }
  });

  it('makes a new token each start', async () => {
    const a = await startWebMode(['--port', '0', '--data-dir', dataDir, '--renderer-dir', fixture.rendererDir]);
    await a.stop();
    const b = await startWebMode(['--port', '0', '--data-dir', dataDir, '--renderer-dir', fixture.rendererDir]);
    await b.stop();
    expect(a.token).not.toBe(b.token);
  });

  it('refuses a second instance on the same data directory, naming the first', async () => {
    const first = await startWebMode(['--port', '0', '--data-dir', dataDir, '--renderer-dir', fixture.rendererDir]);
    try {
      const { code, output } = await runWebCli(['--port', '0', '--data-dir', dataDir, '--renderer-dir', fixture.rendererDir]);
      expect(code).toBe(1);
      expect(output).toMatch(new RegExp(`in use by another Cairn process \\(pid ${first.child.pid}\\)`));
    } finally {
      await first.stop();
    }
  });

  it.each([
    [['--port', 'eighty'], /--port must be 0–65535/],
    [['--port', '70000'], /--port must be 0–65535/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['--port', '0', '--renderer-dir', '/nonexistent'], /no built renderer in \/nonexistent: run "npm run build:renderer"/],
  ])('fails with one clear line for %j', async (args, message) => {
    const { code, output } = await runWebCli(args);
    expect(code).toBe(1);
    expect(output).toMatch(message);
    expect(output.trim().split('\n')).toHaveLength(1);
  });

  it('says which port is taken', async () => {
    const first = await startWebMode(['--port', '0', '--data-dir', dataDir, '--renderer-dir', fixture.rendererDir]);
    const port = new URL(first.url).port;
    const { code, output } = await runWebCli(['--port', port, '--data-dir', `${dataDir}-other`, '--renderer-dir', fixture.rendererDir]);
    await first.stop();
    expect(code).toBe(1);
    expect(output).toContain(`port ${port} on 127.0.0.1 is in use`);
  });
});
