import * as Y from 'yjs';
import type { AliasHistoryEntry } from './alias-book';
import { DocModel, type NumberedRow } from './doc-model';
import { compareStamped, hlcWall } from './hlc';
import { followLogs } from './log-follower';
import { aliasKey, validateAlias, validateEntityName, validateProjectName, type VersionRef } from './names';
import { requireAdmin, requireWrite, type Actor } from './roles';
import { fail, ok, type Result } from './result';
import {
  asEdit,
  asLink,
  asNamed,
  asUnlink,
  parseRecord,
  WORKSPACE_DOC,
  type EditRecord,
  type Json,
  type LinkRecord,
  type ModelRecord,
  type ProjectRecord,
  type UnlinkRecord,
} from './schema';
import type { ProtectionSource } from './project-model';
import { validateDescription, validateTags, validateVersionId, normalizeDigest } from './validate-input';
import { newId } from './new-id';

export const DEFAULT_PROTECTED_ALIASES = ['production', 'staging'];

export interface ProjectView {
  name: string;
  description: string;
  createdAt: number;
  createdBy: string;
}

export interface ModelView {
  name: string;
  description: string;
  tags: string[];
  protectedAliases: string[];
  createdAt: number;
  createdBy: string;
  linkCount: number;
  aliases: { alias: string; linkId: string; protected: boolean }[];
}

export interface LinkView {
  linkId: string;
  model: string;
  number: number | null;
  /** `model:v2`, or `model:<first 8 of linkId>` while pending. */
  name: string;
  project: string;
  artifact: string;
  versionId: string;
  digest: string;
  createdAt: number;
  createdBy: string;
  aliases: string[];
  unlinked: { by: string; at: number } | null;
  duplicateOf: string | null;
}

export interface VersionRefForLink {
  project: string;
  artifact: string;
  versionId: string;
  digest: string;
}

interface LinkRow extends NumberedRow {
  rec: LinkRecord;
}

interface ModelState {
  rev: number;
  live: LinkRow[];
  byNumber: Map<number, LinkRow>;
  duplicates: Map<string, string>;
  aliasTargets: Map<string, { alias: string; linkId: string; protected: boolean }>;
  aliasesOf: Map<string, string[]>;
  latest: LinkRow | undefined;
  protectedKeys: Set<string>;
}

const MODEL_FIELDS = new Set(['description', 'tags', 'protected']);

/**
 * The workspace document: projects, registered models, their links to versions and
 * the models' alias moves. It is also the ProtectionSource every project consults:
 * a version under a protected alias cannot be deleted, even by a concurrent delete.
 */
export class WorkspaceModel extends DocModel<LinkRow> implements ProtectionSource {
  private readonly links = new Map<string, LinkRow>();
  private readonly linksByModel = new Map<string, LinkRow[]>();
  private readonly unlinks = new Map<string, UnlinkRecord>();
  private readonly edits = new Map<string, EditRecord>();
  private readonly modelRevs = new Map<string, number>();
  private readonly states = new Map<string, ModelState>();
  private readonly arrays;
  private readonly projectsMap: Y.Map<string>;
  private readonly modelsMap: Y.Map<string>;
  private protectedIndex: { rev: number; map: Map<string, { model: string; alias: string }> } | undefined;
  private stopFollowing: () => void;

  constructor(
    doc: Y.Doc,
    readonly workspace: string,
  ) {
    super(doc);
    this.arrays = {
      modelEdits: doc.getArray<string>(WORKSPACE_DOC.modelEdits),
      links: doc.getArray<string>(WORKSPACE_DOC.links),
      unlinks: doc.getArray<string>(WORKSPACE_DOC.unlinks),
      linkNumbers: doc.getArray<string>(WORKSPACE_DOC.linkNumbers),
      aliasMoves: doc.getArray<string>(WORKSPACE_DOC.aliasMoves),
      rejected: doc.getArray<string>(WORKSPACE_DOC.rejected),
    };
    this.projectsMap = doc.getMap<string>(WORKSPACE_DOC.projects);
    this.modelsMap = doc.getMap<string>(WORKSPACE_DOC.models);
    this.stopFollowing = this.follow();
  }

