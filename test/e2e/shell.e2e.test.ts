import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startWebMode, type WebModeProcess } from '../support/web-mode';
import { artifactPath } from './support/artifacts';
import { launchChromium } from './support/browser';

let browser: Browser;
let web: WebModeProcess;
let dataDir: string;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cairn-e2e-data-'));
  web = await startWebMode(['--port', '0', '--data-dir', dataDir, '--renderer-dir', inject('rendererDir')]);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await web?.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

/** Opens a page that records console errors, page errors and CSP violations. */
async function openPage(url: string): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  return { page, problems };
}

describe('the app shell in web mode, in real Chromium', () => {
  it('shows the shell and the host information from app.info()', async () => {
    const { page, problems } = await openPage(web.loginUrl);
    await page.getByRole('heading', { name: 'Your model registry, on this machine' }).waitFor();
    await page.getByRole('complementary', { name: 'Sidebar' }).getByRole('button', { name: /Local workspace/ }).waitFor();
    for (const name of ['Model Version', 'Model Artifact', 'Registered Model']) {
      await page.getByRole('heading', { name, exact: true }).waitFor();
    }
    // The local workspace's own sync server is running: the app says it is synced.
    await page.getByRole('status').filter({ hasText: 'Synced' }).waitFor();
    // The token leaves the address bar (and so history and screenshots) once read.
    expect(page.url()).not.toContain('token');
    await page.screenshot({ path: artifactPath('shell.png') });
    // app.info(): the version in the sidebar, the data directory and platform in Settings.
    await page.getByRole('complementary', { name: 'Sidebar' }).getByText('v0.1.0').waitFor();
    await page.getByRole('link', { name: 'Settings' }).click();
    const data = page.getByRole('region', { name: 'Data' });
    await data.getByText(dataDir).waitFor();
    expect(await data.innerText()).toContain(`0.1.0 (web mode, ${process.platform})`);
    // A reload of the same tab keeps working without the token in the URL.
    await page.reload();
    await data.getByText(dataDir).waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows an actionable error, not data, without the token', async () => {
    const { page } = await openPage(web.url);
    const alert = page.getByRole('alert').first();
    await alert.waitFor();
    expect(await alert.innerText()).toContain('open the URL that `npm run web` printed');
    expect(await page.getByRole('heading', { name: 'Your model registry, on this machine' }).count()).toBe(0);
    await page.screenshot({ path: artifactPath('shell-no-token.png') });
    await page.context().close();
  });

  it('answers 401 to an API call without the token', async () => {
    const res = await fetch(`${web.url}api/call/app.info`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"args":[]}' });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });
});
