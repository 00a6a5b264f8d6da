import * as Y from 'yjs';
import type { AliasHistoryEntry } from './alias-book';
import { DocModel, type Canonical } from './doc-model';
import { compareStamped, hlcWall } from './hlc';
import { followLogs } from './log-follower';
import { aliasKey, validateAlias, validateEntityName, type VersionRef } from './names';
import { requireWrite, type Actor } from './roles';
import { fail, ok, type Result } from './result';
import {
  asDeletion,
  asEdit,
  asNamed,
  decodeVersion,
  encodeVersion,
  metadataOf,
  decodeManifest,
  encodeManifest,
  manifestOwner,
  parseRecord,
  PROJECT_DOC,
  type ArtifactRecord,
  type DeletionRecord,
  type EditRecord,
  type Json,
  type ManifestTuple,
  type Metadata,
  type SourceKind,
  type VersionRecord,
} from './schema';
import { parseFilter, lookup, type FilterSubject } from './filter';
import { newId } from './new-id';
import {
  normalizeDigest,
  validateDescription,
  validateManifest,
  validateMetadata,
  validateSource,
  validateTags,
  validateVersionId,
  type ManifestEntry,
} from './validate-input';

/** Tells the project which of its versions a protected registered-model alias points at. */
export interface ProtectionSource {
  protectedBy(project: string, versionId: string): { model: string; alias: string } | undefined;
  /** Changes whenever the answer to protectedBy may have changed. */
  revision(): number;
}

export interface VersionView {
  versionId: string;
  /** The id of its files in the version store of the machine that logged it. */
  storeId: string;
  project: string;
  artifact: string;
  /** The permanent number, or null while the version is pending (not yet numbered by the server). */
  number: number | null;
  /** `artifact:v3`, or `artifact:<first 8 of versionId>` while pending. */
  name: string;
  digest: string;
  bytes: number;
  fileCount: number;
  createdAt: number;
  createdBy: string;
  source: { kind: SourceKind; path?: string; host?: string };
  description: string;
  metadata: Metadata;
  tags: string[];
  aliases: string[];
  deleted: { by: string; at: number; reason: string } | null;
  /** Set when a deletion was requested but a protected alias keeps the version alive. */
  deletionBlockedBy: { model: string; alias: string; by: string; reason: string } | null;
  /** Another version of this artifact with the same content, which this one stands for. */
  duplicateOf: string | null;
}

export interface ArtifactView {
  name: string;
  description: string;
  createdAt: number;
  createdBy: string;
  versionCount: number;
  latest: string | null;
}

export interface RecordVersionInput {
  artifact: string;
  versionId: string;
  digest: string;
  bytes: number;
  manifest: ManifestEntry[];
  description?: string;
  metadata?: Metadata;
  tags?: string[];
  aliases?: string[];
  source: { kind: SourceKind; path?: string; host?: string };
}

export interface RecordVersionResult {
  versionId: string;
  /** False when the content equals a live version of the artifact: nothing new was made. */
  created: boolean;
  duplicateOf: string | null;
  aliases: string[];
}

export interface ListOptions {
  filter?: string;
  sort?: { key: string; dir: 'asc' | 'desc' };
  offset?: number;
  limit?: number;
  includeDeleted?: boolean;
}

export interface VersionQuery {
  total: number;
  /** The view of the i-th row (built on first access). */
  at(i: number): VersionView;
  ids(): string[];
}

export interface VersionDiff {
  a: string;
  b: string;
  added: { path: string; size: number; sha256: string }[];
  removed: { path: string; size: number; sha256: string }[];
  changed: { path: string; sizeA: number; sizeB: number; sha256A: string; sha256B: string }[];
  unchanged: number;
  sizeDelta: number;
  metadata: { key: string; a: Json | undefined; b: Json | undefined }[];
}

/**
 * A version as the model holds it: id and artifact are read from the start of the
 * record's text at load; the rest is parsed the first time something needs it, so
 * opening a 100k-version project parses only the artifacts someone looks at.
 */
class VersionRow {
  private parsed: VersionRecord | null | undefined;

  constructor(
    readonly id: string,
    readonly artifact: string,
    private readonly raw: string,
    readonly arrival: number,
  ) {}

  /** False for a record that is not a valid version (it is then ignored everywhere). */
  get valid(): boolean {
    if (this.parsed === undefined) {
      const rec = decodeVersion(this.raw);
      this.parsed = rec && rec.id === this.id && rec.artifact === this.artifact ? rec : null;
    }
    return this.parsed !== null;
  }