  destroy(): void {
    this.stopFollowing();
    this.clearListeners();
  }

  private follow(): () => void {
    const handlers = new Map<Y.Array<unknown>, (values: unknown[]) => void>([
      [this.arrays.links as Y.Array<unknown>, (vs) => vs.forEach((v) => this.ingestLink(v))],
      [this.arrays.unlinks as Y.Array<unknown>, (vs) => vs.forEach((v) => this.ingestUnlink(v))],
      [this.arrays.linkNumbers as Y.Array<unknown>, (vs) => vs.forEach((v) => this.ingestNumber(v))],
      [this.arrays.modelEdits as Y.Array<unknown>, (vs) => vs.forEach((v) => this.ingestEdit(v))],
      [this.arrays.aliasMoves as Y.Array<unknown>, (vs) => vs.forEach((v) => this.ingestMove(v))],
      [this.arrays.rejected as Y.Array<unknown>, (vs) => vs.forEach((v) => this.ingestRejection(v))],
    ]);
    const stopLogs = followLogs(this.doc, handlers, () => this.rebuild(), () => this.changed());
    const onNamed = (e: Y.YMapEvent<string>) => {
      e.keysChanged.forEach((k) => this.bump(k));
      this.changed();
    };
    this.projectsMap.observe(onNamed);
    this.modelsMap.observe(onNamed);
    return () => {
      stopLogs();
      this.projectsMap.unobserve(onNamed);
      this.modelsMap.unobserve(onNamed);
    };
  }

  private rebuild(): void {
    this.stopFollowing();
    for (const m of [this.links, this.linksByModel, this.unlinks, this.edits, this.states] as Map<unknown, unknown>[]) m.clear();
    this.resetShared();
    this.stopFollowing = this.follow();
    this.changed();
  }

  private bump(model: string): void {
    this.modelRevs.set(model, (this.modelRevs.get(model) ?? 0) + 1);
  }

  private ingestLink(value: unknown): void {
    const rec = asLink(parseRecord(value));
    if (!rec || this.links.has(rec.id)) return;
    this.see(rec.hlc);
    const row: LinkRow = { id: rec.id, rec, arrival: this.arrival++, stamp: () => rec };
    this.links.set(rec.id, row);
    this.trackPending(rec.id);
    let list = this.linksByModel.get(rec.model);
    if (!list) this.linksByModel.set(rec.model, (list = []));
    list.push(row);
    this.bump(rec.model);
  }

  private ingestUnlink(value: unknown): void {
    const rec = asUnlink(parseRecord(value));
    if (!rec) return;
    this.see(rec.hlc);
    const current = this.unlinks.get(rec.linkId);
    if (!current || compareStamped(rec, current) < 0) this.unlinks.set(rec.linkId, rec);
    const row = this.links.get(rec.linkId);
    if (row) this.bump(row.rec.model);
  }

  private ingestNumber(value: unknown): void {
    const id = this.ingestNumberRecord(value);
    const row = id === undefined ? undefined : this.links.get(id);
    if (row) this.bump(row.rec.model);
  }

  private ingestEdit(value: unknown): void {
    const edit = asEdit(parseRecord(value));
    if (!edit || !MODEL_FIELDS.has(edit.field)) return;
    this.see(edit.hlc);
    const key = `${edit.target}\u0000${edit.field}`;
    const current = this.edits.get(key);
    if (!current || compareStamped(edit, current) > 0) this.edits.set(key, edit);
    this.bump(edit.target);
  }

  private ingestMove(value: unknown): void {
    const scope = this.ingestMoveRecord(value);
    if (scope !== undefined) this.bump(scope);
  }

  private ingestRejection(value: unknown): void {
    const scope = this.ingestRejectionRecord(value);
    if (scope !== undefined) this.bump(scope);
  }

  private field(model: string, field: string, initial: Json): Json {
    const edit = this.edits.get(`${model}\u0000${field}`);
    return edit ? edit.value : initial;
  }

  protectedAliases(model: string): string[] {
    const value = this.field(model, 'protected', DEFAULT_PROTECTED_ALIASES);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : DEFAULT_PROTECTED_ALIASES;
  }

