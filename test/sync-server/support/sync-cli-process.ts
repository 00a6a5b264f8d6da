import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../support/web-mode';

export interface SyncCliProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** Every JSON log line so far. */
  logs(): Array<Record<string, unknown>>;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const CLI = path.join(repoRoot, 'sync-server/cli.ts');

/** Runs `npm run sync-server -- …` (tsx, as the script does) and waits for its "listening" line. */
export async function startSyncCli(args: string[], { timeoutMs = 20_000 } = {}): Promise<SyncCliProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const logs = () =>
    output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // never leave a server behind a failed test
      reject(new Error(`sync server did not start:\n${output}`));
    }, timeoutMs);
    const check = () => {
      const line = logs().find((l) => l.msg === 'sync server listening');
      if (line) {
        clearTimeout(timer);
        resolve(line.url as string);
      }
    };
    child.stdout!.on('data', check);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`sync server exited with ${code}:\n${output}`));
    });
  });
  return { child, url, port: Number(new URL(url).port), logs, output: () => output, exited };
}

/** Runs the CLI to completion (argument and tokens-file errors). */
export function runSyncCli(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: repoRoot });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => resolve({ code, output }));
  });
}
