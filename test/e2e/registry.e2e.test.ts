/**
 * The desktop experience in real Chromium, as a team would use it: web-mode instances
 * (each its own data directory and browser context, as on separate machines) and the
 * real sync server on loopback. Every step acts by role and accessible name.
 */
import fs from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SyncCliProcess } from '../sync-server/support/sync-cli-process';
import { artifactPath } from './support/artifacts';
import { launchChromium } from './support/browser';
import { checkpoint, dropFiles, openApp, startTeamServer, tempRoot, type App } from './support/team';

let browser: Browser;
let server: SyncCliProcess;
let root: string;
const apps: App[] = [];

beforeAll(async () => {
  root = await tempRoot();
  server = await startTeamServer(root);
  browser = await launchChromium();
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await browser?.close();
  server?.child.kill('SIGTERM');
  await server?.exited;
  await fs.rm(root, { recursive: true, force: true });
});

async function app(member: Parameters<typeof openApp>[1]): Promise<App> {
  const a = await openApp(browser, member, root, inject('rendererDir'), server.url.replace(/^ws/, 'http'));
  apps.push(a);
  return a;
}

/** Screenshots for people: transient notices and finished log jobs dismissed first. */
async function shot(page: Page, name: string): Promise<void> {
  for (const button of await page.getByRole('button', { name: 'Dismiss' }).all()) await button.click({ timeout: 500 }).catch(() => undefined);
  await page.screenshot({ path: artifactPath(name) });
}
const row = (page: Page, label: string) => page.getByRole('link', { name: label, exact: true });

async function openVersion(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+k');
  await page.getByRole('combobox', { name: /Jump to/ }).fill(name);
  await page.getByRole('listbox', { name: 'Matches' }).getByRole('option').first().waitFor();
  await page.keyboard.press('Enter');
}

describe('a team curating production', () => {
  it('logs, dedups, aliases, links, compares, syncs live, merges offline moves, respects roles and protection', async () => {
    try {
      await scenario();
    } catch (error) {
      // Leave evidence for whoever reads the CI log: every teammate's screen at the failure.
      for (const a of apps) await a.page.screenshot({ path: artifactPath(`failure-${a.member}.png`) }).catch(() => undefined);
      throw error;
    }
  }, 240_000);
});

