import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A tiny stand-in for the built renderer, plus a file beside it that must never be served. */
export async function makeRendererFixture(): Promise<{ root: string; rendererDir: string; remove(): Promise<void> }> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'cairn-renderer-'));
  const rendererDir = path.join(root, 'renderer');
  await fs.mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await fs.writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Cairn</title>');
  await fs.writeFile(path.join(rendererDir, 'assets', 'app-abc123.js'), 'console.log("cairn")');
  await fs.writeFile(path.join(root, 'secret.txt'), 'not for the web');
  return { root, rendererDir, remove: () => fs.rm(root, { recursive: true, force: true }) };
}
