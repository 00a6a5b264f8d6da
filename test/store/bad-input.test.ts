import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VersionStore } from '../../electron/main/store/version-store';
import { disposeStore, expectError, expectNothingStored, freshStore, NOBODY, openStore, randomBytes, runningAsRoot, spawnStoreChild, tempDir, writeTree } from './support';

let root: string;
let dataDir: string;
let src: string;
let store: VersionStore;

beforeEach(async () => {
  ({ root, dataDir, src, store } = await freshStore());
  await writeTree(src, { 'config.json': '{}', 'weights/w.bin': randomBytes(6 * 1024 * 1024, 'w') });
});
afterEach(() => disposeStore({ store, root }));

/** Each bad input: the right code, the offending path in the message, and nothing kept. */
async function expectRefused(sources: string[], code: string, message: string | RegExp): Promise<void> {
  await expectError(store.commit(sources), code, message);
  await expectNothingStored(dataDir);
}

describe('bad input is refused with the path named and nothing half-written', () => {
  it('a missing path', async () => {
    await expectRefused([src, path.join(root, 'nope')], 'SOURCE_MISSING', `${path.join(root, 'nope')} does not exist`);
  });

  it('a path through a file', async () => {
    await expectRefused([path.join(src, 'config.json', 'x')], 'SOURCE_MISSING', 'config.json/x does not exist');
  });

  it('an empty selection, and folders without files', async () => {
    await expectRefused([], 'SOURCE_EMPTY', 'no files or folders were given');
    await fs.mkdir(path.join(root, 'empty/nested/deeper'), { recursive: true });
    await expectRefused([path.join(root, 'empty')], 'SOURCE_EMPTY', `${path.join(root, 'empty')} contains no files`);
  });

  it('a symbolic link, dropped or inside a folder: named, with its target, not followed', async () => {
    await fs.symlink(path.join(src, 'config.json'), path.join(root, 'latest'));
    await expectRefused([path.join(root, 'latest')], 'SOURCE_SYMLINK', `${path.join(root, 'latest')} is a symbolic link (to ${path.join(src, 'config.json')}); Cairn does not follow links (copy the target in instead)`);
    await fs.symlink('../config.json', path.join(src, 'weights/link.json'));
    await expectRefused([src], 'SOURCE_SYMLINK', `${path.join(src, 'weights/link.json')} is a symbolic link`);
  });

  it('a named pipe (FIFO), which must not block the commit', async () => {
    execFileSync('mkfifo', [path.join(src, 'weights/pipe')]);
    await expectRefused([src], 'SOURCE_SPECIAL_FILE', `${path.join(src, 'weights/pipe')} is a named pipe (FIFO)`);
  });

  it('a socket', async () => {
    const sock = path.join(src, 'agent.sock');
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      await expectRefused([src], 'SOURCE_SPECIAL_FILE', `${sock} is a socket`);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('a device', async () => {
    await expectRefused([src, '/dev/null'], 'SOURCE_SPECIAL_FILE', '/dev/null is a character device');
  });

  it.each([
    ['a ".." segment', () => `${src}/../src`, 'SOURCE_PATH_INVALID', /contains a "\.\." segment/],
    ['a NUL byte', () => `${src}/config.json\0.txt`, 'SOURCE_PATH_INVALID', /contains a NUL byte/],
    ['a relative path', () => 'src/config.json', 'SOURCE_PATH_INVALID', /"src\/config.json" is not an absolute path/],
  ])('a path with %s', async (_label, source, code, message) => {
    await expectRefused([source()], code, message);
  });

  it('a file name with a newline or tab, which would make the manifest ambiguous', async () => {
    await writeTree(src, { 'weights/bad\nname.bin': 'x' });
    await expectRefused([src], 'SOURCE_PATH_INVALID', /bad\\nname\.bin.*control character/);
  });

  it('two sources that would get the same name', async () => {
    await writeTree(root, { 'other/config.json': '{}' });
    await expectRefused([path.join(src, 'config.json'), path.join(root, 'other/config.json')], 'SOURCE_PATH_INVALID', /would both be stored as "config.json"/);
  });

  it('a folder that contains the data directory itself', async () => {
    await store.close();
    store = await openStore(path.join(src, 'cairn-data'));
    await expectError(store.commit([src]), 'SOURCE_PATH_INVALID', `${path.join(src, 'cairn-data')} is the Cairn data directory`);
    await expectNothingStored(path.join(src, 'cairn-data'));
  });

  it('an unreadable file (checked as an unprivileged user: root reads anything)', async () => {
    const secret = path.join(src, 'weights/secret.bin');
    await writeTree(src, { 'weights/secret.bin': 'x' });
    await fs.chmod(secret, 0o000);
    if (!runningAsRoot) return expectRefused([src], 'SOURCE_UNREADABLE', `${secret} cannot be read (permission denied)`);

    const childData = path.join(root, 'child-data');
    await fs.mkdir(childData);
    await fs.chown(childData, NOBODY, NOBODY);
    await fs.chmod(root, 0o755);
    const child = spawnStoreChild(['commit', childData, src], { CAIRN_CHILD_UID: String(NOBODY) });
    const { stdout } = await child.exited;
    const outcome = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(outcome).toEqual({ ok: false, error: { code: 'SOURCE_UNREADABLE', message: `${secret} cannot be read (permission denied)` } });
    await expectNothingStored(childData);
  });

  it('a file written to after it was listed (mid-read changes: see ingest-file.test.ts)', async () => {
    const growing = path.join(src, 'weights/growing.bin');
    await fs.writeFile(growing, randomBytes(8 * 1024 * 1024, 'g'));
    const commit = store.commit([src], {
      onProgress: (p) => {
        // Listed, not yet read: a training job appends now.
        if (p.phase === 'copying') appendFileSync(growing, 'one more step');
      },
    });
    await expectError(commit, 'SOURCE_CHANGED', `${growing} was modified during the commit; commit again once it is no longer being written`);
    await expectNothingStored(dataDir);
  });

  it('a full disk: DISK_FULL, the partial commit rolled back, the store usable after', async () => {
    await store.close();
    // Always with an injected ENOSPC; also on a real 4 MiB tmpfs where this machine lets us mount one.
    const small = path.join(root, 'small-fs');
    await fs.mkdir(small);
    const variants: ('injected' | 'tmpfs')[] = ['injected'];
    if (runningAsRoot && tryMount(small)) variants.push('tmpfs');
    try {
      for (const variant of variants) {
        const dir = variant === 'tmpfs' ? small : path.join(root, 'injected');
        let restore = () => {};
        try {
          store = await openStore(dir);
          if (variant === 'injected') restore = injectEnospcAfter(2 * 1024 * 1024);
          // Room for the small file, not for the 6 MiB one.
          await expectError(store.commit([src]), 'DISK_FULL', new RegExp(`no space left on the disk holding ${dir}`));
          await expectNothingStored(dir);
          restore();
          expect((await store.commit([path.join(src, 'config.json')])).files).toBe(1);
        } finally {
          restore();
          await store.close();
        }
      }
    } finally {
      if (variants.includes('tmpfs')) execFileSync('umount', [small]);
      store = await openStore(dataDir);
    }
  });
});

/** A 4 MiB tmpfs: a real ENOSPC. Needs root and a kernel that lets us mount. */
function tryMount(dir: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Where no small file system can be mounted: every file write past `limit` bytes in
 * total fails with ENOSPC, as the kernel would.
 */
function injectEnospcAfter(limit: number): () => void {
  let written = 0;
  const handleProto = fileHandlePrototype;
  const original = handleProto.write;
  handleProto.write = async function (this: fs.FileHandle, ...args: Parameters<fs.FileHandle['write']>) {
    const data = args[0];
    written += typeof data === 'string' ? Buffer.byteLength(data) : ((args[2] as number | undefined) ?? (data as Buffer).byteLength);
    if (written > limit) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });
    return (original as (...a: unknown[]) => Promise<unknown>).apply(this, args) as never;
  } as typeof original;
  return () => {
    handleProto.write = original;
  };
}

const fileHandlePrototype: { write: fs.FileHandle['write'] } = await (async () => {
  const dir = await tempDir('cairn-fh-');
  const handle = await fs.open(path.join(dir, 'x'), 'w');
  const proto = Object.getPrototypeOf(handle) as { write: fs.FileHandle['write'] };
  await handle.close();
  await fs.rm(dir, { recursive: true });
  return proto;
})();
