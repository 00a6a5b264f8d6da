import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, randomBytes, removeDir, repoRoot, tempDir, writeTree } from './support';

let root: string;
beforeAll(async () => {
  root = await tempDir();
});
afterAll(() => removeDir(root));

describe('the README\'s definition of the version digest', () => {
  it('is what its shell snippet recomputes from a version folder', async () => {
    const readme = await fs.readFile(path.join(repoRoot, 'README.md'), 'utf8');
    const snippet = /<!-- digest-snippet -->\n```sh\n([\s\S]*?)\n```/.exec(readme)?.[1];
    expect(snippet).toBeDefined();
    // Names that sort differently in UTF-8 and UTF-16, spaces, a percent sign, nesting, an empty file.
    await writeTree(path.join(root, 'src'), {
      '\uff5e wave.txt': 'a',
      '\u{1F600}.txt': 'b',
      'with space/100% done.json': '{}',
      'nested/deeper/w.bin': randomBytes(300_000, 'w'),
      'empty': '',
      'Zebra': 'z',
      'apple': 'a',
    });
    const store = await openStore(path.join(root, 'data'));
    const version = await store.commit([path.join(root, 'src')]);
    await store.close();
    const out = execFileSync('bash', ['-c', snippet!], { env: { ...process.env, VERSION_DIR: version.path } }).toString().trim();
    expect(out).toBe(version.digest);
  });
});
