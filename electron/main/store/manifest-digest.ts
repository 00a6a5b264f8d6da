import crypto from 'node:crypto';

/**
 * The version digest, the content identity of a Model Version (README: "The version
 * digest"). Exactly: sha256 over the UTF-8 bytes of
 *
 *   "cairn-version-digest/1\n" + for each file, sorted by the UTF-8 bytes of its path:
 *   path + "\t" + sha256 (64 lowercase hex) + "\t" + size (decimal) + "\n"
 *
 * Every line, the last included, ends in a single "\n". Paths never contain control
 * characters (the scanner refuses them), so the lines cannot be confused.
 */
export const DIGEST_HEADER = 'cairn-version-digest/1\n';

export interface DigestEntry {
  path: string;
  sha256: string;
  size: number;
}

/** UTF-8 byte order, which differs from JavaScript's UTF-16 order above U+FFFF. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function sortByPath<T extends { path: string }>(files: readonly T[]): T[] {
  return files
    .map((f) => ({ f, key: Buffer.from(f.path, 'utf8') }))
    .sort((x, y) => Buffer.compare(x.key, y.key))
    .map((x) => x.f);
}

export function versionDigest(files: readonly DigestEntry[]): string {
  const hash = crypto.createHash('sha256').update(DIGEST_HEADER, 'utf8');
  for (const f of sortByPath(files)) hash.update(`${f.path}\t${f.sha256}\t${f.size}\n`, 'utf8');
  return hash.digest('hex');
}
