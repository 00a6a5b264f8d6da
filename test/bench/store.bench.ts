/**
 * `npm run bench:store -- [--runs N] [--json] [--size-mib M] [--keep]`
 *
 * Generates a synthetic checkpoint (default ~1 GiB: four large shards plus a few hundred
 * small files, incompressible bytes) in a temp dir, then per run measures, in this order:
 *   hash_only_s       openssl dgst -sha256 over every file: the floor (each byte read and hashed once)
 *   cp_then_hash_s    cp -r, then openssl over the copy: the naive approach
 *   log_s             the store's first commit (durable: O_DIRECT or fsync before it counts)
 *   relog_unchanged_s, relog_one_changed_s, verify_s, peak_rss_mb
 *   log_no_fsync_s, log_buffered_s   diagnostics: what durability and O_DIRECT cost or save
 * and prints medians (and every run). With --json the output ends with one JSON object.
 *
 * Page cache: every contender reads the checkpoint from a warm cache (it was just written
 * or read). Dropping caches needs /proc/sys/vm/drop_caches, which containers usually
 * refuse; the bench tries it and says which condition held.
 */
import { execFile, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
    'size-mib': { type: 'string', default: '1024' },
    keep: { type: 'boolean', default: false },
  },
});
const RUNS = Math.max(1, Number(values.runs));
const SIZE_MIB = Math.max(16, Number(values['size-mib']));

type Run = Record<string, number>;

function log(line: string): void {
  process.stdout.write(line + '\n');
}

function exec(cmd: string, args: string[], options: { cwd?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024, ...options }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${cmd} ${args.slice(0, 3).join(' ')}…: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

/** Four shards of a quarter of 7/8 of the size each, the rest in 300 small files of varying size. */
async function generateCheckpoint(dir: string): Promise<{ files: string[]; bytes: number }> {
  const total = SIZE_MIB * 1024 * 1024;
  const shard = Math.floor((total * 7) / 8 / 4);
  const sizes = new Map<string, number>();
  for (let i = 0; i < 4; i++) sizes.set(`model-0000${i + 1}-of-00004.safetensors`, shard);
  const smallTotal = total - 4 * shard;
  const weights = Array.from({ length: 300 }, (_, i) => 1 + ((i * 7919) % 97));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  weights.forEach((w, i) => sizes.set(`optimizer/state-${String(i).padStart(3, '0')}.bin`, Math.max(1, Math.floor((smallTotal * w) / weightSum))));
  sizes.set('config.json', 512);
  let bytes = 0;
  for (const [rel, size] of sizes) {
    const file = path.join(dir, rel);
    await fs.mkdir(path.dirname(file), { recursive: true });
    // AES-CTR keystream: incompressible, distinct per file, and fast to make.
    const cipher = crypto.createCipheriv('aes-256-ctr', crypto.createHash('sha256').update(rel).digest(), Buffer.alloc(16));
    const handle = await fs.open(file, 'w');
    const zeros = Buffer.alloc(8 * 1024 * 1024);
    for (let done = 0; done < size; ) {
      const n = Math.min(zeros.length, size - done);
      await handle.write(cipher.update(zeros.subarray(0, n)));
      done += n;
    }
    await handle.close();
    bytes += size;
  }
  return { files: [...sizes.keys()].map((rel) => path.join(dir, rel)), bytes };
}

/** The stat cache ignores files changed in the last 2 s (see stat-cache.ts): let the checkpoint settle. */
async function waitUntilSettled(files: string[]): Promise<void> {
  let newest = 0;
  for (const f of files) {
    const s = await fs.stat(f);
    newest = Math.max(newest, s.mtimeMs, s.ctimeMs);
  }
  const wait = newest + 2100 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}

/**
 * Each contender starts with no writeback pending from the previous one (deleting a
 * gigabyte leaves the disk busy for a while, with discard especially); untimed.
 */
async function settleDisk(): Promise<void> {
  await exec('sync', []);
  await new Promise((r) => setTimeout(r, 300));
}

async function tryDropCaches(): Promise<boolean> {
  try {
    await exec('sync', []);
    await fs.writeFile('/proc/sys/vm/drop_caches', '3');
    return true;
  } catch {
    return false;
  }
}

function runChild(dataDir: string, checkpoint: string, flags: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'store-bench-child.ts'), dataDir, checkpoint, ...flags], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`bench child exited ${code}`))));
  });
}

async function gitLfsAvailable(): Promise<boolean> {
  return exec('git', ['lfs', 'version']).then(
    () => true,
    () => false,
  );
}