  get rec(): VersionRecord {
    if (!this.valid) throw new Error(`invalid version record ${this.id}`);
    return this.parsed!;
  }

  stamp(): VersionRecord {
    return this.rec;
  }
}

/** `["<id>","<artifact>",…`: ids and artifact names never contain quotes or backslashes. */
function readHeader(raw: unknown): [id: string, artifact: string] | undefined {
  if (typeof raw !== 'string' || !raw.startsWith('["')) return undefined;
  const idEnd = raw.indexOf('"', 2);
  if (idEnd === -1 || raw.charCodeAt(idEnd + 1) !== 44 || raw.charCodeAt(idEnd + 2) !== 34) return undefined;
  const artifactEnd = raw.indexOf('"', idEnd + 3);
  if (artifactEnd === -1) return undefined;
  const id = raw.slice(2, idEnd);
  const artifact = raw.slice(idEnd + 3, artifactEnd);
  return id.includes('\\') || artifact.includes('\\') ? undefined : [id, artifact];
}

/** Derived per-artifact rows, rebuilt lazily when versions, numbers, deletions or protection change. */
interface RowState extends Canonical<VersionRow> {
  rev: number;
  protectionRev: number;
}

/** Rows plus aliases; an alias move only rebuilds this small part. */
interface ArtifactState extends RowState {
  rows: RowState;
  aliasRev: number;
  aliasTargets: Map<string, { alias: string; versionId: string }>;
  aliasesOf: Map<string, string[]>;
}

const EDITABLE = new Set(['description', 'metadata', 'tags']);

/**
 * One project document: its artifacts, their versions, edits, soft deletes and
 * alias moves. Reads come from indexes kept up to date by following the document's
 * logs, so they are cheap; writes append records and return a Result.
 */
export class ProjectModel extends DocModel<VersionRow> {
  private readonly versions = new Map<string, VersionRow>();
  private readonly byArtifact = new Map<string, VersionRow[]>();
  /** Rows by artifact and digest, for dedup; built for an artifact on its first log, then kept up to date. */
  private readonly byContent = new Map<string, Map<string, VersionRow[]>>();
  private readonly deletions = new Map<string, DeletionRecord>();
  private readonly edits = new Map<string, EditRecord>();
  private readonly artifactRevs = new Map<string, number>();
  private readonly aliasRevs = new Map<string, number>();
  private readonly rowStates = new Map<string, RowState>();
  private readonly states = new Map<string, ArtifactState>();
  /** Manifest texts not yet indexed, and the index: read only when someone asks for files. */
  private manifestBacklog: string[] = [];
  private readonly manifests = new Map<string, string>();
  private readonly arrays;
  private readonly artifactsMap: Y.Map<string>;
  /** False during the initial load, when version records are not parsed yet. */
  private loaded = false;
  private stopFollowing: () => void;

  constructor(
    doc: Y.Doc,
    readonly project: string,
    private readonly protection?: ProtectionSource,
  ) {
    super(doc);
    this.arrays = {
      versions: doc.getArray<string>(PROJECT_DOC.versions),
      manifests: doc.getArray<string>(PROJECT_DOC.manifests),
      edits: doc.getArray<string>(PROJECT_DOC.edits),
      deletions: doc.getArray<string>(PROJECT_DOC.deletions),
      aliasMoves: doc.getArray<string>(PROJECT_DOC.aliasMoves),
      numbers: doc.getArray<string>(PROJECT_DOC.numbers),
      rejected: doc.getArray<string>(PROJECT_DOC.rejected),
    };
    this.artifactsMap = doc.getMap<string>(PROJECT_DOC.artifacts);
    this.stopFollowing = this.follow();
    this.loaded = true;
  }

  /** Stops following the document. */
  destroy(): void {
    this.stopFollowing();
    this.clearListeners();
  }

