/**
 * `npm run bench:sync [-- --json] [-- --quick]`: the sync server against the reference
 * (`@y/websocket-server` 0.1.1 with its LevelDB persistence), same load, same run.
 *
 *   fanout_ms_p50/p99  an alias move on one client until every other client in its room
 *                      has it: 200 clients in 20 rooms, 2 moves/s each, for 20 s
 *   server_rss_mb      the server process's peak RSS during that load
 *   initial_sync_ms    a new client joining a project doc of 100,000 versions (median of 3)
 *   restart_ms         server start until a room holding that doc is served (median of 3)
 *
 * Each server runs in its own process (ours from the production build), the clients in
 * two more (each room's clients in one process, so one clock times a move). On a
 * 2-core machine the load generators compete with the server for CPU: absolute figures
 * are pessimistic; the ratios, measured under the same conditions, are the point.
 */
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerCommand, WorkerReply } from './sync-bench-worker';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const CONFIG = {
  rooms: 20,
  clientsPerRoom: 10,
  movesPerSecond: 2,
  durationMs: quick ? 5_000 : 20_000,
  versions: quick ? 20_000 : 100_000,
  aliasMoves: quick ? 2_000 : 10_000,
  repeats: 3,
};
const TOKEN = 'bench-write-token-0123456789';
const BIG_ROOM = 'bench/project/big';
const log = (...parts: unknown[]) => console.error('[bench]', ...parts);

interface ServerUnderTest {
  name: 'ours' | 'ref';
  start(port: number, dataDir: string): ChildProcess;
}

