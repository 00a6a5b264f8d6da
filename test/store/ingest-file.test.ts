import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestFile, probeDirectIo } from '../../electron/main/store/ingest-file';
import { scanSources, type SourceFile } from '../../electron/main/store/scan-sources';
import { expectError, randomBytes, removeDir, sha256, tempDir } from './support';

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
  await fs.mkdir(path.join(dir, 'staging'));
});
afterEach(() => removeDir(dir));

async function scanned(name: string, body: Buffer): Promise<SourceFile> {
  const file = path.join(dir, name);
  await fs.writeFile(file, body);
  const [f] = await scanSources([file], { dataDir: path.join(dir, 'staging'), stagingDir: path.join(dir, 'staging') });
  return f!;
}

describe('ingestFile: one streaming pass', () => {
  it('writes exactly the bytes it hashed, buffered and (where the file system allows) with O_DIRECT', async () => {
    const modes = [false];
    if (await probeDirectIo(path.join(dir, 'probe'))) modes.push(true);
    for (const direct of modes) {
      // Not a multiple of the 4 KiB direct-write block: the padded tail must be cut off.
      const body = randomBytes(9 * 1024 * 1024 + 4097, `direct=${direct}`);
      const file = await scanned(`src-${direct}`, body);
      const temp = path.join(dir, `out-${direct}`);
      let reported = 0;
      const { sha256: hash, statKey } = await ingestFile(file, temp, { direct, flushEveryBytes: 4 * 1024 * 1024, onBytes: (n) => (reported += n) });
      expect(hash).toBe(sha256(body));
      expect(sha256(await fs.readFile(temp))).toBe(hash);
      expect(reported).toBe(body.length);
      expect(statKey).toMatchObject({ size: body.length, ino: file.ino });
    }
  });

  it('refuses a file that grows while it is read, after hashing what it saw', async () => {
    const file = await scanned('growing', randomBytes(12 * 1024 * 1024, 'g'));
    let appended = false;
    const ingest = ingestFile(file, path.join(dir, 'out'), {
      direct: false,
      flushEveryBytes: 0,
      onBytes: () => {
        if (appended) return;
        appended = true;
        void fs.appendFile(file.absPath, 'one more line');
      },
    });
    await expectError(ingest, 'SOURCE_CHANGED', `${file.absPath} changed size or modification time while Cairn was reading it`);
  });

  it('refuses a file truncated while it is read', async () => {
    const file = await scanned('shrinking', randomBytes(12 * 1024 * 1024, 's'));
    let truncated = false;
    const ingest = ingestFile(file, path.join(dir, 'out'), {
      direct: false,
      flushEveryBytes: 0,
      onBytes: () => {
        if (truncated) return;
        truncated = true;
        void fs.truncate(file.absPath, 1024);
      },
    });
    await expectError(ingest, 'SOURCE_CHANGED', /changed size or modification time/);
  });

  it('refuses a file modified or replaced between the scan and the read', async () => {
    const file = await scanned('replaced', randomBytes(1000, 'r'));
    await fs.writeFile(file.absPath, randomBytes(2000, 'r2'));
    await expectError(ingestFile(file, path.join(dir, 'out1'), { direct: false, flushEveryBytes: 0, onBytes: () => {} }), 'SOURCE_CHANGED', /was modified/);
    // Created before the original goes, so it cannot reuse its inode number.
    await fs.writeFile(path.join(dir, 'other'), randomBytes(2000, 'r2'));
    await fs.rename(path.join(dir, 'other'), file.absPath);
    await expectError(ingestFile(file, path.join(dir, 'out2'), { direct: false, flushEveryBytes: 0, onBytes: () => {} }), 'SOURCE_CHANGED', /was replaced by another file/);
    await fs.rm(file.absPath);
    await fs.symlink('/etc/hostname', file.absPath);
    await expectError(ingestFile(file, path.join(dir, 'out3'), { direct: false, flushEveryBytes: 0, onBytes: () => {} }), 'SOURCE_SYMLINK', /does not follow links/);
  });
});