  private follow(): () => void {
    const handlers = new Map<Y.Array<unknown>, (values: unknown[]) => void>([
      // Numbers first, so a loading version that already has its number never enters the pending set.
      [this.arrays.numbers as Y.Array<unknown>, (vs) => vs.forEach((v) => this.ingestNumber(v))],
      [this.arrays.versions as Y.Array<unknown>, (vs) => vs.forEach((v) => this.ingestVersion(v))],
      [this.arrays.manifests as Y.Array<unknown>, (vs) => vs.forEach((v) => typeof v === 'string' && this.manifestBacklog.push(v))],
      [this.arrays.edits as Y.Array<unknown>, (vs) => vs.forEach((v) => this.ingestEdit(v))],
      [this.arrays.deletions as Y.Array<unknown>, (vs) => vs.forEach((v) => this.ingestDeletion(v))],
      [this.arrays.aliasMoves as Y.Array<unknown>, (vs) => vs.forEach((v) => this.ingestMove(v))],
      [this.arrays.rejected as Y.Array<unknown>, (vs) => vs.forEach((v) => this.ingestRejection(v))],
    ]);
    const stopLogs = followLogs(this.doc, handlers, () => this.rebuild(), () => this.changed());
    const onArtifacts = (e: Y.YMapEvent<string>) => {
      e.keysChanged.forEach((k) => this.bump(k));
      this.changed();
    };
    this.artifactsMap.observe(onArtifacts);
    return () => {
      stopLogs();
      this.artifactsMap.unobserve(onArtifacts);
    };
  }

  private rebuild(): void {
    this.stopFollowing();
    for (const m of [this.versions, this.byArtifact, this.byContent, this.deletions, this.edits, this.rowStates, this.states, this.manifests] as Map<unknown, unknown>[]) m.clear();
    this.manifestBacklog = [];
    this.resetShared();
    this.stopFollowing = this.follow();
    this.changed();
  }

  private bump(artifact: string): void {
    this.artifactRevs.set(artifact, (this.artifactRevs.get(artifact) ?? 0) + 1);
  }

  private bumpAliases(artifact: string): void {
    this.aliasRevs.set(artifact, (this.aliasRevs.get(artifact) ?? 0) + 1);
  }

  // ---- ingestion (from any replica) ----

  private ingestVersion(value: unknown): void {
    const header = readHeader(value);
    if (!header || this.versions.has(header[0])) return;
    const [id, artifact] = header;
    const row = new VersionRow(id, artifact, value as string, this.arrival++);
    this.versions.set(id, row);
    this.trackPending(id);
    let list = this.byArtifact.get(artifact);
    if (!list) this.byArtifact.set(artifact, (list = []));
    list.push(row);
    const digests = this.byContent.get(artifact);
    if (digests && row.valid) addTo(digests, row.rec.digest, row);
    if (this.loaded) {
      // After the initial load every record is parsed as it arrives (it is about to be shown).
      if (row.valid) this.see(row.rec.hlc);
    }
    this.bump(artifact);
  }

  /** A valid version by id. */
  private row(id: string): VersionRow | undefined {
    const row = this.versions.get(id);
    return row?.valid ? row : undefined;
  }

  private contentIndex(artifact: string): Map<string, VersionRow[]> {
    let digests = this.byContent.get(artifact);
    if (!digests) {
      digests = new Map();
      for (const row of this.byArtifact.get(artifact) ?? []) if (row.valid) addTo(digests, row.rec.digest, row);
      this.byContent.set(artifact, digests);
    }
    return digests;
  }

  private ingestEdit(value: unknown): void {
    const edit = asEdit(parseRecord(value));
    if (!edit || !EDITABLE.has(edit.field)) return;
    this.see(edit.hlc);
    const key = `${edit.target}\u0000${edit.field}`;
    const current = this.edits.get(key);
    // Edits change only what views show; no derived state depends on them.
    if (!current || compareStamped(edit, current) > 0) this.edits.set(key, edit);
  }

  private ingestDeletion(value: unknown): void {
    const del = asDeletion(parseRecord(value));
    if (!del) return;
    this.see(del.hlc);
    const current = this.deletions.get(del.versionId);
    // Keep the earliest request: it is the one that made the version disappear.
    if (!current || compareStamped(del, current) < 0) this.deletions.set(del.versionId, del);
    const row = this.versions.get(del.versionId);
    if (row) this.bump(row.artifact);
  }

  private ingestMove(value: unknown): void {
    const scope = this.ingestMoveRecord(value);
    if (scope !== undefined) this.bumpAliases(scope);
  }

  private ingestNumber(value: unknown): void {
    const id = this.ingestNumberRecord(value);
    const row = id === undefined ? undefined : this.versions.get(id);
    if (row) this.bump(row.artifact);
  }

  private ingestRejection(value: unknown): void {
    const scope = this.ingestRejectionRecord(value);
    if (scope !== undefined) this.bumpAliases(scope);
  }

  // ---- derived state ----

