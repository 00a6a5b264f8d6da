import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { repoRoot } from '../support/web-mode';
import { openVersionStore, type VersionStore, type VersionStoreOptions } from '../../electron/main/store/version-store';

export { repoRoot };

/** A fresh temp folder; `cleanup` also undoes the read-only modes the store sets. */
export async function tempDir(prefix = 'cairn-store-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** A fresh store in a temporary directory: `root/data` holds it, `root/src` is free for sources (not created). */
export async function freshStore(): Promise<{ root: string; dataDir: string; src: string; store: VersionStore }> {
  const root = await tempDir();
  const dataDir = path.join(root, 'data');
  return { root, dataDir, src: path.join(root, 'src'), store: await openStore(dataDir) };
}

/** Closes what `freshStore` opened and removes its directory. */
export async function disposeStore({ store, root }: { store: VersionStore; root: string }): Promise<void> {
  await store.close();
  await removeDir(root);
}

export async function removeDir(dir: string): Promise<void> {
  await chmodTree(dir);
  await fs.rm(dir, { recursive: true, force: true });
}

async function chmodTree(dir: string): Promise<void> {
  const stat = await fs.lstat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) return;
  await fs.chmod(dir, 0o755);
  for (const e of await fs.readdir(dir, { withFileTypes: true })) if (e.isDirectory()) await chmodTree(path.join(dir, e.name));
}

/** Writes `{ 'a/b.txt': 'text' | Buffer }` under `root`. */
export async function writeTree(root: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [rel, body] of Object.entries(files)) {
    const file = path.join(root, rel);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, body);
  }
}

/** Incompressible, distinct bytes: a fast AES-CTR keystream seeded by `seed`. */
export function randomBytes(size: number, seed: string): Buffer {
  const key = crypto.createHash('sha256').update(seed).digest();
  const cipher = crypto.createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  return Buffer.concat([cipher.update(Buffer.alloc(size)), cipher.final()]);
}

export function sha256(data: Buffer | string): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** Test defaults: no racy window, so files written a moment ago are cached like old ones. */
export function openStore(dataDir: string, options: Partial<VersionStoreOptions> = {}): Promise<VersionStore> {
  return openVersionStore({ dataDir, racyWindowMs: 0, ...options });
}

/** Every file under `dir`, relative, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, rel: string) => {
    const entries = await fs.readdir(d, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path.join(d, e.name), r);
      else out.push(r);
    }
  };
  await walk(dir, '');
  return out.sort();
}

export async function blobNames(dataDir: string): Promise<string[]> {
  return (await listFiles(path.join(dataDir, 'blobs', 'sha256'))).map((p) => p.replace('/', ''));
}

/** The guarantee after any failed or cancelled commit on an empty store: nothing at all was kept. */
export async function expectNothingStored(dataDir: string): Promise<void> {
  expect(await listFiles(path.join(dataDir, 'staging'))).toEqual([]);
  expect(await fs.readdir(path.join(dataDir, 'versions'))).toEqual([]);
  expect(await fs.readdir(path.join(dataDir, 'manifests'))).toEqual([]);
  expect(await blobNames(dataDir)).toEqual([]);
}

export async function expectError(promise: Promise<unknown>, code: string, message?: string | RegExp): Promise<Error & { code: string }> {
  const error = (await promise.then(
    () => {
      throw new Error(`expected ${code}, but it succeeded`);
    },
    (e: unknown) => e,
  )) as Error & { code: string };
  expect(error.code, error.message).toBe(code);
  if (message !== undefined) expect(error.message).toMatch(message);
  return error;
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export const STORE_CHILD = path.join(repoRoot, 'test/store/fixtures/store-child.ts');

/** Runs the store in another process (fixtures/store-child.ts), as another Cairn process would. */
export function spawnStoreChild(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', STORE_CHILD, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<ChildResult>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  const line = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const m = pattern.exec(stdout);
        if (m) {
          child.stdout.off('data', check);
          resolve(m[0]);
        }
      };
      child.stdout.on('data', check);
      check();
      void exited.then((r) => reject(new Error(`child exited (${r.code ?? r.signal}) before printing ${pattern}:\n${r.stdout}\n${r.stderr}`)));
    });
  return { child, exited, line };
}

/** Root ignores file modes; tests that need a permission to be denied run as this user. */
export const NOBODY = 65534;
export const runningAsRoot = process.getuid?.() === 0;
