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

export interface VersionRecord {
  id: string;
  artifact: string;
  digest: string;
  bytes: number;
  files: ManifestTuple[];
  createdAt: number;
  by: string;
  hlc: string;
  clientId: number;
  source: { kind: SourceKind; path?: string; host?: string };
  description: string;
  metadata: Metadata;
  tags: string[];
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

export function asVersion(r: Record<string, unknown> | undefined): VersionRecord | undefined {
  if (!r || !isStr(r.id) || !isStr(r.artifact) || !isStr(r.digest) || !isNum(r.bytes) || !isHlc(r.hlc) || !isNum(r.clientId)) return undefined;
  if (!Array.isArray(r.files) || !isNum(r.createdAt) || !isStr(r.by) || !isObj(r.source)) return undefined;
  return {
    ...(r as unknown as VersionRecord),
    description: isStr(r.description) ? r.description : '',
    metadata: isObj(r.metadata) ? (r.metadata as Metadata) : {},
    tags: Array.isArray(r.tags) ? r.tags.filter(isStr) : [],
  };
}

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

/** Sequencer entries: `"<id> <n>"`. */
export function parseNumberEntry(text: unknown): [id: string, n: number] | undefined {
  if (typeof text !== 'string') return undefined;
  const space = text.lastIndexOf(' ');
  if (space <= 0) return undefined;
  const n = Number(text.slice(space + 1));
  return Number.isInteger(n) && n >= 0 ? [text.slice(0, space), n] : undefined;
}