  private rowState(artifact: string): RowState {
    const rev = this.artifactRevs.get(artifact) ?? 0;
    const protectionRev = this.protection?.revision() ?? 0;
    const cached = this.rowStates.get(artifact);
    if (cached && cached.rev === rev && cached.protectionRev === protectionRev) return cached;
    const rows = (this.byArtifact.get(artifact) ?? []).filter((r) => r.valid);
    const canonical = this.canonicalize(rows, (r) => !this.isDeleted(r), (r) => r.rec.digest);
    const state = { rev, protectionRev, ...canonical };
    this.rowStates.set(artifact, state);
    return state;
  }

  private state(artifact: string): ArtifactState {
    const rows = this.rowState(artifact);
    const aliasRev = this.aliasRevs.get(artifact) ?? 0;
    const cached = this.states.get(artifact);
    if (cached && cached.rows === rows && cached.aliasRev === aliasRev) return cached;
    const aliasTargets = new Map<string, { alias: string; versionId: string }>();
    const aliasesOf = new Map<string, string[]>();
    for (const move of this.aliasBook.current(artifact)) {
      const id = rows.duplicates.get(move.target!) ?? move.target!;
      const row = this.row(id);
      // An alias on a deleted (or not yet received) version is not in effect.
      if (!row || row.rec.artifact !== artifact || this.isDeleted(row)) continue;
      aliasTargets.set(aliasKey(move.alias), { alias: move.alias, versionId: id });
      const list = aliasesOf.get(id);
      if (list) list.push(move.alias);
      else aliasesOf.set(id, [move.alias]);
    }
    for (const list of aliasesOf.values()) list.sort();
    const state = { ...rows, rows, aliasRev, aliasTargets, aliasesOf };
    this.states.set(artifact, state);
    return state;
  }

  private isDeleted(row: VersionRow): boolean {
    return this.deletions.has(row.id) && !this.protection?.protectedBy(this.project, row.id);
  }

  private view(row: VersionRow, state = this.state(row.artifact)): VersionView {
    const rec = row.rec;
    const number = this.numbers.get(rec.id) ?? null;
    const deletion = this.deletions.get(rec.id);
    const protectedBy = deletion ? this.protection?.protectedBy(this.project, rec.id) : undefined;
    return {
      versionId: rec.id,
      storeId: rec.storeId,
      project: this.project,
      artifact: rec.artifact,
      number,
      name: `${rec.artifact}:${number === null ? rec.id.slice(0, 8) : `v${number}`}`,
      digest: rec.digest,
      bytes: rec.bytes,
      fileCount: rec.fileCount,
      createdAt: rec.createdAt,
      createdBy: rec.by,
      source: { kind: rec.sourceKind, ...(rec.sourcePath ? { path: rec.sourcePath } : {}), ...(rec.sourceHost ? { host: rec.sourceHost } : {}) },
      description: this.field(rec.id, 'description', rec.description) as string,
      metadata: this.field(rec.id, 'metadata', metadataOf(rec)) as Metadata,
      tags: this.field(rec.id, 'tags', rec.tags) as string[],
      aliases: state.aliasesOf.get(rec.id) ?? [],
      deleted: deletion && !protectedBy ? { by: deletion.by, at: hlcWall(deletion.hlc), reason: deletion.reason } : null,
      deletionBlockedBy: deletion && protectedBy ? { ...protectedBy, by: deletion.by, reason: deletion.reason } : null,
      duplicateOf: state.duplicates.get(rec.id) ?? null,
    };
  }

  private field(id: string, field: string, initial: Json): Json {
    const edit = this.edits.get(`${id}\u0000${field}`);
    return edit ? edit.value : initial;
  }

  // ---- reads ----

  artifacts(): ArtifactView[] {
    const names = new Set<string>([...this.artifactsMap.keys(), ...this.byArtifact.keys()]);
    return [...names].sort().map((name) => this.artifact(name)!);
  }

  artifact(name: string): ArtifactView | undefined {
    const rec = asNamed<ArtifactRecord>(parseRecord(this.artifactsMap.get(name)));
    if (!rec && !this.byArtifact.has(name)) return undefined;
    const state = this.state(name);
    return {
      name,
      description: (this.edits.get(`artifact:${name}\u0000description`)?.value as string | undefined) ?? rec?.description ?? '',
      createdAt: rec?.createdAt ?? state.live[0]?.rec.createdAt ?? 0,
      createdBy: rec?.by ?? '',
      versionCount: state.live.length,
      latest: state.latest?.rec.id ?? null,
    };
  }

  getVersion(versionId: string): VersionView | undefined {
    const row = this.row(versionId);
    return row ? this.view(row) : undefined;
  }

