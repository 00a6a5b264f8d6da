/**
 * `npm run cairn -- store <command>`: the version store's plumbing CLI, for scripts
 * and training boxes. Same store, same data directory as the app (`--data-dir` or
 * CAIRN_DATA_DIR). JSON on stdout with --json; a progress bar on stderr when it is a
 * terminal; exit 1 with one line on stderr when something fails.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { StoreProgress, VerifyReport } from '../../shared/contract';
import { HostError } from '../../shared/host-error';
import { defaultDataDir } from '../data-dir';
import { openVersionStore, type VersionStore } from '../store/version-store';
import { formatBytes } from './format-bytes';
import { ProgressBar } from './progress-bar';

const USAGE = `usage: npm run -s cairn -- store <command> [options]

  store put <path>...       log files and folders as a new version (one dropped folder
                            becomes the version's root; several keep their names)
  store ls                  list versions, oldest first
  store verify [versionId]  re-hash one version (default: all) and report every
                            missing, modified or extra file; exit 1 if any
  store gc                  free stored bodies that no version uses
  store rm <versionId>      remove a version (then gc frees its space)

options:
  --data-dir DIR  the store (default ${defaultDataDir()})
  --json          machine-readable output on stdout
  -h, --help      this help`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  const [group, command, ...rest] = positionals;
  if (values.help || !group) {
    console.log(USAGE);
    return 0;
  }
  if (group !== 'store') throw new UsageError(`unknown command "${group}"; try: npm run cairn -- store --help`);
  if (!command) throw new UsageError('which store command? put, ls, verify, gc or rm (see --help)');

  const json = values.json;
  const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());
  const bar = process.stderr.isTTY ? new ProgressBar(process.stderr) : undefined;
  const controller = new AbortController();
  // First Ctrl-C cancels cleanly (nothing half-written stays); a second one is not needed.
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  const onProgress = bar ? (p: Omit<StoreProgress, 'opId'>) => bar.update(p) : undefined;

  const expectArgs = (min: number, max: number, usage: string) => {
    if (rest.length < min || rest.length > max) throw new UsageError(`usage: npm run cairn -- store ${usage}`);
  };
  switch (command) {
    case 'put':
      expectArgs(1, Infinity, 'put <path>...');
      break;
    case 'ls':
    case 'gc':
      expectArgs(0, 0, command);
      break;
    case 'verify':
      expectArgs(0, 1, 'verify [versionId]');
      break;
    case 'rm':
      expectArgs(1, 1, 'rm <versionId>');
      break;
    default:
      throw new UsageError(`unknown store command "${command}": put, ls, verify, gc or rm`);
  }

  const store = await openVersionStore({ dataDir, owner: `cairn store ${command} (npm run cairn)` });
  try {
    return await run(store, command, rest, { json, signal: controller.signal, onProgress, clearProgress: () => bar?.clear() });
  } finally {
    bar?.clear();
    await store.close();
  }
}

async function run(
  store: VersionStore,
  command: string,
  args: string[],
  {
    json,
    signal,
    onProgress,
    clearProgress,
  }: { json: boolean; signal: AbortSignal; onProgress?: (p: Omit<StoreProgress, 'opId'>) => void; clearProgress: () => void },
): Promise<number> {
  const print = (value: unknown, human: () => string) => {
    clearProgress();
    console.log(json ? JSON.stringify(value, null, 2) : human());
  };
  switch (command) {
    case 'put': {
      // A person types relative paths; the store takes only absolute ones.
      const sources = args.map((a) => (a.includes('\0') ? a : path.resolve(a)));
      const result = await store.commit(sources, { signal, onProgress });
      const { manifest: _manifest, ...summary } = result;
      print(json ? result : summary, () =>
        [
          `${result.reused ? 'identical to existing version' : 'version'} ${result.versionId}`,
          `  digest ${result.digest}`,
          `  ${result.files} files, ${formatBytes(result.bytes)} (read ${formatBytes(result.stats.bytesRead)}, ${result.stats.filesFromCache} unchanged files skipped, ${formatBytes(result.stats.bytesStored)} new to the store)`,
          `  ${result.path}`,
        ].join('\n'),
      );
      return 0;
    }
    case 'ls': {
      const versions = await store.list();
      print(versions, () =>
        versions.length === 0 ? 'no versions yet' : versions.map((v) => `${v.versionId}  ${v.createdAt}  ${String(v.files).padStart(6)} files  ${formatBytes(v.bytes).padStart(10)}  ${v.digest.slice(0, 16)}`).join('\n'),
      );
      return 0;
    }
    case 'verify': {
      const report = await store.verify(args[0] ?? null, { signal, onProgress });
      print(report, () => describeReport(report));
      if (!report.ok) {
        clearProgress();
        const bad = report.versions.filter((v) => !v.ok);
        const problems = bad.reduce((n, v) => n + v.problems.length, 0);
        console.error(`cairn: VERIFY_FAILED: ${problems} problem${problems === 1 ? '' : 's'} in ${bad.length} version${bad.length === 1 ? '' : 's'}`);
        return 1;
      }
      return 0;
    }
    case 'gc': {
      const report = await store.gc({ signal, onProgress });
      print(report, () => `freed ${formatBytes(report.bytesFreed)} (${report.blobsRemoved} bodies removed, ${report.blobsKept} kept)`);
      return 0;
    }
    case 'rm': {
      const result = await store.remove(args[0]!);
      print(result, () => `removed ${result.versionId} (run "store gc" to free its space)`);
      return 0;
    }
  }
  return 1;
}

function describeReport(report: VerifyReport): string {
  if (report.versions.length === 0) return 'no versions to verify';
  const lines = report.versions.flatMap((v) => [
    `${v.versionId}: ${v.ok ? 'ok' : `${v.problems.length} problem${v.problems.length === 1 ? '' : 's'}`}`,
    ...v.problems.map((p) => `  ${p.kind.padEnd(12)} ${p.path}: ${p.detail}`),
  ]);
  lines.push(`${report.filesChecked} files checked, ${formatBytes(report.bytesHashed)} hashed`);
  return lines.join('\n');
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const line =
      error instanceof HostError
        ? `${error.code}: ${error.message}`
        : error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
          ? `USAGE: ${(error as Error).message}`
          : `INTERNAL: ${error instanceof Error ? error.message : String(error)}`;
    if (process.argv.includes('--json')) {
      const [code, ...message] = line.split(': ');
      console.log(JSON.stringify({ error: { code, message: message.join(': ') } }));
    }
    console.error(`cairn: ${line.split('\n')[0]}`);
    process.exitCode = 1;
  },
);
