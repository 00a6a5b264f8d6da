import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, repoRoot, tempDir, writeTree } from './support';

let root: string;
let dataDir: string;
let src: string;
beforeAll(async () => {
  root = await tempDir();
  dataDir = path.join(root, 'data');
  src = path.join(root, 'ckpt');
  await writeTree(src, { 'config.json': '{"layers": 12}', 'weights/w.bin': Buffer.alloc(100_000, 7) });
});
afterAll(() => removeDir(root));

// Resolved from the repository, because the CLI runs in a temp folder (to test relative paths).
const tsx = pathToFileURL(createRequire(path.join(repoRoot, 'package.json')).resolve('tsx')).href;

/** Runs the CLI as `npm run cairn --` does (tsx), without npm's banner. */
function cairn(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', tsx, path.join(repoRoot, 'electron/main/cli/cairn.ts'), ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run cairn -- store', () => {
  it('put, ls, verify, rm and gc, as JSON; relative paths are resolved', async () => {
    const put = await cairn('store', 'put', 'ckpt', '--data-dir', dataDir, '--json');
    expect(put.code, put.stderr).toBe(0);
    expect(put.stderr).toBe(''); // no progress bar when stderr is not a terminal
    const version = JSON.parse(put.stdout);
    expect(version).toMatchObject({ files: 2, bytes: 100_014, reused: false, manifest: { files: [{ path: 'config.json' }, { path: 'weights/w.bin' }] } });

    const ls = await cairn('store', 'ls', '--data-dir', dataDir, '--json');
    expect(JSON.parse(ls.stdout)).toEqual([expect.objectContaining({ versionId: version.versionId, digest: version.digest })]);

    const verify = await cairn('store', 'verify', version.versionId, '--data-dir', dataDir, '--json');
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, filesChecked: 2 });

    expect((await cairn('store', 'rm', version.versionId, '--data-dir', dataDir)).stdout).toContain(`removed ${version.versionId}`);
    const gc = await cairn('store', 'gc', '--data-dir', dataDir, '--json');
    expect(JSON.parse(gc.stdout)).toMatchObject({ blobsRemoved: 2, blobsKept: 0 });
  });

  it('prints people a short summary', async () => {
    const put = await cairn('store', 'put', src, '--data-dir', dataDir);
    expect(put.stdout).toMatch(/^version [0-9a-z]{26}\n {2}digest [0-9a-f]{64}\n {2}2 files, 100\.0 KB/);
  });

  it('exits 1 with the problems listed when verify finds damage', async () => {
    const { stdout } = await cairn('store', 'put', src, '--data-dir', dataDir, '--json');
    const version = JSON.parse(stdout);
    await fs.chmod(version.path, 0o755);
    await fs.writeFile(path.join(version.path, 'stray.txt'), 'x');
    const verify = await cairn('store', 'verify', '--data-dir', dataDir);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain('extra        stray.txt: not in the manifest (a file)');
    expect(verify.stderr.trim().split('\n')).toEqual(['cairn: VERIFY_FAILED: 1 problem in 1 version']);
    await fs.rm(path.join(version.path, 'stray.txt'));
    await fs.chmod(version.path, 0o555);
  });

  it.each([
    [['store', 'put', '/no/such/ckpt'], 'cairn: SOURCE_MISSING: /no/such/ckpt does not exist'],
    [['store', 'verify', 'not-an-id'], 'cairn: VERSION_ID_INVALID: "not-an-id" is not a Cairn version id'],
    [['store', 'put'], 'cairn: USAGE: usage: npm run cairn -- store put <path>...'],
    [['store', 'frobnicate'], 'cairn: USAGE: unknown store command "frobnicate"'],
    [['store', 'ls', '--bogus'], "cairn: USAGE: Unknown option '--bogus'"],
  ])('fails with exit 1 and one line for %j', async (args, line) => {
    const result = await cairn(...args, '--data-dir', dataDir);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(line);
  });

  it('also answers errors as JSON on stdout when asked for JSON', async () => {
    const result = await cairn('store', 'put', '/no/such/ckpt', '--data-dir', dataDir, '--json');
    expect(JSON.parse(result.stdout)).toEqual({ error: { code: 'SOURCE_MISSING', message: '/no/such/ckpt does not exist' } });
  });
});