  files(versionId: string): ManifestEntry[] {
    return this.manifestOf(versionId).map(([path, size, sha256, executable]: ManifestTuple) => ({
      path,
      size,
      sha256,
      executable: executable === 1,
    }));
  }

  private manifestOf(versionId: string): ManifestTuple[] {
    if (this.manifestBacklog.length > 0) {
      for (const text of this.manifestBacklog) {
        const owner = manifestOwner(text);
        if (!this.manifests.has(owner)) this.manifests.set(owner, text);
      }
      this.manifestBacklog = [];
    }
    const text = this.manifests.get(versionId);
    return text === undefined ? [] : decodeManifest(text);
  }

  /** All versions of the project (for search and the sequencer), in arrival order. */
  versionIds(): string[] {
    return [...this.versions.keys()];
  }

  /** Resolves `:vN`, `:latest`, an alias, a versionId or a unique digest prefix. */
  resolveRef(artifact: string, ref: VersionRef = { kind: 'latest' }): Result<VersionView> {
    if (!this.byArtifact.has(artifact) && !this.artifactsMap.has(artifact)) {
      return fail('ARTIFACT_NOT_FOUND', `No artifact "${artifact}" in project ${this.project}.`);
    }
    const state = this.state(artifact);
    if (ref.kind === 'latest') {
      return state.latest ? ok(this.view(state.latest, state)) : fail('VERSION_NOT_FOUND', `${artifact} has no live versions yet.`);
    }
    if (ref.kind === 'number') {
      const row = state.byNumber.get(ref.n);
      if (!row) return fail('VERSION_NOT_FOUND', `${artifact} has no v${ref.n}.`);
      if (this.isDeleted(row)) return fail('VERSION_DELETED', `${artifact}:v${ref.n} was deleted by ${this.deletions.get(row.rec.id)!.by}.`);
      return ok(this.view(row, state));
    }
    const target = state.aliasTargets.get(aliasKey(ref.alias));
    if (target) return ok(this.view(this.versions.get(target.versionId)!, state));
    const byId = this.row(ref.alias);
    if (byId && byId.artifact === artifact) return ok(this.view(byId, state));
    const prefix = ref.alias.toLowerCase().replace(/^sha256:/, '');
    if (/^[0-9a-f]{6,64}$/.test(prefix)) {
      const matches = state.live.filter((r) => r.rec.digest.startsWith(prefix));
      if (matches.length === 1) return ok(this.view(matches[0]!, state));
      if (matches.length > 1) return fail('AMBIGUOUS', `Digest prefix ${prefix} matches ${matches.length} versions of ${artifact}; give more digits.`);
    }
    return fail('ALIAS_NOT_FOUND', `${artifact} has no alias "${ref.alias}".`);
  }

  listVersions(artifact: string, options: ListOptions = {}): Result<{ rows: VersionView[]; total: number }> {
    const query = this.queryVersions(artifact, options);
    if (!query.ok) return query;
    const offset = Math.max(0, options.offset ?? 0);
    const limit = Math.max(0, options.limit ?? query.value.total);
    const rows: VersionView[] = [];
    for (let i = offset; i < Math.min(query.value.total, offset + limit); i++) rows.push(query.value.at(i));
    return ok({ rows, total: query.value.total });
  }

  /**
   * The filtered, sorted versions of an artifact, with views built only for the rows
   * asked for — what a virtualized table needs (10k rows, 30 on screen).
   */
  queryVersions(artifact: string, options: Omit<ListOptions, 'offset' | 'limit'> = {}): Result<VersionQuery> {
    if (!this.byArtifact.has(artifact) && !this.artifactsMap.has(artifact)) {
      return fail('ARTIFACT_NOT_FOUND', `No artifact "${artifact}" in project ${this.project}.`);
    }
    const state = this.state(artifact);
    let rows: VersionRow[] = options.includeDeleted ? (this.byArtifact.get(artifact) ?? []).filter((r) => r.valid && !state.duplicates.has(r.id)) : state.live;
    if (options.filter?.trim()) {
      const predicate = parseFilter(options.filter);
      if (!predicate.ok) return predicate;
      rows = rows.filter((row) => predicate.value(this.subject(row, state)));
    }
    const sort = options.sort ?? { key: 'number', dir: 'desc' };
    const sorted = this.sortRows(rows, sort.key, sort.dir, state);
    const views = new Map<number, VersionView>();
    return ok({
      total: sorted.length,
      at: (i: number) => {
        let view = views.get(i);
        if (!view) views.set(i, (view = this.view(sorted[i]!, state)));
        return view;
      },
      ids: () => sorted.map((r) => r.id),
    });
  }