async function gitLfsCommit(checkpoint: string, scratch: string): Promise<number> {
  const repo = path.join(scratch, 'lfs-repo');
  await fs.mkdir(repo);
  await exec('git', ['init', '-q'], { cwd: repo });
  await exec('git', ['lfs', 'install', '--local'], { cwd: repo });
  await exec('git', ['lfs', 'track', '*.safetensors', '*.bin', '*.json'], { cwd: repo });
  await exec('cp', ['-r', `${checkpoint}/.`, repo]);
  const seconds = await timed(async () => {
    await exec('git', ['add', '-A'], { cwd: repo });
    await exec('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', 'commit', '-q', '-m', 'checkpoint'], { cwd: repo });
  });
  await fs.rm(repo, { recursive: true, force: true });
  return seconds;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'cairn-bench-'));
  const checkpoint = path.join(scratch, 'checkpoint');
  try {
    log(`generating a ${SIZE_MIB} MiB checkpoint in ${checkpoint} …`);
    const { files, bytes } = await generateCheckpoint(checkpoint);
    log(`${files.length} files, ${(bytes / 2 ** 20).toFixed(0)} MiB; ${os.cpus().length} cores, Node ${process.version}`);
    const lfs = await gitLfsAvailable();
    const runs: Run[] = [];
    for (let r = 1; r <= RUNS; r++) {
      const cold = await tryDropCaches();
      const run: Run = {};
      // Warm the cache for everyone alike, so no contender pays for the first read.
      await exec('cat', files).catch(() => {});
      await settleDisk();
      run.hash_only_s = await timed(() => exec('openssl', ['dgst', '-sha256', ...files]));

      const copy = path.join(scratch, 'cp-copy');
      await settleDisk();
      run.cp_s = await timed(() => exec('cp', ['-r', checkpoint, copy]));
      run.cp_then_hash_s = run.cp_s + (await timed(() => exec('openssl', ['dgst', '-sha256', ...files.map((f) => path.join(copy, path.relative(checkpoint, f)))])));
      await fs.rm(copy, { recursive: true, force: true });

      await waitUntilSettled(files);
      const dataDir = path.join(scratch, `data-${r}`);
      await settleDisk();
      Object.assign(run, await runChild(dataDir, checkpoint, []));
      await fs.rm(dataDir, { recursive: true, force: true });

      // Diagnostics: the same first commit without durability, and durable but buffered.
      await settleDisk();
      run.log_no_fsync_s = (await runChild(dataDir, checkpoint, ['--no-fsync', '--commit-only'])).log_s!;
      await fs.rm(dataDir, { recursive: true, force: true });
      await settleDisk();
      run.log_buffered_s = (await runChild(dataDir, checkpoint, ['--no-direct', '--commit-only'])).log_s!;
      await fs.rm(dataDir, { recursive: true, force: true });

      if (lfs) run.git_lfs_s = await gitLfsCommit(checkpoint, scratch);
      run.cache_cold = cold ? 1 : 0;
      runs.push(run);
      log(
        `run ${r}: log ${run.log_s!.toFixed(3)} s | hash only ${run.hash_only_s.toFixed(3)} s | cp then hash ${run.cp_then_hash_s.toFixed(3)} s (cp ${run.cp_s.toFixed(3)}) | ` +
          `relog unchanged ${run.relog_unchanged_s!.toFixed(3)} s | relog one changed ${run.relog_one_changed_s!.toFixed(3)} s | verify ${run.verify_s!.toFixed(3)} s | ` +
          `peak RSS ${run.peak_rss_mb!.toFixed(0)} MB | (commit CPU ${run.log_cpu_user_s!.toFixed(2)} user + ${run.log_cpu_system_s!.toFixed(2)} sys; ` +
          `no fsync ${run.log_no_fsync_s.toFixed(3)} s, buffered+fsync ${run.log_buffered_s.toFixed(3)} s)`,
      );
    }

    const med = (key: string) => round(median(runs.map((r) => r[key]!)));
    const result = {
      log_s: med('log_s'),
      hash_only_s: med('hash_only_s'),
      cp_then_hash_s: med('cp_then_hash_s'),
      relog_unchanged_s: med('relog_unchanged_s'),
      relog_one_changed_s: med('relog_one_changed_s'),
      verify_s: med('verify_s'),
      peak_rss_mb: round(median(runs.map((r) => r.peak_rss_mb!)), 1),
      git_lfs_s: lfs ? med('git_lfs_s') : null,
      log_over_hash_only: round(median(runs.map((r) => r.log_s!)) / median(runs.map((r) => r.hash_only_s!))),
      log_over_cp_then_hash: round(median(runs.map((r) => r.log_s!)) / median(runs.map((r) => r.cp_then_hash_s!))),
      diagnostics: {
        cp_alone_s: med('cp_s'),
        log_no_fsync_s: med('log_no_fsync_s'),
        log_buffered_fsync_s: med('log_buffered_s'),
        log_cpu_user_s: med('log_cpu_user_s'),
        log_cpu_system_s: med('log_cpu_system_s'),
        direct_io: runs[0]!.direct_io === 1 || (runs[0] as unknown as { direct_io: boolean }).direct_io === true,
        materialization: (runs[0] as unknown as { materialization: string }).materialization,
      },
      notes: [
        lfs ? 'git lfs: git add + commit of the same files, tracked by LFS' : 'git lfs is not installed here: git_lfs_s is null',
        runs.every((r) => r.cache_cold) ? 'page cache dropped before each run, then warmed for all contenders alike' : 'page cache could not be dropped here; all contenders read from a warm cache',
        'log_s is durable (O_DIRECT or fsync before the version appears); cp -r does not fsync',
      ],
      dataset: { files: files.length, bytes },
      runs: runs.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v]))),
    };
    log('');
    log(`medians of ${RUNS} runs: log ${result.log_s} s, hash only ${result.hash_only_s} s (x${result.log_over_hash_only}), cp then hash ${result.cp_then_hash_s} s (x${result.log_over_cp_then_hash})`);
    log(`relog unchanged ${result.relog_unchanged_s} s, relog one changed ${result.relog_one_changed_s} s, verify ${result.verify_s} s, peak RSS ${result.peak_rss_mb} MB, git lfs ${result.git_lfs_s ?? 'n/a (not installed)'}`);
    if (values.json) log(JSON.stringify(result));
  } finally {
    if (!values.keep) await fs.rm(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench:store: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