async function scenario(): Promise<void> {
  {
    const ada = await app('ada');
    const { page } = ada;

    // A new project, then a checkpoint dropped onto it becomes v0 of a new artifact.
    await page.getByRole('link', { name: /Workspace acme/ }).or(page.getByRole('button', { name: /Workspace acme/ })).click();
    await page.getByRole('button', { name: 'Create a project' }).click();
    await page.getByLabel('Project name').fill('vision');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('heading', { name: 'vision', exact: true }).waitFor();
    await shot(page, 'project-empty.png');
    await dropFiles(page, page.getByRole('region', { name: /Drop to log a new artifact in vision/ }), checkpoint('epoch-1'));
    await page.getByRole('dialog', { name: 'New artifact from drop' }).getByLabel('Artifact name').fill('resnet50');
    await page.getByRole('button', { name: 'Log as resnet50:v0' }).click();
    await row(page, 'v0').waitFor({ timeout: 20_000 });

    // A teammate with a write token, on another machine, watches the artifact live.
    const ben = await app('ben');
    await ben.page.getByRole('link', { name: 'vision', exact: true }).click();
    await ben.page.getByRole('link', { name: 'resnet50' }).first().click();
    await row(ben.page, 'v0').waitFor();

    // v0 has its files.
    await row(page, 'v0').click();
    const files = page.getByRole('tree', { name: 'Files' });
    for (const name of ['model.safetensors', 'config.json', 'tokenizer.json']) await files.getByText(name, { exact: true }).waitFor();
    await page.getByRole('link', { name: 'resnet50' }).last().click();

    // The same content again: no new version, and the app says so.
    const dropZone = page.getByRole('region', { name: /Drop to log a new version of resnet50/ });
    await dropFiles(page, dropZone, checkpoint('epoch-1'));
    await page.getByText(/Identical content: this is already\s*resnet50:v0/).waitFor({ timeout: 20_000 });
    expect(await page.getByRole('table', { name: 'Versions of resnet50' }).getByRole('row').count()).toBe(2);

    // A changed copy is v1 — and the teammate sees it arrive without reloading.
    await dropFiles(page, dropZone, checkpoint('epoch-2', '{"hidden": 1024}'));
    await row(page, 'v1').waitFor({ timeout: 20_000 });
    await row(ben.page, 'v1').waitFor({ timeout: 20_000 });
    await shot(page, 'artifact.png');

    // Alias "best" on v1.
    await openVersion(page, 'vision/resnet50:v1');
    await page.getByRole('heading', { name: /resnet50:v1/ }).waitFor();
    await page.getByLabel('New alias').fill('best');
    await page.getByRole('button', { name: 'Add alias' }).click();
    await page.getByRole('region', { name: 'Aliases' }).getByRole('button', { name: 'Remove alias best' }).waitFor();

    // A registered model, v1 linked, production set.
    await page.getByRole('button', { name: 'New registered model' }).click();
    await page.getByLabel('Registered model name').fill('classifier');
    await page.getByLabel('Model card (markdown)').fill('# Classifier\nScores product photos. Owner: vision team.');
    await page.getByRole('button', { name: 'Create registered model' }).click();
    await page.getByRole('heading', { name: 'classifier', exact: true }).waitFor();
    await openVersion(page, 'vision/resnet50:v1');
    await page.getByRole('button', { name: 'Link to registered model' }).click();
    await page.getByRole('dialog', { name: 'Link to registered model' }).getByRole('button', { name: 'Link', exact: true }).click();
    await page.getByRole('link', { name: 'classifier:v0' }).waitFor({ timeout: 20_000 });
    await page.getByRole('link', { name: 'classifier:v0' }).click();
    const setAlias = page.getByRole('form', { name: 'Set alias' });
    await setAlias.getByLabel('Alias').fill('production');
    await setAlias.getByRole('button', { name: 'Set alias' }).click();
    const production = (p: Page, target: string) => p.getByRole('listitem', { name: `production → ${target}` });
    await production(page, 'classifier:v0').waitFor();

    // Compare v0 and v1.
    await page.getByRole('link', { name: 'vision', exact: true }).click();
    await page.getByRole('link', { name: 'resnet50' }).first().click();
    await page.getByLabel('Select resnet50:v0 to compare').check();
    await page.getByLabel('Select resnet50:v1 to compare').check();
    await page.getByRole('button', { name: /Compare \(2\/2\)/ }).click();
    const fileDiff = page.getByRole('table', { name: 'File differences' });
    await fileDiff.getByRole('row', { name: /changed config\.json/ }).waitFor();
    await fileDiff.getByRole('row', { name: /changed model\.safetensors/ }).waitFor();
    expect(await fileDiff.getByRole('row', { name: /tokenizer/ }).count()).toBe(0);
    await shot(page, 'compare.png');

    // Ben (write token) sees it all, and cannot move the protected alias.
    await ben.page.getByRole('link', { name: 'classifier' }).click();
    await production(ben.page, 'classifier:v0').waitFor({ timeout: 20_000 });
    const benSet = ben.page.getByRole('form', { name: 'Set alias' });
    await benSet.getByLabel('Alias').fill('production');
    expect(await benSet.getByRole('button', { name: 'Set alias' }).isDisabled()).toBe(true);
    expect(await benSet.getByRole('button', { name: 'Set alias' }).getAttribute('title')).toContain('only workspace admins');

    // Cleo (another admin) links v0, goes offline and moves production to it, while Ada,
    // online, moves production to v1. Later clock wins everywhere; history shows the loser.
    const cleo = await app('cleo');
    await openVersion(cleo.page, 'vision/resnet50:v0');
    await cleo.page.getByRole('heading', { name: /resnet50:v0/ }).waitFor({ timeout: 20_000 });
    await cleo.page.getByRole('button', { name: 'Link to registered model' }).click();
    await cleo.page.getByRole('dialog', { name: 'Link to registered model' }).getByRole('button', { name: 'Link', exact: true }).click();
    await cleo.page.getByRole('link', { name: 'classifier:v1' }).waitFor({ timeout: 20_000 });
    await cleo.page.getByRole('link', { name: 'classifier:v1' }).click();
    await production(cleo.page, 'classifier:v0').waitFor();
    await cleo.page.getByRole('button', { name: 'Work offline' }).click();
    await cleo.page.getByRole('status').filter({ hasText: 'Offline' }).waitFor();
    const cleoSet = cleo.page.getByRole('form', { name: 'Set alias' });
    await cleoSet.getByLabel('Alias').fill('production');
    await cleoSet.getByLabel('Linked version').selectOption({ label: 'classifier:v1 (vision/resnet50)' });
    await cleoSet.getByRole('button', { name: 'Set alias' }).click();
    await production(cleo.page, 'classifier:v1').waitFor();
    await page.getByRole('link', { name: 'classifier' }).click();
    await setAlias.getByLabel('Alias').fill('production');
    await setAlias.getByLabel('Linked version').selectOption({ label: 'classifier:v0 (vision/resnet50)' });
    await setAlias.getByRole('button', { name: 'Set alias' }).click();
    await cleo.page.getByRole('button', { name: 'Go online' }).click();
    for (const p of [page, cleo.page, ben.page]) {
      await production(p, 'classifier:v0').waitFor({ timeout: 20_000 });
      await p.getByText("Cleo's move of production to classifier:v1 was overridden by Ada's concurrent move to classifier:v0.").waitFor({ timeout: 20_000 });
    }
    await shot(page, 'registered-model.png');

    // Rita (read token) sees everything and cannot edit: controls are disabled and say why.
    const rita = await app('rita');
    await openVersion(rita.page, 'vision/resnet50:v1');
    await rita.page.getByRole('heading', { name: /resnet50:v1/ }).waitFor({ timeout: 20_000 });
    await rita.page.getByRole('region', { name: 'Aliases' }).getByRole('button', { name: 'Remove alias best' }).waitFor();
    for (const name of ['Add alias', 'Delete…', 'Link to registered model']) {
      const button = rita.page.getByRole('button', { name, exact: true });
      expect(await button.isDisabled()).toBe(true);
      expect(await button.getAttribute('title')).toContain('Read-only');
    }
    await shot(rita.page, 'version-read-only.png');

    // Deleting the production version is refused, with the reason.
    await openVersion(page, 'vision/resnet50:v1');
    await page.getByRole('heading', { name: /resnet50:v1/ }).waitFor();
    await shot(page, 'version.png');
    await page.getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('dialog', { name: /Delete vision\/resnet50:v1/ });
    await dialog.getByLabel('Reason').fill('cleanup');
    await dialog.getByRole('button', { name: 'Delete version' }).click();
    await dialog.getByRole('alert').filter({ hasText: '"production" of registered model classifier' }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByText(/deleted by/).count()).toBe(0);

    // Overview and quick open, for the README.
    await page.getByRole('button', { name: /Workspace acme/ }).click();
    await page.getByRole('heading', { name: 'acme' }).waitFor();
    await shot(page, 'overview.png');
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: /Jump to/ }).fill('classifier:production');
    await page.getByRole('listbox', { name: 'Matches' }).getByRole('option').first().waitFor();
    await shot(page, 'quick-open.png');
    await page.keyboard.press('Escape');

    for (const a of apps) expect(a.problems.filter((p) => !/permission denied|WebSocket/i.test(p)), `${a.member}'s console`).toEqual([]);
  }
}