const ours: ServerUnderTest = {
  name: 'ours',
  start: (port, dataDir) =>
    spawn(process.execPath, [path.join(repoRoot, 'out/sync-server/index.js'), '--port', String(port), '--data', dataDir, '--tokens', path.join(dataDir, '..', 'tokens.json'), '--log-level', 'warn'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
};

const reference: ServerUnderTest = {
  name: 'ref',
  start: (port, dataDir) =>
    spawn(process.execPath, [path.join(repoRoot, 'node_modules/@y/websocket-server/src/server.js')], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), YPERSISTENCE: dataDir },
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitForPort(port: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

class Worker {
  private readonly child = fork(path.join(repoRoot, 'test/bench/sync-bench-worker.ts'), [], {
    execArgv: ['--import', 'tsx', '--max-old-space-size=4096'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  private readonly waiting: Array<(reply: WorkerReply) => void> = [];
  constructor() {
    this.child.on('message', (m: WorkerReply) => {
      if (m.type === 'error') throw new Error(`bench worker: ${m.message}`);
      this.waiting.shift()?.(m);
    });
  }
  send(command: WorkerCommand): void {
    this.child.send(command);
  }
  ask<T extends WorkerReply['type']>(command: WorkerCommand): Promise<Extract<WorkerReply, { type: T }>> {
    return new Promise((resolve) => {
      this.waiting.push(resolve as (r: WorkerReply) => void);
      this.child.send(command);
    });
  }
  exit(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.send({ cmd: 'exit' } satisfies WorkerCommand);
    });
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

interface Figures {
  fanout_ms_p50: number;
  fanout_ms_p99: number;
  fanout_moves: number;
  server_rss_mb: number;
  initial_sync_ms: number;
  restart_ms: number;
}

async function measure(target: ServerUnderTest, workDir: string): Promise<Figures> {
  const dataDir = path.join(workDir, target.name);
  const port = await freePort();
  const url = `ws://127.0.0.1:${port}`;
  let server = target.start(port, dataDir);
  await waitForPort(port);
  log(`${target.name}: listening on ${port}`);

  // 1. Fan-out under load, with the server's RSS sampled throughout.
  const rooms = Array.from({ length: CONFIG.rooms }, (_, i) => `bench/project/room-${String(i).padStart(2, '0')}`);
  const loaders = [new Worker(), new Worker()];
  const half = CONFIG.rooms / 2;
  await Promise.all(
    loaders.map((w, i) =>
      w.ask<'ready'>({ cmd: 'fanout', url, rooms: rooms.slice(i * half, (i + 1) * half), clientsPerRoom: CONFIG.clientsPerRoom, token: TOKEN, movesPerSecond: CONFIG.movesPerSecond, durationMs: CONFIG.durationMs }),
    ),
  );
  log(`${target.name}: ${CONFIG.rooms * CONFIG.clientsPerRoom} clients connected; ${CONFIG.durationMs / 1000} s of alias moves`);
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(rssMb(server.pid!)), 250);
  const results = await Promise.all(loaders.map((w) => w.ask<'latencies'>({ cmd: 'start' })));
  clearInterval(sampler);
  await Promise.all(loaders.map((w) => w.exit()));
  const latencies = results.flatMap((r) => r.latencies);
  const incomplete = results.reduce((n, r) => n + r.incomplete, 0);
  if (incomplete > 0) log(`${target.name}: ${incomplete} moves never reached every client`);

  // 2. Initial sync of a big project doc: a teammate holds it open, new clients join.
  const seeder = new Worker();
  const joiner = new Worker();
  const seeded = await seeder.ask<'seeded'>({ cmd: 'seed', url, room: BIG_ROOM, token: TOKEN, versions: CONFIG.versions });
  log(`${target.name}: seeded ${CONFIG.versions} versions (${round(seeded.bytes / 1e6)} MB as one update)`);
  const join = { cmd: 'join', url, room: BIG_ROOM, token: TOKEN, versions: CONFIG.versions, aliasMoves: CONFIG.aliasMoves } as const;
  const warm = await joiner.ask<'joined'>(join); // waits until the server holds it all; warms both sides
  log(`${target.name}: warm-up join ${round(warm.ms)} ms`);
  const joins: number[] = [];
  for (let i = 0; i < CONFIG.repeats; i++) joins.push((await joiner.ask<'joined'>(join)).ms);
  log(`${target.name}: joins ${joins.map((x) => round(x)).join(', ')} ms`);
  await seeder.exit();

  // 3. Restart: from spawning the server until a client holds the whole doc again.
  const restarts: number[] = [];
  for (let i = 0; i < CONFIG.repeats; i++) {
    await stop(server);
    const started = performance.now();
    server = target.start(port, dataDir);
    await joiner.ask<'joined'>({ ...join, retryMs: 20 });
    restarts.push(performance.now() - started);
  }
  log(`${target.name}: restarts ${restarts.map((x) => round(x)).join(', ')} ms`);
  await joiner.exit();
  await stop(server);

  return {
    fanout_ms_p50: round(percentile(latencies, 50), 2),
    fanout_ms_p99: round(percentile(latencies, 99), 2),
    fanout_moves: latencies.length,
    server_rss_mb: round(Math.max(...rss)),
    initial_sync_ms: round(median(joins)),
    restart_ms: round(median(restarts)),
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  log('building the sync server (out/sync-server/index.js)');
  const build = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'sync-server/vite.config.ts'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('building the sync server failed');
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-sync-bench-'));
  fs.writeFileSync(path.join(workDir, 'tokens.json'), JSON.stringify([{ token: TOKEN, workspace: 'bench', role: 'write', name: 'Bench' }]));
  try {
    const mine = await measure(ours, workDir);
    const ref = await measure(reference, workDir);
    const result = {
      fanout_ms_p50: mine.fanout_ms_p50,
      fanout_ms_p99: mine.fanout_ms_p99,
      server_rss_mb: mine.server_rss_mb,
      initial_sync_ms: mine.initial_sync_ms,
      restart_ms: mine.restart_ms,
      ref_fanout_ms_p50: ref.fanout_ms_p50,
      ref_fanout_ms_p99: ref.fanout_ms_p99,
      ref_server_rss_mb: ref.server_rss_mb,
      ref_initial_sync_ms: ref.initial_sync_ms,
      ref_restart_ms: ref.restart_ms,
      fanout_p99_over_ref: round(mine.fanout_ms_p99 / ref.fanout_ms_p99, 3),
      initial_sync_over_ref: round(mine.initial_sync_ms / ref.initial_sync_ms, 3),
      rss_over_ref: round(mine.server_rss_mb / ref.server_rss_mb, 3),
      restart_over_ref: round(mine.restart_ms / ref.restart_ms, 3),
      fanout_moves: mine.fanout_moves,
      ref_fanout_moves: ref.fanout_moves,
      config: { ...CONFIG, cores: os.cpus().length, node: process.version },
      total_s: round((performance.now() - started) / 1000),
    };
    if (args.has('--json')) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      console.table(
        Object.fromEntries(
          (['fanout_ms_p50', 'fanout_ms_p99', 'server_rss_mb', 'initial_sync_ms', 'restart_ms'] as const).map((k) => [k, { ours: mine[k], reference: ref[k], ratio: round(mine[k] / ref[k], 3) }]),
        ),
      );
    }
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
