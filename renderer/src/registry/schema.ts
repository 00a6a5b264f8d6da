/**
 * The layout of the registry documents. Every shared type is an append-only log of
 * JSON strings (records are written once and never changed) or, for the few named
 * things, a Y.Map keyed by name. Why JSON strings: Yjs decodes a string value far
 * faster than the same object encoded as a Yjs "any" value (100k versions: ~0.3 s
 * against ~0.9 s), and append-only arrays merge consecutive items into one struct.
 */
import { isHlc } from './hlc';

export const PROJECT_DOC = {
  artifacts: 'artifacts',
  versions: 'versions',
  manifests: 'manifests',
  edits: 'edits',
  deletions: 'deletions',
  aliasMoves: 'aliasMoves',
  numbers: 'numbers',
  rejected: 'rejectedMoves',
} as const;

export const WORKSPACE_DOC = {
  projects: 'projects',
  models: 'registeredModels',
  modelEdits: 'modelEdits',
  links: 'links',
  unlinks: 'unlinks',
  linkNumbers: 'linkNumbers',
  aliasMoves: 'aliasMoves',
  rejected: 'rejectedMoves',
} as const;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Metadata = { [key: string]: Json };

/** One file of a version: path (relative, "/"-separated), size, sha256, executable (0/1). */
export type ManifestTuple = [path: string, size: number, sha256: string, executable: 0 | 1];

export type SourceKind = 'drop' | 'cli' | 'watch';

/**
 * A version as recorded, once. On the wire it is a JSON array (see encodeVersion):
 * arrays parse ~40% faster than objects and are a third smaller, which is most of a
 * 100k-version document's load time. Metadata stays a JSON string until a query or a
 * view needs it. The manifest is cold data (read when someone opens the version or
 * compares two) and lives in the `manifests` log as plain text.
 */
export interface VersionRecord {
  id: string;
  artifact: string;
  digest: string;
  bytes: number;
  fileCount: number;
  createdAt: number;
  by: string;
  hlc: string;
  clientId: number;
  sourceKind: SourceKind;
  sourcePath: string;
  sourceHost: string;
  description: string;
  metadataJson: string;
  tags: string[];
  /**
   * The version's id in the version store of the machine that logged it (usually the
   * same as `id`; differs when one stored version is recorded twice, e.g. the same
   * checkpoint logged into two artifacts).
   */
  storeId: string;
  /** Parsed metadataJson, filled on first use. */
  metadata?: Metadata;
}

export function encodeVersion(r: VersionRecord): string {
  return JSON.stringify([r.id, r.artifact, r.digest, r.bytes, r.fileCount, r.createdAt, r.by, r.hlc, r.clientId, r.sourceKind, r.sourcePath, r.sourceHost, r.description, r.metadataJson, r.tags, r.storeId === r.id ? 0 : r.storeId]);
}

export function decodeVersion(text: unknown): VersionRecord | undefined {
  if (typeof text !== 'string') return undefined;
  let t: unknown;
  try {
    t = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(t) || t.length < 15) return undefined;
  const [id, artifact, digest, bytes, fileCount, createdAt, by, hlc, clientId, sourceKind, sourcePath, sourceHost, description, metadataJson, tags, storeId] = t as unknown[];
  if (!isStr(id) || !isStr(artifact) || !isStr(digest) || !isNum(bytes) || !isNum(fileCount) || !isNum(createdAt) || !isStr(by) || !isHlc(hlc) || !isNum(clientId)) return undefined;
  return {
    id,
    artifact,
    digest,
    bytes,
    fileCount,
    createdAt,
    by,
    hlc,
    clientId,
    sourceKind: sourceKind === 'drop' || sourceKind === 'watch' ? sourceKind : 'cli',
    sourcePath: isStr(sourcePath) ? sourcePath : '',
    sourceHost: isStr(sourceHost) ? sourceHost : '',
    description: isStr(description) ? description : '',
    metadataJson: isStr(metadataJson) ? metadataJson : '{}',
    tags: Array.isArray(tags) ? tags.filter(isStr) : [],
    storeId: isStr(storeId) ? storeId : id,
  };
}

export function metadataOf(r: VersionRecord): Metadata {
  if (r.metadata === undefined) {
    const parsed = parseRecord(r.metadataJson);
    r.metadata = (parsed as Metadata | undefined) ?? {};
  }
  return r.metadata;
}

export interface ArtifactRecord {
  name: string;
  description: string;
  createdAt: number;
  by: string;
}

/** A change to one editable field; the greatest (hlc, clientId) per (target, field) wins. */
export interface EditRecord {
  target: string;
  field: string;
  value: Json;
  hlc: string;
  clientId: number;
  by: string;
}