  private subject(row: VersionRow, state: ArtifactState): FilterSubject {
    const rec = row.rec;
    return {
      aliases: state.aliasesOf.get(rec.id) ?? [],
      tags: this.field(rec.id, 'tags', rec.tags) as string[],
      digest: rec.digest,
      versionId: rec.id,
      createdAt: rec.createdAt,
      number: this.numbers.get(rec.id) ?? null,
      deleted: this.isDeleted(row),
      metadata: this.field(rec.id, 'metadata', metadataOf(rec)) as Metadata,
      description: this.field(rec.id, 'description', rec.description) as string,
      sourcePath: rec.sourcePath,
    };
  }

  private sortRows(rows: VersionRow[], key: string, dir: 'asc' | 'desc', state: ArtifactState): VersionRow[] {
    const sign = dir === 'asc' ? 1 : -1;
    if (key === 'number') {
      // `live` is already in number order; pending versions come after the numbered ones.
      const ordered = rows === state.live ? rows.slice() : rows.slice().sort((a, b) => (this.precedes(a, b) ? -1 : 1));
      return dir === 'asc' ? ordered : ordered.reverse();
    }
    const value = (row: VersionRow): number | string | undefined => {
      switch (key) {
        case 'created':
          return row.rec.createdAt;
        case 'bytes':
          return row.rec.bytes;
        case 'files':
          return row.rec.fileCount;
        case 'createdBy':
          return row.rec.by;
        default: {
          const v = lookup(this.field(row.rec.id, 'metadata', metadataOf(row.rec)) as Metadata, key.replace(/^metadata\./, '').split('.'));
          return typeof v === 'number' || typeof v === 'string' ? v : undefined;
        }
      }
    };
    const keyed = rows.map((row) => ({ row, v: value(row) }));
    keyed.sort((a, b) => {
      // Versions without the value go last whatever the direction.
      if (a.v === undefined || b.v === undefined) return a.v === b.v ? 0 : a.v === undefined ? 1 : -1;
      return a.v < b.v ? -sign : a.v > b.v ? sign : 0;
    });
    return keyed.map((k) => k.row);
  }

  aliasHistory(artifact: string, alias?: string): AliasHistoryEntry[] {
    return this.aliasBook.history(artifact, alias);
  }

  /** The alias move in effect, for `seen` pointers and checks. */
  aliasTarget(artifact: string, alias: string): string | null {
    return this.state(artifact).aliasTargets.get(aliasKey(alias))?.versionId ?? null;
  }

  diffVersions(a: string, b: string): Result<VersionDiff> {
    const ra = this.row(a);
    const rb = this.row(b);
    if (!ra || !rb) return fail('VERSION_NOT_FOUND', `Cannot compare: version ${!ra ? a : b} is not in project ${this.project}.`);
    return ok(diffRecords(ra.rec, rb.rec, this.manifestOf(a), this.manifestOf(b), this.getVersion(a)!.metadata, this.getVersion(b)!.metadata));
  }

  // ---- writes ----

  createArtifact(actor: Actor, name: string, description = ''): Result<ArtifactView> {
    const allowed = requireWrite(actor, 'create artifacts');
    if (!allowed.ok) return allowed;
    const valid = validateEntityName(name, 'artifact');
    if (!valid.ok) return valid;
    const desc = validateDescription(description);
    if (!desc.ok) return desc;
    if (!this.artifactsMap.has(name)) {
      const rec: ArtifactRecord = { name, description: desc.value, createdAt: Date.now(), by: actor.name };
      this.artifactsMap.set(name, JSON.stringify(rec));
    }
    return ok(this.artifact(name)!);
  }

