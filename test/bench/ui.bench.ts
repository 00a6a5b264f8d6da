/**
 * npm run bench:ui -- [--json] [--runs N] [--profile]
 * Chromium on web mode, with a workspace of 100,000 versions (10 projects) already in
 * the browser's IndexedDB, synced from a real sync server. Measures:
 *   first_paint_ms  navigation to the artifact table showing rows (a 10k-version artifact)
 *   filter_ms       typing a filter until the table shows the result
 *   scroll_frame_ms_p95  frame time while flinging through the table (vsync off, so frames run as fast as they can)
 *   js_heap_mb      the page's JS heap after a full collection, with all 10 projects open
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import type { Protocol } from 'playwright-core/types/protocol';
import { build } from 'vite';
import { rendererConfig } from '../../renderer/vite.config';
import { CHROMIUM_PATH } from '../e2e/support/browser';
import { startSyncCli } from '../sync-server/support/sync-cli-process';
import { startWebMode } from '../support/web-mode';
import { UI_WORKSPACE, writeLargeWorkspace } from './large-workspace';
import { median, numberArg, percentile, round, wantsJson } from './stats';

const runs = numberArg('runs', 5);
const log = (...a: unknown[]) => console.log(...a);
const TOKEN = 'bench-admin-token-0123456789abcdef';

type CpuProfile = Protocol.Profiler.Profile;

/** Chromium's CPU profile (200 µs sampling) of the page while `action` runs. */
async function cpuProfile(page: Page, action: () => Promise<unknown>): Promise<CpuProfile> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await action();
  const { profile } = await cdp.send('Profiler.stop');
  return profile;
}

/** Self time per function (name, file, line), in ms. */
function selfTimes(profile: CpuProfile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples!.forEach((id, i) => {
    const n = byId.get(id)!;
    const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas![i] ?? 0) / 1000);
  });
  return self;
}

const topLines = (times: Map<string, number>, n: number) =>
  [...times.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `  ${v.toFixed(1).padStart(7)} ms ${k}`).join('\n');