export interface DeletionRecord {
  versionId: string;
  reason: string;
  hlc: string;
  clientId: number;
  by: string;
}

/**
 * One move of an alias. `scope` is the artifact (project doc) or registered model
 * (workspace doc); `target` a versionId / linkId, or null to remove the alias.
 * `seen` names the move that was current for this alias when this one was made,
 * which is how history tells a knowing replacement from a concurrent override.
 */
export interface AliasMove {
  scope: string;
  alias: string;
  target: string | null;
  hlc: string;
  clientId: number;
  by: string;
  seen: string | null;
}

export interface ProjectRecord {
  name: string;
  description: string;
  createdAt: number;
  by: string;
}

export interface ModelRecord {
  name: string;
  createdAt: number;
  by: string;
}

export interface LinkRecord {
  id: string;
  model: string;
  project: string;
  artifact: string;
  versionId: string;
  digest: string;
  hlc: string;
  clientId: number;
  by: string;
}

export interface UnlinkRecord {
  linkId: string;
  hlc: string;
  clientId: number;
  by: string;
}

// Records come from teammates' replicas over the network. Parsing is cheap and
// defensive: anything malformed is skipped, never thrown, so one bad record cannot
// make a document unreadable. (A schema library per record would cost more than
// the whole Yjs decode at 100k versions; API inputs are validated with care instead.)

export function parseRecord(text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function asEdit(r: Record<string, unknown> | undefined): EditRecord | undefined {
  return r && isStr(r.target) && isStr(r.field) && 'value' in r && isHlc(r.hlc) && isNum(r.clientId) && isStr(r.by)
    ? (r as unknown as EditRecord)
    : undefined;
}

export function asDeletion(r: Record<string, unknown> | undefined): DeletionRecord | undefined {
  return r && isStr(r.versionId) && isHlc(r.hlc) && isNum(r.clientId) && isStr(r.by)
    ? { ...(r as unknown as DeletionRecord), reason: isStr(r.reason) ? r.reason : '' }
    : undefined;
}

export function asMove(r: Record<string, unknown> | undefined): AliasMove | undefined {
  return r && isStr(r.scope) && isStr(r.alias) && (r.target === null || isStr(r.target)) && isHlc(r.hlc) && isNum(r.clientId) && isStr(r.by)
    ? { ...(r as unknown as AliasMove), seen: isStr(r.seen) ? r.seen : null }
    : undefined;
}

export function asLink(r: Record<string, unknown> | undefined): LinkRecord | undefined {
  return r && isStr(r.id) && isStr(r.model) && isStr(r.project) && isStr(r.artifact) && isStr(r.versionId) && isStr(r.digest) && isHlc(r.hlc) && isNum(r.clientId)
    ? (r as unknown as LinkRecord)
    : undefined;
}

export function asUnlink(r: Record<string, unknown> | undefined): UnlinkRecord | undefined {
  return r && isStr(r.linkId) && isHlc(r.hlc) && isNum(r.clientId) ? (r as unknown as UnlinkRecord) : undefined;
}

export function asNamed<T extends { name: string }>(r: Record<string, unknown> | undefined): T | undefined {
  return r && isStr(r.name) ? (r as unknown as T) : undefined;
}

/**
 * Manifest entries: the versionId on the first line, then one file per line as
 * `path\tsize\tsha256\texecutable`. Paths escape %, tab, CR and LF as %25, %09, %0D, %0A.
 */
export function encodeManifest(versionId: string, files: ManifestTuple[]): string {
  return [versionId, ...files.map(([p, size, sha, x]) => `${escapePath(p)}\t${size}\t${sha}\t${x}`)].join('\n');
}

export function manifestOwner(text: string): string {
  const nl = text.indexOf('\n');
  return nl === -1 ? text : text.slice(0, nl);
}

export function decodeManifest(text: string): ManifestTuple[] {
  const out: ManifestTuple[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const [p, size, sha, x] = lines[i]!.split('\t');
    if (p === undefined || size === undefined || sha === undefined) continue;
    out.push([unescapePath(p), Number(size), sha, x === '1' ? 1 : 0]);
  }
  return out;
}

const escapePath = (p: string) => p.replace(/[%\t\r\n]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
const unescapePath = (p: string) => p.replace(/%(25|09|0D|0A)/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

/** Sequencer entries: `"<id> <n>"`. */
export function parseNumberEntry(text: unknown): [id: string, n: number] | undefined {
  if (typeof text !== 'string') return undefined;
  const space = text.lastIndexOf(' ');
  if (space <= 0) return undefined;
  const n = Number(text.slice(space + 1));
  return Number.isInteger(n) && n >= 0 ? [text.slice(0, space), n] : undefined;
}
