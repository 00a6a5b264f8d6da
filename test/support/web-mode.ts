import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface WebModeProcess {
  child: ChildProcess;
  url: string;
  loginUrl: string;
  token: string;
  output: () => string;
  stop(): Promise<number | null>;
}

/** Runs `electron/main/web/cli.ts` as `npm run web` does and waits for its URL line. */
export async function startWebMode(args: string[], { timeoutMs = 20_000 } = {}): Promise<WebModeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'electron/main/web/cli.ts'), ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const loginUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web mode did not print its URL:\n${output}`)), timeoutMs);
    const check = () => {
      const match = /^Cairn web: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/m.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web mode exited with ${code}:\n${output}`));
    });
  });
  const parsed = new URL(loginUrl);
  return {
    child,
    loginUrl,
    url: `${parsed.origin}/`,
    token: parsed.searchParams.get('token')!,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

/** Runs the web CLI to completion (for argument errors). */
export function runWebCli(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'electron/main/web/cli.ts'), ...args], { cwd: repoRoot });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => resolve({ code, output }));
  });
}
