import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startSyncCli, type SyncCliProcess } from '../../sync-server/support/sync-cli-process';
import { startWebMode, type WebModeProcess } from '../../support/web-mode';

export const TEAM = {
  ada: { token: 'ada-admin-token-e2e-0123456789', role: 'admin', name: 'Ada' },
  ben: { token: 'ben-write-token-e2e-0123456789', role: 'write', name: 'Ben' },
  cleo: { token: 'cleo-admin-token-e2e-012345678', role: 'admin', name: 'Cleo' },
  rita: { token: 'rita-read-token-e2e-0123456789', role: 'read', name: 'Rita' },
} as const;
export type Member = keyof typeof TEAM;

/** The team's sync server: the real CLI (`npm run sync-server`), on loopback, fresh data dir. */
export async function startTeamServer(root: string): Promise<SyncCliProcess> {
  const tokens = path.join(root, 'tokens.json');
  await fs.writeFile(tokens, JSON.stringify(Object.values(TEAM).map((m) => ({ token: m.token, workspace: 'acme', role: m.role, name: m.name }))));
  return startSyncCli(['--port', '0', '--data', path.join(root, 'sync-data'), '--tokens', tokens]);
}

export interface App {
  member: Member;
  web: WebModeProcess;
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
  close(): Promise<void>;
}

/**
 * One teammate: their own web-mode instance (own data directory, as on another
 * machine) and their own browser context, configured through Settings like a new user.
 */
export async function openApp(browser: Browser, member: Member, root: string, rendererDir: string, syncUrl: string): Promise<App> {
  const dataDir = await fs.mkdtemp(path.join(root, `${member}-`));
  const web = await startWebMode(['--port', '0', '--data-dir', dataDir, '--renderer-dir', rendererDir]);
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    // The stock y-websocket client warns when a read token's edit is refused; that is expected.
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(web.loginUrl);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Display name').fill(TEAM[member].name);
  await page.getByRole('radio', { name: /team's sync server/ }).check();
  await page.getByLabel('Sync server URL').fill(syncUrl);
  await page.getByLabel('Token').fill(TEAM[member].token);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText(`Connected to acme as ${TEAM[member].role}.`).waitFor();
  return {
    member,
    web,
    context,
    page,
    problems,
    close: async () => {
      await context.close();
      await web.stop();
    },
  };
}

export interface FileSpec {
  name: string;
  content: string;
}

/** A checkpoint: a few hundred KB of weights and a config. */
export function checkpoint(seed: string, config = '{"hidden": 768}'): FileSpec[] {
  return [
    { name: 'model.safetensors', content: `weights:${seed}:`.repeat(20_000) },
    { name: 'config.json', content: config },
    { name: 'tokenizer.json', content: '{"vocab": 32000}' },
  ];
}

/** Drops files onto a drop zone the way the browser does: dragenter, dragover, drop. */
export async function dropFiles(page: Page, target: Locator, files: FileSpec[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle((specs) => {
    const dt = new DataTransfer();
    for (const f of specs) dt.items.add(new File([f.content], f.name));
    return dt;
  }, files);
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
}

export async function tempRoot(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'cairn-team-'));
}