  recordVersion(actor: Actor, input: RecordVersionInput): Result<RecordVersionResult> {
    const allowed = requireWrite(actor, 'log versions');
    if (!allowed.ok) return allowed;
    const artifact = validateEntityName(input.artifact, 'artifact');
    if (!artifact.ok) return artifact;
    const id = validateVersionId(input.versionId);
    if (!id.ok) return id;
    const digest = normalizeDigest(input.digest);
    if (!digest.ok) return digest;
    const files = validateManifest(input.manifest);
    if (!files.ok) return files;
    if (!Number.isSafeInteger(input.bytes) || input.bytes < 0) return fail('VERSION_INVALID', `${input.bytes} is not a byte count.`);
    const description = validateDescription(input.description ?? '');
    if (!description.ok) return description;
    const metadata = validateMetadata(input.metadata ?? {});
    if (!metadata.ok) return metadata;
    const tags = validateTags(input.tags ?? []);
    if (!tags.ok) return tags;
    const source = validateSource(input.source);
    if (!source.ok) return source;
    const aliases: string[] = [];
    for (const a of input.aliases ?? []) {
      const v = validateAlias(a);
      if (!v.ok) return v;
      if (!aliases.some((x) => aliasKey(x) === aliasKey(v.value))) aliases.push(v.value);
    }

    const existing = (this.contentIndex(artifact.value).get(digest.value) ?? [])
      .filter((r) => !this.isDeleted(r))
      .reduce<VersionRow | undefined>((best, r) => (!best || this.precedes(r, best) ? r : best), undefined);
    let target = id.value;
    this.doc.transact(() => {
      if (!this.artifactsMap.has(artifact.value)) {
        this.artifactsMap.set(artifact.value, JSON.stringify({ name: artifact.value, description: '', createdAt: Date.now(), by: actor.name } satisfies ArtifactRecord));
      }
      if (existing) {
        target = existing.rec.id;
      } else {
        // The store returns an existing version for content it already holds; if that id
        // is already recorded here (another artifact, or deleted), this record gets its own.
        if (this.versions.has(id.value)) target = newId();
        const hlc = this.stamp(actor);
        const rec: VersionRecord = {
          id: target,
          storeId: id.value,
          artifact: artifact.value,
          digest: digest.value,
          bytes: input.bytes,
          fileCount: files.value.length,
          createdAt: hlcWall(hlc),
          by: actor.name,
          hlc,
          clientId: this.doc.clientID,
          sourceKind: source.value.kind,
          sourcePath: source.value.path ?? '',
          sourceHost: source.value.host ?? '',
          description: description.value,
          metadataJson: JSON.stringify(metadata.value),
          tags: tags.value,
        };
        this.arrays.versions.push([encodeVersion(rec)]);
        this.arrays.manifests.push([encodeManifest(rec.id, files.value)]);
      }
      for (const alias of aliases) this.appendMove(actor, artifact.value, alias, target);
    });
    return ok({ versionId: target, created: !existing, duplicateOf: existing ? existing.rec.id : null, aliases });
  }

  editVersion(actor: Actor, versionId: string, changes: { description?: string; metadata?: Metadata; tags?: string[] }): Result<VersionView> {
    const allowed = requireWrite(actor, 'edit versions');
    if (!allowed.ok) return allowed;
    const row = this.row(versionId);
    if (!row) return fail('VERSION_NOT_FOUND', `No version ${versionId} in project ${this.project}.`);
    if (this.isDeleted(row)) return fail('VERSION_DELETED', `${this.view(row).name} is deleted; it can no longer be edited.`);
    const values: [string, Json][] = [];
    if (changes.description !== undefined) {
      const d = validateDescription(changes.description);
      if (!d.ok) return d;
      values.push(['description', d.value]);
    }
    if (changes.metadata !== undefined) {
      const m = validateMetadata(changes.metadata);
      if (!m.ok) return m;
      values.push(['metadata', m.value]);
    }
    if (changes.tags !== undefined) {
      const t = validateTags(changes.tags);
      if (!t.ok) return t;
      values.push(['tags', t.value]);
    }
    this.doc.transact(() => {
      for (const [field, value] of values) {
        const edit: EditRecord = { target: versionId, field, value, hlc: this.stamp(actor), clientId: this.doc.clientID, by: actor.name };
        this.arrays.edits.push([JSON.stringify(edit)]);
      }
    });
    return ok(this.getVersion(versionId)!);
  }

  /**
   * Soft delete: a tombstone with who, when and why. Refused while a protected alias
   * of a registered model points at the version; its artifact aliases go in the same
   * transaction. Its number is never reused.
   */
  deleteVersion(actor: Actor, versionId: string, reason: string): Result<VersionView> {
    const allowed = requireWrite(actor, 'delete versions');
    if (!allowed.ok) return allowed;
    const row = this.row(versionId);
    if (!row) return fail('VERSION_NOT_FOUND', `No version ${versionId} in project ${this.project}.`);
    const name = this.view(row).name;
    if (this.deletions.has(versionId) && this.isDeleted(row)) return fail('VERSION_DELETED', `${name} is already deleted.`);
    const guard = this.protection?.protectedBy(this.project, versionId);
    if (guard) {
      return fail('PROTECTED_ALIAS', `${name} is "${guard.alias}" of registered model ${guard.model}; move ${guard.alias} to another version first (admins only), then delete.`);
    }
    if (reason.length > 2000) return fail('DESCRIPTION_INVALID', 'Keep the reason under 2000 characters.');
    const aliases = this.state(row.artifact).aliasesOf.get(versionId) ?? [];
    this.doc.transact(() => {
      const del: DeletionRecord = { versionId, reason, hlc: this.stamp(actor), clientId: this.doc.clientID, by: actor.name };
      this.arrays.deletions.push([JSON.stringify(del)]);
      for (const alias of aliases) this.appendMove(actor, row.artifact, alias, null);
    });
    return ok(this.getVersion(versionId)!);
  }