  private state(model: string): ModelState {
    const rev = this.modelRevs.get(model) ?? 0;
    const cached = this.states.get(model);
    if (cached && cached.rev === rev) return cached;
    const protectedKeys = new Set(this.protectedAliases(model).map(aliasKey));
    // Protected aliases keep their link alive against a concurrent unlink.
    const protectedTargets = new Set<string>();
    for (const move of this.aliasBook.current(model)) if (protectedKeys.has(aliasKey(move.alias))) protectedTargets.add(move.target!);
    const rows = this.linksByModel.get(model) ?? [];
    const isLive = (row: LinkRow) => !this.unlinks.has(row.rec.id) || protectedTargets.has(row.rec.id);
    const { live, byNumber, duplicates, latest } = this.canonicalize(rows, isLive, (r) => `${r.rec.project}\u0000${r.rec.versionId}`);
    const aliasTargets = new Map<string, { alias: string; linkId: string; protected: boolean }>();
    const aliasesOf = new Map<string, string[]>();
    for (const move of this.aliasBook.current(model)) {
      const id = duplicates.get(move.target!) ?? move.target!;
      const row = this.links.get(id);
      if (!row || row.rec.model !== model || !isLive(row)) continue;
      const key = aliasKey(move.alias);
      aliasTargets.set(key, { alias: move.alias, linkId: id, protected: protectedKeys.has(key) });
      const list = aliasesOf.get(id);
      if (list) list.push(move.alias);
      else aliasesOf.set(id, [move.alias]);
    }
    for (const list of aliasesOf.values()) list.sort();
    const state = { rev, live, byNumber, duplicates, aliasTargets, aliasesOf, latest, protectedKeys };
    this.states.set(model, state);
    return state;
  }

  private linkView(row: LinkRow, state = this.state(row.rec.model)): LinkView {
    const rec = row.rec;
    const number = this.numbers.get(rec.id) ?? null;
    const unlink = this.unlinks.get(rec.id);
    const live = state.live.includes(row) || state.duplicates.has(rec.id);
    return {
      linkId: rec.id,
      model: rec.model,
      number,
      name: `${rec.model}:${number === null ? rec.id.slice(0, 8) : `v${number}`}`,
      project: rec.project,
      artifact: rec.artifact,
      versionId: rec.versionId,
      digest: rec.digest,
      createdAt: hlcWall(rec.hlc),
      createdBy: rec.by,
      aliases: state.aliasesOf.get(rec.id) ?? [],
      unlinked: unlink && !live ? { by: unlink.by, at: hlcWall(unlink.hlc) } : null,
      duplicateOf: state.duplicates.get(rec.id) ?? null,
    };
  }

  // ---- ProtectionSource ----

  protectedBy(project: string, versionId: string): { model: string; alias: string } | undefined {
    if (!this.protectedIndex || this.protectedIndex.rev !== this.revision()) {
      const map = new Map<string, { model: string; alias: string }>();
      for (const model of this.modelNames()) {
        // Sorted, so a version under two protected aliases reports the same one on every replica.
        const targets = [...this.state(model).aliasTargets.values()].filter((t) => t.protected).sort((a, b) => (a.alias < b.alias ? -1 : 1));
        for (const target of targets) {
          const link = this.links.get(target.linkId)!;
          const key = `${link.rec.project}\u0000${link.rec.versionId}`;
          if (!map.has(key)) map.set(key, { model, alias: target.alias });
        }
      }
      this.protectedIndex = { rev: this.revision(), map };
    }
    return this.protectedIndex.map.get(`${project}\u0000${versionId}`);
  }

  // ---- reads ----