const root = await fs.mkdtemp(path.join(os.tmpdir(), 'cairn-bench-ui-'));
const cleanups: (() => Promise<unknown>)[] = [];
try {
  const rendererDir = path.join(root, 'renderer');
  await build({ ...rendererConfig, logLevel: 'warn', build: { ...rendererConfig.build, outDir: rendererDir, emptyOutDir: true, minify: !process.argv.includes('--profile') } });
  let t = performance.now();
  const { bigProject, bigArtifact } = writeLargeWorkspace(path.join(root, 'sync-data'));
  log(`wrote 10 projects × 10,000 versions into the sync server's storage in ${round((performance.now() - t) / 1000, 1)} s`);
  await fs.writeFile(path.join(root, 'tokens.json'), JSON.stringify([{ token: TOKEN, workspace: UI_WORKSPACE, role: 'admin', name: 'bench' }]));
  const server = await startSyncCli(['--port', '0', '--data', path.join(root, 'sync-data'), '--tokens', path.join(root, 'tokens.json'), '--log-level', 'info']);
  cleanups.push(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
  });
  const web = await startWebMode(['--port', '0', '--data-dir', path.join(root, 'web-data'), '--renderer-dir', rendererDir]);
  cleanups.push(() => web.stop());
  const settings = await fetch(`${web.url}api/call/settings.update`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${web.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ args: [{ serverUrl: server.url.replace(/^ws/, 'http'), token: TOKEN, displayName: 'bench' }] }),
  });
  if (!settings.ok) throw new Error(`settings: ${await settings.text()}`);

  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu-vsync', '--disable-frame-rate-limit'],
  });
  cleanups.push(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  // The moment version rows are first on screen, measured inside the page from navigation
  // start (performance.timeOrigin): the first frame after a version link appears in the table.
  await context.addInitScript(() => {
    const w = window as unknown as { __rowsPainted?: number };
    const observer = new MutationObserver(() => {
      if (w.__rowsPainted === undefined && document.querySelector('.versions-table a.version-link')) {
        observer.disconnect();
        requestAnimationFrame(() => (w.__rowsPainted = performance.now()));
      }
    });
    observer.observe(document, { childList: true, subtree: true });
  });
  const artifactUrl = `${web.url}?token=${encodeURIComponent(web.token)}#/p/${bigProject}/a/${bigArtifact}`;

  // First visit: everything syncs from the server into IndexedDB.
  t = performance.now();
  const first = await context.newPage();
  await first.goto(artifactUrl);
  first.on('pageerror', (e) => log('page error:', e.message));
  await first.waitForFunction(() => {
    const el = document.querySelector('[aria-label="Sync status"]');
    return el?.getAttribute('data-documents') === '11' && el.getAttribute('data-overall') === 'synced';
  }, undefined, { timeout: 300_000, polling: 250 });
  const initialSyncS = (performance.now() - t) / 1000;
  log(`first visit synced 11 documents (100k versions) into IndexedDB in ${round(initialSyncS, 1)} s`);
  await first.waitForTimeout(1500); // let y-dexie finish writing
  await first.close();

  const rowsShown = (page: Page) => page.getByRole('table', { name: `Versions of ${bigArtifact}` }).getByRole('link', { name: /^v\d+$/ }).first().waitFor({ timeout: 60_000 });
  const paints: number[] = [];
  let page!: Page;
  for (let r = 0; r < runs; r++) {
    if (page) await page.close();
    page = await context.newPage();
    await page.goto(artifactUrl);
    // Polls one variable every 50 ms: a role query polled on every frame (Playwright's
    // locators) would cost the page tens of milliseconds of main thread during the load.
    paints.push(Math.round(await page.waitForFunction(() => (window as unknown as { __rowsPainted?: number }).__rowsPainted, undefined, { polling: 50, timeout: 60_000 }).then((h) => h.jsonValue() as Promise<number>)));
    await rowsShown(page); // and they are the versions table's rows, by role and name
  }
  log(`first paint: ${paints.join(', ')} ms`);
  if (process.argv.includes('--profile')) {
    // Where first paint's time goes, by function (self time), from Chromium's CPU profiler.
    await page.close();
    page = await context.newPage();
    const profile = await cpuProfile(page, async () => {
      await page.goto(artifactUrl);
      await page.waitForFunction(() => (window as unknown as { __rowsPainted?: number }).__rowsPainted, undefined, { polling: 50 });
    });
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = selfTimes(profile);
    log(topLines(self, 25));
    // Who called the hottest leaf: its stacks, heaviest first.
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const hottest = [...self.entries()].sort((a, b) => b[1] - a[1]).find(([k]) => !k.startsWith('('))?.[0];
    const stacks = new Map<string, number>();
    profile.samples!.forEach((id, i) => {
      const n = byId.get(id)!;
      if (`${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}` !== hottest) return;
      const chain: string[] = [];
      for (let p = parent.get(id); p !== undefined && chain.length < 8; p = parent.get(p)) chain.push(byId.get(p)!.callFrame.functionName || '(anon)');
      const key = chain.join(' < ');
      stacks.set(key, (stacks.get(key) ?? 0) + (profile.timeDeltas![i] ?? 0) / 1000);
    });
    const inclusive = new Map<string, number>();
    profile.samples!.forEach((id, i) => {
      const seen = new Set<string>();
      for (let p: number | undefined = id; p !== undefined; p = parent.get(p)) {
        const name = byId.get(p)!.callFrame.functionName;
        if (name && !seen.has(name)) {
          seen.add(name);
          inclusive.set(name, (inclusive.get(name) ?? 0) + (profile.timeDeltas![i] ?? 0) / 1000);
        }
      }
    });
    log('  inclusive: ' + [...inclusive.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(' · '));
    // A timeline: per 50 ms of the load, the heaviest functions that are not plumbing.
    const plumbing = /^(\(root\)|\(program\)|\(idle\)|\(anon\)|performWorkOnRoot|renderRootSync|workLoopSync|performUnitOfWork|beginWork|renderWithHooks|updateFunctionComponent|processRootScheduleInMicrotask|performSyncWorkOnRoot|flushSyncWorkAcrossRoots_impl|performWorkUntilDeadline|performWorkOnRootViaSchedulerTask|execInGlobalContext|runMicrotasks|)$/;
    const buckets = new Map<number, Map<string, number>>();
    let clock = 0;
    profile.samples!.forEach((id, i) => {
      clock += (profile.timeDeltas![i] ?? 0) / 1000;
      const bucket = Math.floor(clock / 50) * 50;
      const names = new Set<string>();
      for (let p: number | undefined = id; p !== undefined; p = parent.get(p)) {
        const name = byId.get(p)!.callFrame.functionName;
        if (!plumbing.test(name)) names.add(name);
      }
      const m = buckets.get(bucket) ?? new Map<string, number>();
      buckets.set(bucket, m);
      for (const name of names) m.set(name, (m.get(name) ?? 0) + (profile.timeDeltas![i] ?? 0) / 1000);
      if (names.size === 0) m.set(byId.get(id)!.callFrame.functionName || '(self)', (m.get(byId.get(id)!.callFrame.functionName || '(self)') ?? 0) + (profile.timeDeltas![i] ?? 0) / 1000);
    });
    log('  timeline (ms from profiler start):');
    for (const [t, m] of [...buckets.entries()].sort((a, b) => a[0] - b[0])) {
      log(`    ${String(t).padStart(5)}: ${[...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(' · ')}`);
    }
    log(`  ${hottest} is called from:`);
    log([...stacks.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, v]) => `    ${v.toFixed(1)} ms  ${k}`).join('\n'));
  }
  const marks = await page.evaluate(() => [
    ...performance.getEntriesByType('resource').filter((r) => /\.(js|css)$/.test(r.name)).map((r) => `${r.name.split('/').pop()} fetched ${Math.round((r as PerformanceResourceTiming).responseEnd)}`),
    ...performance.getEntriesByType('mark').map((m) => `${m.name} ${Math.round(m.startTime)}`),
  ]);
  log(`  where the last one went (ms since navigation): ${marks.join(' · ')}`);

  // Steady state: every project open in this tab (they load in the background after first paint).
  await page.waitForFunction(() => document.querySelector('[aria-label="Sync status"]')?.getAttribute('data-documents') === '11', undefined, { timeout: 120_000 });
  await page.waitForTimeout(1000);

  // filter_ms: from the keystroke that completes a filter until the count and rows show its result.
  const filters = ['val_loss < 0.5', 'val_loss < 0.3 epoch>=50', 'tag:milestone', 'alias:best', 'val_acc >= 0.9', ''];
  const filterTimes: number[] = [];
  for (let r = 0; r < 3; r++) {
    for (const f of filters) {
      const ms = await page.evaluate(async (text) => {
        const input = document.querySelector<HTMLInputElement>('input[aria-label="Filter versions"]')!;
        const count = document.querySelector('.filter-count')!;
        const before = count.textContent;
        const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
        const start = performance.now();
        setter.call(input, text);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        for (;;) {
          await new Promise((r) => requestAnimationFrame(() => r(null)));
          if (count.textContent !== before || text === '' || performance.now() - start > 5000) return performance.now() - start;
        }
      }, f);
      filterTimes.push(ms);
    }
  }
  log(`filter: median ${round(median(filterTimes), 1)} ms over ${filterTimes.length} filters`);

  // scroll_frame_ms_p95: fling through the table at 600 px a frame (36,000 px/s at 60 Hz,
  // a hard trackpad fling: ~18 new rows every frame); with vsync off a frame's interval is
  // the time it took (React rows, style, layout, paint). Also reported: a full-screen jump
  // per frame (every row new every frame), the worst case.
  const fling = (step: number) => page.evaluate(async (px) => {
    const scroller = document.querySelector<HTMLElement>('.table-scroll')!;
    const deltas: number[] = [];
    let last = performance.now();
    const end = last + 3000;
    let direction = 1;
    while (performance.now() < end) {
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      const now = performance.now();
      deltas.push(now - last);
      last = now;
      if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 10) direction = -1;
      if (scroller.scrollTop <= 0) direction = 1;
      scroller.scrollTop += direction * px;
    }
    return deltas.slice(5);
  }, step);
  // Three 3-second flings; the figure is the median of their p95s (one fling's p95 swings
  // by ±30% on a shared VM).
  const flings: number[][] = [];
  for (let r = 0; r < 3; r++) flings.push(await fling(600));
  const frames = flings.flat();
  const flingP95s = flings.map((f) => percentile(f, 95));
  if (process.argv.includes('--profile')) {
    // Where a fling's frames go: scripting by function, and the browser's own work
    // (style, layout, paint) under "(program)".
    log('  fling profile (self ms over 3 s):\n' + topLines(selfTimes(await cpuProfile(page, () => fling(600))), 20));
    const cdp = await context.newCDPSession(page);
    // The browser's side, from a trace: time per renderer main-thread event (self time).
    const events: { name: string; ph: string; dur?: number; tid: number; ts: number }[] = [];
    cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as typeof events)));
    const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
    await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
    await fling(600);
    await cdp.send('Tracing.end');
    await done;
    const complete = events.filter((e) => e.ph === 'X' && e.dur !== undefined);
    const byThread = new Map<number, number>();
    for (const e of complete) if (e.name === 'RunTask') byThread.set(e.tid, (byThread.get(e.tid) ?? 0) + e.dur!);
    const main = [...byThread.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    const totals = new Map<string, number>();
    for (const e of complete) if (e.tid === main && e.name !== 'RunTask') totals.set(e.name, (totals.get(e.name) ?? 0) + e.dur! / 1000);
    log('  fling trace (main thread, inclusive ms over 3 s): ' + [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 16).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(' · '));
  }
  const jumps = await fling(2400);
  log(`scroll: ${frames.length} frames, p50 ${round(median(frames), 1)} ms, p95 per fling ${flingP95s.map((x) => round(x, 1)).join(', ')} ms; full-screen jumps p95 ${round(percentile(jumps, 95), 1)} ms`);

  // js_heap_mb, after a full collection, with every project open in this tab.
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const metrics = (await cdp.send('Performance.getMetrics')).metrics;
  const heap = (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 2 ** 20;
  log(`JS heap: ${round(heap, 1)} MB`);

  // --screenshots DIR: the artifact table and a version page of this 100k-version workspace.
  const shotsAt = process.argv.indexOf('--screenshots');
  if (shotsAt !== -1) {
    const dir = path.resolve(process.argv[shotsAt + 1] ?? '.');
    await fs.mkdir(dir, { recursive: true });
    await page.evaluate(() => (document.querySelector('.table-scroll')!.scrollTop = 0));
    const input = page.getByLabel('Filter versions');
    await input.fill('val_loss < 0.35 epoch >= 40');
    await page.getByRole('button', { name: 'val_loss', exact: true }).click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(dir, 'artifact-table.png') });
    await input.fill('');
  }

  const result = {
    versions: 100_000,
    projects: 10,
    artifact_versions: 10_000,
    first_paint_ms: round(median(paints), 0),
    first_paint_ms_runs: paints,
    filter_ms: round(median(filterTimes), 1),
    filter_ms_p95: round(percentile(filterTimes, 95), 1),
    scroll_frame_ms_p50: round(median(frames), 2),
    scroll_frame_ms_p95: round(median(flingP95s), 2),
    scroll_frame_ms_p95_runs: flingP95s.map((x) => round(x, 2)),
    scroll_frames: frames.length,
    scroll_jump_frame_ms_p95: round(percentile(jumps, 95), 2),
    js_heap_mb: round(heap, 1),
    initial_sync_s: round(initialSyncS, 1),
    targets: { first_paint_ms: 800, filter_ms: 100, scroll_frame_ms_p95: 16, js_heap_mb: 300 },
  };
  if (wantsJson()) console.log(JSON.stringify(result));
} finally {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  await fs.rm(root, { recursive: true, force: true });
}
