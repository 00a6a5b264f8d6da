/**
 * `npm run bench:sync [-- --json] [-- --quick]`: the sync server against the reference
 * (`@y/websocket-server` 0.1.1 with its LevelDB persistence), same load, same run.
 *
 *   fanout_ms_p50/p99  an alias move on one client until every other client in its room
 *                      has it: 200 clients in 20 rooms, 2 moves/s each, for 20 s; three runs
 *                      per server, alternating, median of the runs' percentiles
 *   server_rss_mb      the server process's peak RSS during that load (median of the runs)
 *   server_cpu_s       the server's CPU time during that load (diagnostic)
 *   initial_sync_ms    a new client (a fresh process) joining a project doc of 100,000
 *                      versions that a teammate holds open, until it holds it all (median of 3)
 *   restart_ms         server start (spawn) until a room holding that doc is served to a
 *                      client retrying every 20 ms (median of 3)
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
/** Only the fan-out phase (for profiling it). */
const fanoutOnly = args.has('--fanout-only');
/** `--profile-server`: our server writes a V8 CPU profile per run into $TMPDIR/cairn-sync-server-profiles. */
const serverNodeArgs = args.has('--profile-server') ? ['--cpu-prof', '--cpu-prof-dir', path.join(os.tmpdir(), 'cairn-sync-server-profiles')] : [];
const CONFIG = {
  rooms: 20,
  clientsPerRoom: 10,
  movesPerSecond: 2,
  durationMs: quick ? 5_000 : 20_000,
  versions: quick ? 20_000 : 100_000,
  aliasMoves: quick ? 2_000 : 10_000,
  repeats: 3,
  fanoutRuns: quick ? 1 : 3,
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
    spawn(process.execPath, [...serverNodeArgs, path.join(repoRoot, 'out/sync-server/index.js'), '--port', String(port), '--data', dataDir, '--tokens', path.join(dataDir, '..', 'tokens.json'), '--log-level', 'warn'], {
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

/** User + system CPU seconds a process has used (Linux clock ticks at 100 Hz). */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Linux pressure-stall total ("some" tasks stalled), in microseconds; 0 where PSI is unavailable. */
function psiTotal(resource: 'cpu' | 'io'): number {
  try {
    return Number(/^some .*total=(\d+)$/m.exec(fs.readFileSync(`/proc/pressure/${resource}`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
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

interface FanoutFigures {
  latencies: number[];
  rssPeakMb: number;
  cpuSeconds: number;
}

async function startServer(target: ServerUnderTest, dataDir: string): Promise<{ server: ChildProcess; port: number; url: string }> {
  const port = await freePort();
  const server = target.start(port, dataDir);
  await waitForPort(port);
  return { server, port, url: `ws://127.0.0.1:${port}` };
}

/** 200 clients in 20 rooms, each appending an alias move twice a second; the server's RSS and CPU sampled throughout. */
async function measureFanout(target: ServerUnderTest, dataDir: string): Promise<FanoutFigures> {
  const { server, url } = await startServer(target, dataDir);
  const rooms = Array.from({ length: CONFIG.rooms }, (_, i) => `bench/project/room-${String(i).padStart(2, '0')}`);
  const loaders = [new Worker(), new Worker()];
  const half = CONFIG.rooms / 2;
  await Promise.all(
    loaders.map((w, i) =>
      w.ask<'ready'>({ cmd: 'fanout', url, rooms: rooms.slice(i * half, (i + 1) * half), clientsPerRoom: CONFIG.clientsPerRoom, token: TOKEN, movesPerSecond: CONFIG.movesPerSecond, durationMs: CONFIG.durationMs }),
    ),
  );
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(rssMb(server.pid!)), 250);
  // Ours reports its event-loop delay; one scrape before (which resets it) and one after.
  const loopDelay = async () => {
    if (target.name !== 'ours') return null;
    const text = await (await fetch(`${url.replace('ws:', 'http:')}/metrics`)).text();
    const gauge = (name: string) => round(Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]) * 1000);
    return { p99: gauge('cairn_sync_event_loop_delay_p99_seconds'), max: gauge('cairn_sync_event_loop_delay_max_seconds'), writeMax: gauge('cairn_sync_storage_write_max_seconds') };
  };
  await loopDelay();
  const pressureBefore = { cpu: psiTotal('cpu'), io: psiTotal('io'), t: performance.now() };
  const cpuBefore = cpuSeconds(server.pid!);
  const results = await Promise.all(loaders.map((w) => w.ask<'latencies'>({ cmd: 'start' })));
  const cpu = cpuSeconds(server.pid!) - cpuBefore;
  clearInterval(sampler);
  const delay = await loopDelay();
  const seconds = (performance.now() - pressureBefore.t) / 1000;
  const pressure = { cpu: (psiTotal('cpu') - pressureBefore.cpu) / 1000 / seconds, io: (psiTotal('io') - pressureBefore.io) / 1000 / seconds };
  await Promise.all(loaders.map((w) => w.exit()));
  await stop(server);
  const latencies = results.flatMap((r) => r.latencies);
  const incomplete = results.reduce((n, r) => n + r.incomplete, 0);
  log(
    `${target.name}: fan-out p50 ${round(percentile(latencies, 50), 2)} ms, p99 ${round(percentile(latencies, 99), 2)} ms over ${latencies.length} moves` +
      `${incomplete ? ` (${incomplete} never reached every client)` : ''}; server peak RSS ${round(Math.max(...rss))} MB, CPU ${round(cpu, 2)} s` +
      `${delay ? `, event-loop delay p99 ${delay.p99} ms, max ${delay.max} ms, longest SQLite write ${delay.writeMax} ms` : ''}` +
      `; machine pressure during the run: cpu ${round(pressure.cpu)} ms, io ${round(pressure.io)} ms stalled per s`,
  );
  return { latencies, rssPeakMb: Math.max(...rss), cpuSeconds: cpu };
}

/** Each join in a fresh process, as a new client would be: no heap left over from the previous one. */
async function joinOnce(command: Extract<WorkerCommand, { cmd: 'join' }>, beforeJoin?: () => void): Promise<number> {
  const joiner = new Worker();
  await joiner.ask<'ready'>({ cmd: 'ping' });
  const started = performance.now();
  beforeJoin?.();
  const { ms } = await joiner.ask<'joined'>(command);
  const outside = performance.now() - started;
  await joiner.exit();
  return beforeJoin ? outside : ms;
}

/** A teammate holds the big project doc open; new clients join it; then the server restarts under it. */
async function measureBigDoc(target: ServerUnderTest, dataDir: string): Promise<{ joins: number[]; restarts: number[] }> {
  let { server, port, url } = await startServer(target, dataDir);
  const seeder = new Worker();
  const seeded = await seeder.ask<'seeded'>({ cmd: 'seed', url, room: BIG_ROOM, token: TOKEN, versions: CONFIG.versions, aliasMoves: CONFIG.aliasMoves });
  const join = { cmd: 'join', url, room: BIG_ROOM, token: TOKEN, versions: seeded.versions, aliasMoves: seeded.aliasMoves } as const;
  const warm = await joinOnce(join); // returns once the server holds all of it
  log(`${target.name}: seeded ${CONFIG.versions} versions (${round(seeded.bytes / 1e6)} MB as one update); warm-up join ${round(warm)} ms`);
  const joins: number[] = [];
  for (let i = 0; i < CONFIG.repeats; i++) joins.push(await joinOnce(join));
  log(`${target.name}: joins ${joins.map((x) => round(x)).join(', ')} ms`);
  await seeder.exit();

  // From spawning the server until a client (retrying every 20 ms) holds the whole doc.
  const restarts: number[] = [];
  for (let i = 0; i < CONFIG.repeats; i++) {
    await stop(server);
    restarts.push(await joinOnce({ ...join, retryMs: 20 }, () => (server = target.start(port, dataDir))));
  }
  log(`${target.name}: restarts ${restarts.map((x) => round(x)).join(', ')} ms`);
  await stop(server);
  return { joins, restarts };
}

async function main(): Promise<void> {
  const started = performance.now();
  log('building the sync server (out/sync-server/index.js)');
  const build = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'sync-server/vite.config.ts'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('building the sync server failed');
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-sync-bench-'));
  fs.writeFileSync(path.join(workDir, 'tokens.json'), JSON.stringify([{ token: TOKEN, workspace: 'bench', role: 'write', name: 'Bench' }]));
  try {
    // Fan-out alternates between the servers, so drift on the machine hits both alike.
    const fanout: Record<'ours' | 'ref', FanoutFigures[]> = { ours: [], ref: [] };
    for (let run = 0; run < CONFIG.fanoutRuns; run++) {
      for (const target of [ours, reference]) fanout[target.name].push(await measureFanout(target, path.join(workDir, `${target.name}-fanout-${run}`)));
    }
    const big = fanoutOnly ? null : { ours: await measureBigDoc(ours, path.join(workDir, 'ours-big')), ref: await measureBigDoc(reference, path.join(workDir, 'ref-big')) };
    const figures = (name: 'ours' | 'ref') => ({
      fanout_ms_p50: round(median(fanout[name].map((f) => percentile(f.latencies, 50))), 2),
      fanout_ms_p99: round(median(fanout[name].map((f) => percentile(f.latencies, 99))), 2),
      server_rss_mb: round(median(fanout[name].map((f) => f.rssPeakMb))),
      server_cpu_s: round(median(fanout[name].map((f) => f.cpuSeconds)), 2),
      initial_sync_ms: big ? round(median(big[name].joins)) : NaN,
      restart_ms: big ? round(median(big[name].restarts)) : NaN,
    });
    const mine = figures('ours');
    const ref = figures('ref');
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
      server_cpu_s: mine.server_cpu_s,
      ref_server_cpu_s: ref.server_cpu_s,
      config: { ...CONFIG, cores: os.cpus().length, node: process.version },
      total_s: round((performance.now() - started) / 1000),
    };
    if (args.has('--json')) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      console.table(
        Object.fromEntries(
          (['fanout_ms_p50', 'fanout_ms_p99', 'server_rss_mb', 'server_cpu_s', 'initial_sync_ms', 'restart_ms'] as const).map((k) => [k, { ours: mine[k], reference: ref[k], ratio: round(mine[k] / ref[k], 3) }]),
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