  projects(): ProjectView[] {
    const out: ProjectView[] = [];
    for (const [name, value] of this.projectsMap) {
      const rec = asNamed<ProjectRecord>(parseRecord(value));
      if (rec) out.push({ name, description: rec.description ?? '', createdAt: rec.createdAt ?? 0, createdBy: rec.by ?? '' });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  hasProject(name: string): boolean {
    return this.projectsMap.has(name);
  }

  modelNames(): string[] {
    return [...new Set([...this.modelsMap.keys(), ...this.linksByModel.keys()])].sort();
  }

  models(): ModelView[] {
    return this.modelNames().map((name) => this.model(name)!);
  }

  model(name: string): ModelView | undefined {
    const rec = asNamed<ModelRecord>(parseRecord(this.modelsMap.get(name)));
    if (!rec && !this.linksByModel.has(name)) return undefined;
    const state = this.state(name);
    const tags = this.field(name, 'tags', []);
    return {
      name,
      description: String(this.field(name, 'description', '') ?? ''),
      tags: Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [],
      protectedAliases: this.protectedAliases(name),
      createdAt: rec?.createdAt ?? 0,
      createdBy: rec?.by ?? '',
      linkCount: state.live.length,
      aliases: [...state.aliasTargets.values()].map((t) => ({ alias: t.alias, linkId: t.linkId, protected: t.protected })).sort((a, b) => a.alias.localeCompare(b.alias)),
    };
  }

  listLinks(model: string, { includeUnlinked = false }: { includeUnlinked?: boolean } = {}): LinkView[] {
    const state = this.state(model);
    const rows = includeUnlinked ? (this.linksByModel.get(model) ?? []).filter((r) => !state.duplicates.has(r.rec.id)) : state.live;
    return rows.map((r) => this.linkView(r, state)).reverse();
  }

  getLink(linkId: string): LinkView | undefined {
    const row = this.links.get(linkId);
    return row ? this.linkView(row) : undefined;
  }

  /** Links (live) that point at a version, across every registered model. */
  linksToVersion(project: string, versionId: string): LinkView[] {
    const out: LinkView[] = [];
    for (const row of this.links.values()) {
      if (row.rec.project !== project || row.rec.versionId !== versionId) continue;
      const view = this.linkView(row);
      if (!view.unlinked && !view.duplicateOf) out.push(view);
    }
    return out;
  }

  resolveModelRef(model: string, ref: VersionRef = { kind: 'latest' }): Result<LinkView> {
    if (!this.model(model)) return fail('MODEL_NOT_FOUND', `No registered model "${model}".`);
    const state = this.state(model);
    if (ref.kind === 'latest') return state.latest ? ok(this.linkView(state.latest, state)) : fail('LINK_NOT_FOUND', `${model} has no linked versions yet.`);
    if (ref.kind === 'number') {
      const row = state.byNumber.get(ref.n);
      return row ? ok(this.linkView(row, state)) : fail('LINK_NOT_FOUND', `${model} has no v${ref.n}.`);
    }
    const target = state.aliasTargets.get(aliasKey(ref.alias));
    if (target) return ok(this.linkView(this.links.get(target.linkId)!, state));
    const byId = this.links.get(ref.alias);
    if (byId && byId.rec.model === model) return ok(this.linkView(byId, state));
    return fail('ALIAS_NOT_FOUND', `${model} has no alias "${ref.alias}".`);
  }

  aliasHistory(model: string, alias?: string): AliasHistoryEntry[] {
    return this.aliasBook.history(model, alias);
  }

  // ---- writes ----

  createProject(actor: Actor, name: string, description = ''): Result<ProjectView> {
    const allowed = requireWrite(actor, 'create projects');
    if (!allowed.ok) return allowed;
    const valid = validateProjectName(name);
    if (!valid.ok) return valid;
    const desc = validateDescription(description);
    if (!desc.ok) return desc;
    if (this.projectsMap.has(name)) return fail('PROJECT_EXISTS', `Project ${name} already exists.`);
    const rec: ProjectRecord = { name, description: desc.value, createdAt: Date.now(), by: actor.name };
    this.projectsMap.set(name, JSON.stringify(rec));
    return ok({ name, description: rec.description, createdAt: rec.createdAt, createdBy: rec.by });
  }

  createModel(actor: Actor, name: string, options: { description?: string; tags?: string[] } = {}): Result<ModelView> {
    const allowed = requireWrite(actor, 'create registered models');
    if (!allowed.ok) return allowed;
    const valid = validateEntityName(name, 'registered model');
    if (!valid.ok) return valid;
    if (this.modelsMap.has(name)) return fail('MODEL_EXISTS', `Registered model ${name} already exists.`);
    const desc = validateDescription(options.description ?? '');
    if (!desc.ok) return desc;
    const tags = validateTags(options.tags ?? []);
    if (!tags.ok) return tags;
    this.doc.transact(() => {
      this.modelsMap.set(name, JSON.stringify({ name, createdAt: Date.now(), by: actor.name } satisfies ModelRecord));
      if (desc.value) this.appendEdit(actor, name, 'description', desc.value);
      if (tags.value.length > 0) this.appendEdit(actor, name, 'tags', tags.value);
    });
    return ok(this.model(name)!);
  }

  editModel(actor: Actor, name: string, changes: { description?: string; tags?: string[] }): Result<ModelView> {
    const allowed = requireWrite(actor, 'edit registered models');
    if (!allowed.ok) return allowed;
    if (!this.model(name)) return fail('MODEL_NOT_FOUND', `No registered model "${name}".`);
    const values: [string, Json][] = [];
    if (changes.description !== undefined) {
      const d = validateDescription(changes.description);
      if (!d.ok) return d;
      values.push(['description', d.value]);
    }
    if (changes.tags !== undefined) {
      const t = validateTags(changes.tags);
      if (!t.ok) return t;
      values.push(['tags', t.value]);
    }
    this.doc.transact(() => values.forEach(([field, value]) => this.appendEdit(actor, name, field, value)));
    return ok(this.model(name)!);
  }

  setProtectedAliases(actor: Actor, model: string, aliases: string[]): Result<ModelView> {
    const allowed = requireAdmin(actor, 'change which aliases are protected');
    if (!allowed.ok) return allowed;
    if (!this.model(model)) return fail('MODEL_NOT_FOUND', `No registered model "${model}".`);
    const clean: string[] = [];
    for (const a of aliases) {
      const v = validateAlias(a);
      if (!v.ok) return v;
      if (!clean.some((c) => aliasKey(c) === aliasKey(v.value))) clean.push(v.value);
    }
    this.doc.transact(() => this.appendEdit(actor, model, 'protected', clean));
    return ok(this.model(model)!);
  }

  link(actor: Actor, model: string, version: VersionRefForLink, aliases: string[] = []): Result<{ link: LinkView; created: boolean }> {
    const allowed = requireWrite(actor, 'link versions');
    if (!allowed.ok) return allowed;
    if (!this.model(model)) return fail('MODEL_NOT_FOUND', `No registered model "${model}".`);
    const id = validateVersionId(version.versionId);
    if (!id.ok) return id;
    const digest = normalizeDigest(version.digest);
    if (!digest.ok) return digest;
    for (const a of aliases) {
      const v = validateAlias(a);
      if (!v.ok) return v;
      if (this.isProtected(model, a) && actor.role !== 'admin') return this.protectedRefusal(model, a);
    }
    const existing = this.state(model).live.find((r) => r.rec.project === version.project && r.rec.versionId === version.versionId);
    let linkId = existing?.rec.id ?? newId();
    this.doc.transact(() => {
      if (!existing) {
        const rec: LinkRecord = {
          id: linkId,
          model,
          project: version.project,
          artifact: version.artifact,
          versionId: version.versionId,
          digest: digest.value,
          hlc: this.stamp(actor),
          clientId: this.doc.clientID,
          by: actor.name,
        };
        this.arrays.links.push([JSON.stringify(rec)]);
      }
      for (const alias of aliases) this.appendMove(actor, model, alias, linkId);
    });
    linkId = existing?.rec.id ?? linkId;
    return ok({ link: this.getLink(linkId)!, created: !existing });
  }

  unlink(actor: Actor, linkId: string): Result<LinkView> {
    const allowed = requireWrite(actor, 'unlink versions');
    if (!allowed.ok) return allowed;
    const row = this.links.get(linkId);
    if (!row) return fail('LINK_NOT_FOUND', `No link ${linkId}.`);
    const state = this.state(row.rec.model);
    const view = this.linkView(row, state);
    if (view.unlinked) return fail('LINK_NOT_FOUND', `${view.name} is already unlinked.`);
    const guard = [...state.aliasTargets.values()].find((t) => t.linkId === linkId && t.protected);
    if (guard) return fail('PROTECTED_ALIAS', `${view.name} is "${guard.alias}" of ${row.rec.model}; move ${guard.alias} elsewhere first (admins only).`);
    this.doc.transact(() => {
      const rec: UnlinkRecord = { linkId, hlc: this.stamp(actor), clientId: this.doc.clientID, by: actor.name };
      this.arrays.unlinks.push([JSON.stringify(rec)]);
      for (const alias of view.aliases) this.appendMove(actor, row.rec.model, alias, null);
    });
    return ok(this.getLink(linkId)!);
  }

  /** Points a registered-model alias at a link, or removes it. Protected aliases: admins only. */
  moveModelAlias(actor: Actor, model: string, alias: string, linkId: string | null): Result<{ alias: string; linkId: string | null }> {
    const allowed = requireWrite(actor, 'move aliases');
    if (!allowed.ok) return allowed;
    const valid = validateAlias(alias);
    if (!valid.ok) return valid;
    if (!this.model(model)) return fail('MODEL_NOT_FOUND', `No registered model "${model}".`);
    if (this.isProtected(model, alias) && actor.role !== 'admin') return this.protectedRefusal(model, alias);
    const state = this.state(model);
    const current = state.aliasTargets.get(aliasKey(alias));
    if (linkId === null) {
      if (!current) return fail('ALIAS_NOT_FOUND', `${model} has no alias "${alias}" to remove.`);
    } else {
      const row = this.links.get(linkId);
      if (!row || row.rec.model !== model) return fail('LINK_NOT_FOUND', `No link ${linkId} in ${model}.`);
      if (this.linkView(row, state).unlinked) return fail('LINK_NOT_FOUND', `That version was unlinked from ${model}.`);
      // Setting an alias to where it already points is still recorded: offline-first,
      // it states "production is this one, as of now" against any concurrent move.
      linkId = state.duplicates.get(linkId) ?? linkId;
    }
    this.doc.transact(() => this.appendMove(actor, model, valid.value, linkId));
    return ok({ alias: valid.value, linkId });
  }

  /** Removes the unprotected aliases of every link to a version (used when it is deleted). */
  removeAliasesOfVersion(actor: Actor, project: string, versionId: string): void {
    const moves: [string, string][] = [];
    for (const link of this.linksToVersion(project, versionId)) {
      for (const alias of link.aliases) if (!this.isProtected(link.model, alias)) moves.push([link.model, alias]);
    }
    if (moves.length > 0) this.doc.transact(() => moves.forEach(([model, alias]) => this.appendMove(actor, model, alias, null)));
  }

  isProtected(model: string, alias: string): boolean {
    return this.protectedAliases(model).some((p) => aliasKey(p) === aliasKey(alias));
  }

  private protectedRefusal<T>(model: string, alias: string): Result<T> {
    return fail('PROTECTED_ALIAS', `"${alias}" is a protected alias of ${model}: only workspace admins can move or remove it.`);
  }

  private appendEdit(actor: Actor, target: string, field: string, value: Json): void {
    const edit: EditRecord = { target, field, value, hlc: this.stamp(actor), clientId: this.doc.clientID, by: actor.name };
    this.arrays.modelEdits.push([JSON.stringify(edit)]);
  }

  private appendMove(actor: Actor, scope: string, alias: string, target: string | null): void {
    this.arrays.aliasMoves.push([JSON.stringify(this.newMove(actor, scope, alias, target))]);
  }

  // ---- for the sequencer ----

  unnumberedLinks(): { linkId: string; model: string }[] {
    return this.waitingForNumbers(
      (id) => this.links.get(id),
      (row) => this.state(row.rec.model).duplicates,
    ).map((row) => ({ linkId: row.id, model: row.rec.model }));
  }

  nextLinkNumber(model: string): number {
    return this.nextNumberAmong(this.linksByModel.get(model) ?? []);
  }
}
