import { validateTag } from './names';
import { fail, ok, type Result } from './result';
import type { Json, ManifestTuple, Metadata, SourceKind } from './schema';

export const MAX_DESCRIPTION_CHARS = 100_000;
export const MAX_METADATA_BYTES = 64 * 1024;
export const MAX_TAGS = 64;

const VERSION_ID = /^[A-Za-z0-9_-]{8,64}$/;
const DIGEST = /^[0-9a-f]{64}$/;

export function validateVersionId(id: unknown): Result<string> {
  return typeof id === 'string' && VERSION_ID.test(id)
    ? ok(id)
    : fail('VERSION_INVALID', `"${String(id).slice(0, 80)}" is not a version id (8–64 letters, digits, "_" or "-").`);
}

/** Digests are lowercase hex sha256; a "sha256:" prefix is accepted and dropped. */
export function normalizeDigest(digest: unknown): Result<string> {
  const hex = typeof digest === 'string' ? digest.replace(/^sha256:/, '').toLowerCase() : '';
  return DIGEST.test(hex) ? ok(hex) : fail('VERSION_INVALID', `"${String(digest).slice(0, 80)}" is not a sha256 digest (64 hex digits).`);
}

export function validateDescription(text: unknown): Result<string> {
  if (typeof text !== 'string') return fail('DESCRIPTION_INVALID', 'A description is text (markdown).');
  return text.length > MAX_DESCRIPTION_CHARS
    ? fail('DESCRIPTION_INVALID', `The description has ${text.length} characters; the limit is ${MAX_DESCRIPTION_CHARS}.`)
    : ok(text);
}

/** Metadata is a JSON object (metrics, hyperparameters): finite numbers, bounded size and depth. */
export function validateMetadata(value: unknown): Result<Metadata> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail('METADATA_INVALID', 'Metadata must be a JSON object such as {"val_loss": 0.21, "epoch": 12}.');
  }
  const problem = jsonProblem(value, 'metadata', 0);
  if (problem) return fail('METADATA_INVALID', problem);
  const size = new TextEncoder().encode(JSON.stringify(value)).length;
  if (size > MAX_METADATA_BYTES) return fail('METADATA_INVALID', `Metadata is ${size} bytes as JSON; the limit is ${MAX_METADATA_BYTES}. Keep large tables in files.`);
  return ok(value as Metadata);
}

function jsonProblem(value: unknown, path: string, depth: number): string | undefined {
  if (depth > 16) return `${path} nests deeper than 16 levels.`;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} is ${value}; JSON has no NaN or Infinity (use null).`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = jsonProblem(value[i], `${path}[${i}]`, depth + 1);
      if (p) return p;
    }
    return undefined;
  }
  if (typeof value === 'object') {
    if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return `${path} is not a plain JSON object.`;
    for (const [k, v] of Object.entries(value)) {
      if (k === '') return `${path} has an empty key.`;
      const p = jsonProblem(v, `${path}.${k}`, depth + 1);
      if (p) return p;
    }
    return undefined;
  }
  return `${path} is a ${typeof value}, which JSON cannot hold.`;
}

export function validateTags(tags: unknown): Result<string[]> {
  if (!Array.isArray(tags)) return fail('TAG_INVALID', 'Tags are a list of words.');
  const out: string[] = [];
  for (const tag of tags) {
    const t = validateTag(String(tag));
    if (!t.ok) return t;
    if (!out.includes(t.value)) out.push(t.value);
  }
  return out.length > MAX_TAGS ? fail('TAG_INVALID', `${out.length} tags; the limit is ${MAX_TAGS}.`) : ok(out);
}

export interface ManifestEntry {
  path: string;
  size: number;
  sha256: string;
  executable: boolean;
}

export function validateManifest(entries: unknown): Result<ManifestTuple[]> {
  if (!Array.isArray(entries)) return fail('VERSION_INVALID', 'The manifest must list files.');
  const out: ManifestTuple[] = [];
  const seen = new Set<string>();
  for (const e of entries as ManifestEntry[]) {
    const path = e?.path;
    if (typeof path !== 'string' || path === '' || path.startsWith('/') || path.split('/').some((s) => s === '' || s === '.' || s === '..') || path.includes('\0')) {
      return fail('VERSION_INVALID', `Manifest path "${String(path)}" is not a normalised relative path.`);
    }
    if (seen.has(path)) return fail('VERSION_INVALID', `Manifest lists "${path}" twice.`);
    seen.add(path);
    if (!Number.isSafeInteger(e.size) || e.size < 0) return fail('VERSION_INVALID', `Manifest size of "${path}" is not a byte count.`);
    const sha = normalizeDigest(e.sha256);
    if (!sha.ok) return fail('VERSION_INVALID', `Manifest sha256 of "${path}" is not a sha256 digest.`);
    out.push([path, e.size, sha.value, e.executable ? 1 : 0]);
  }
  return ok(out);
}

export function validateSource(source: unknown): Result<{ kind: SourceKind; path?: string; host?: string }> {
  const s = source as { kind?: unknown; path?: unknown; host?: unknown } | undefined;
  if (!s || (s.kind !== 'drop' && s.kind !== 'cli' && s.kind !== 'watch')) {
    return fail('VERSION_INVALID', 'The source kind must be drop, cli or watch.');
  }
  const out: { kind: SourceKind; path?: string; host?: string } = { kind: s.kind };
  if (typeof s.path === 'string') out.path = s.path.slice(0, 4096);
  if (typeof s.host === 'string') out.host = s.host.slice(0, 256);
  return ok(out);
}

export type { Json };