  /** Points an artifact alias at a version, or removes it (versionId null). */
  moveAlias(actor: Actor, artifact: string, alias: string, versionId: string | null): Result<{ alias: string; versionId: string | null }> {
    const allowed = requireWrite(actor, 'move aliases');
    if (!allowed.ok) return allowed;
    const valid = validateAlias(alias);
    if (!valid.ok) return valid;
    if (!this.byArtifact.has(artifact)) return fail('ARTIFACT_NOT_FOUND', `No artifact "${artifact}" in project ${this.project}.`);
    const state = this.state(artifact);
    const current = state.aliasTargets.get(aliasKey(alias));
    if (versionId === null) {
      if (!current) return fail('ALIAS_NOT_FOUND', `${artifact} has no alias "${alias}" to remove.`);
    } else {
      const row = this.row(versionId);
      if (!row || row.artifact !== artifact) return fail('VERSION_NOT_FOUND', `No version ${versionId} in ${artifact}.`);
      if (this.isDeleted(row)) return fail('VERSION_DELETED', `${this.view(row, state).name} is deleted; aliases cannot point at it.`);
      versionId = state.duplicates.get(versionId) ?? versionId;
      if (current?.versionId === versionId && current.alias === valid.value) return ok({ alias: valid.value, versionId });
    }
    this.doc.transact(() => this.appendMove(actor, artifact, valid.value, versionId));
    return ok({ alias: valid.value, versionId });
  }

  private appendMove(actor: Actor, scope: string, alias: string, target: string | null): void {
    this.arrays.aliasMoves.push([JSON.stringify(this.newMove(actor, scope, alias, target))]);
  }

  // ---- for the sequencer ----

  /** Versions without a number that should get one, in arrival order. */
  unnumbered(): { versionId: string; artifact: string }[] {
    return this.waitingForNumbers(
      (id) => this.row(id),
      (row) => this.rowState(row.artifact).duplicates,
    ).map((row) => ({ versionId: row.id, artifact: row.artifact }));
  }

  nextNumber(artifact: string): number {
    return this.nextNumberAmong(this.byArtifact.get(artifact) ?? []);
  }
}

export function diffRecords(a: VersionRecord, b: VersionRecord, manifestA: ManifestTuple[], manifestB: ManifestTuple[], metaA: Metadata, metaB: Metadata): VersionDiff {
  const filesA = new Map(manifestA.map((f) => [f[0], f]));
  const filesB = new Map(manifestB.map((f) => [f[0], f]));
  const added: VersionDiff['added'] = [];
  const removed: VersionDiff['removed'] = [];
  const changed: VersionDiff['changed'] = [];
  let unchanged = 0;
  for (const [path, fb] of filesB) {
    const fa = filesA.get(path);
    if (!fa) added.push({ path, size: fb[1], sha256: fb[2] });
    else if (fa[2] !== fb[2]) changed.push({ path, sizeA: fa[1], sizeB: fb[1], sha256A: fa[2], sha256B: fb[2] });
    else unchanged++;
  }
  for (const [path, fa] of filesA) if (!filesB.has(path)) removed.push({ path, size: fa[1], sha256: fa[2] });
  const byPath = (x: { path: string }, y: { path: string }) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0);
  const metadata: VersionDiff['metadata'] = [];
  for (const key of [...new Set([...Object.keys(metaA), ...Object.keys(metaB)])].sort()) {
    if (JSON.stringify(metaA[key]) !== JSON.stringify(metaB[key])) metadata.push({ key, a: metaA[key], b: metaB[key] });
  }
  return {
    a: a.id,
    b: b.id,
    added: added.sort(byPath),
    removed: removed.sort(byPath),
    changed: changed.sort(byPath),
    unchanged,
    sizeDelta: b.bytes - a.bytes,
    metadata,
  };
}

function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
