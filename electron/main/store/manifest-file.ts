import fs from 'node:fs/promises';
import { z } from 'zod';
import type { Manifest } from '../../shared/contract';
import { VERSION_ID_PATTERN } from '../../shared/contract';
import { SHA256_HEX } from './store-layout';

/** A path inside a version: what the scanner produces, checked again on the way back in. */
export function isSafeRelativePath(p: string): boolean {
  if (p === '' || p.startsWith('/') || p.endsWith('/')) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(p)) return false;
  return p.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

const ManifestSchema = z.object({
  format: z.literal('cairn-manifest/1'),
  versionId: z.string().regex(VERSION_ID_PATTERN),
  digest: z.string().regex(SHA256_HEX),
  createdAt: z.string(),
  fileCount: z.number().int().nonnegative(),
  bytes: z.number().nonnegative(),
  files: z.array(
    z.object({
      path: z.string().refine(isSafeRelativePath, 'not a safe relative path'),
      size: z.number().int().nonnegative(),
      sha256: z.string().regex(SHA256_HEX),
      executable: z.boolean(),
    }),
  ),
});

/**
 * Manifests are read back from disk, where anything may have happened to them: a
 * manifest that does not parse or whose paths could escape the version directory is
 * refused rather than trusted.
 */
export async function readManifest(file: string): Promise<Manifest> {
  const text = await fs.readFile(file, 'utf8');
  return ManifestSchema.parse(JSON.parse(text)) as Manifest;
}

export function serializeManifest(manifest: Manifest): string {
  // One file per line: readable with less, diffable, and still plain JSON.
  const { files, ...head } = manifest;
  const lines = files.map((f) => '  ' + JSON.stringify(f));
  return `${JSON.stringify(head).slice(0, -1)},"files":[\n${lines.join(',\n')}\n]}\n`;
}
