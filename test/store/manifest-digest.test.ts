import { describe, expect, it } from 'vitest';
import { compareUtf8, DIGEST_HEADER, sortByPath, versionDigest } from '../../electron/main/store/manifest-digest';
import { sha256 } from './support';

// Computed independently, with Python's hashlib over the bytes the README specifies.
const FILES = [
  { path: 'weights/model.bin', body: Buffer.from([0, 1, 2]) },
  { path: 'config.json', body: Buffer.from('{}\n') },
  { path: '\uff5e.txt', body: Buffer.from('a') },
  { path: '\u{1F600}.txt', body: Buffer.from('b') },
].map((f) => ({ path: f.path, sha256: sha256(f.body), size: f.body.length }));
const EXPECTED = '24e9b27a342f8139b0487f8ccefc80a9c8c4d87c38bbd1855006b0b9759d5444';

describe('the version digest', () => {
  it('matches an independent implementation of the README definition', () => {
    expect(DIGEST_HEADER).toBe('cairn-version-digest/1\n');
    expect(versionDigest(FILES)).toBe(EXPECTED);
  });

  it('does not depend on the order files are listed in', () => {
    expect(versionDigest([...FILES].reverse())).toBe(EXPECTED);
  });

  it('sorts by UTF-8 bytes, not by JavaScript string order', () => {
    // U+FF5E sorts after U+1F600 in UTF-16 (surrogates start at D800) but before it in UTF-8.
    expect('\u{1F600}' < '\uff5e').toBe(true);
    expect(compareUtf8('\uff5e', '\u{1F600}')).toBeLessThan(0);
    expect(sortByPath(FILES).map((f) => f.path)).toEqual(['config.json', 'weights/model.bin', '\uff5e.txt', '\u{1F600}.txt']);
  });

  it('changes when a path, a body or a size changes', () => {
    const base = versionDigest(FILES);
    expect(versionDigest(FILES.map((f, i) => (i === 0 ? { ...f, path: 'weights/model2.bin' } : f)))).not.toBe(base);
    expect(versionDigest(FILES.map((f, i) => (i === 0 ? { ...f, sha256: sha256('x') } : f)))).not.toBe(base);
    expect(versionDigest(FILES.map((f, i) => (i === 0 ? { ...f, size: 4 } : f)))).not.toBe(base);
  });
});
