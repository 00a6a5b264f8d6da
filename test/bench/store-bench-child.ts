/**
 * One benchmark run of the store, in its own process so its peak memory is its own:
 *   store-bench-child.ts <dataDir> <checkpointDir> [--no-fsync] [--no-direct] [--commit-only]
 * Prints one JSON line: log_s, peak_rss_mb (right after the first commit), and unless
 * --commit-only: relog_unchanged_s, relog_one_changed_s, verify_s.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { openVersionStore } from '../../electron/main/store/version-store';

const [dataDir, checkpoint, ...flags] = process.argv.slice(2);
const seconds = (since: number) => (performance.now() - since) / 1000;

async function main(): Promise<void> {
  const store = await openVersionStore({
    dataDir: dataDir!,
    owner: 'the store benchmark',
    fsync: !flags.includes('--no-fsync'),
    directIo: !flags.includes('--no-direct'),
  });
  const out: Record<string, unknown> = { direct_io: store.directIo, materialization: store.materialization };

  let t = performance.now();
  const cpu = process.cpuUsage();
  const first = await store.commit([checkpoint!]);
  out.log_s = seconds(t);
  // Where the time goes: user ≈ sha256 on the calling thread; system ≈ the kernel's reads and writes on libuv's pool.
  const used = process.cpuUsage(cpu);
  out.log_cpu_user_s = used.user / 1e6;
  out.log_cpu_system_s = used.system / 1e6;
  out.peak_rss_mb = process.resourceUsage().maxRSS / 1024;
  out.files = first.files;
  out.bytes = first.bytes;

  if (!flags.includes('--commit-only')) {
    t = performance.now();
    const again = await store.commit([checkpoint!]);
    out.relog_unchanged_s = seconds(t);
    out.relog_unchanged_bytes_read = again.stats.bytesRead;

    // A training step rewrote one shard: same name, new bytes.
    const shard = path.join(checkpoint!, first.manifest.files.find((f) => f.size === Math.max(...first.manifest.files.map((x) => x.size)))!.path);
    const handle = await fs.open(shard, 'r+');
    await handle.write(Buffer.from(`step ${Date.now()}`), 0, undefined, 0);
    await handle.close();
    t = performance.now();
    const changed = await store.commit([checkpoint!]);
    out.relog_one_changed_s = seconds(t);
    out.relog_one_changed_bytes_read = changed.stats.bytesRead;

    t = performance.now();
    const report = await store.verify(first.versionId);
    out.verify_s = seconds(t);
    if (!report.ok) throw new Error(`verify failed: ${JSON.stringify(report.versions[0]?.problems.slice(0, 3))}`);
  }
  await store.close();
  console.log(JSON.stringify(out));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
