import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { assignNumbers, encodeHlc, Hlc, ProjectModel, unwrap } from '../../renderer/src/registry';
import { actor, commitOf, fakeClock, freshRegistry, syncDocs } from './support';

const alice = actor('alice');

function numbered(project: ProjectModel, doc: Y.Doc, content: string, extra = {}) {
  const result = unwrap(project.recordVersion(alice, { ...commitOf(content), ...extra }));
  assignNumbers(doc);
  return project.getVersion(result.versionId)!;
}

describe('recordVersion', () => {
  it('records a version from the store commit with its metadata, tags and source', () => {
    const { project, projectDoc } = freshRegistry();
    const commit = commitOf('epoch-1', 'resnet', { description: 'first', metadata: { val_loss: 0.42, epoch: 1 }, tags: ['baseline'] });
    const result = unwrap(project.recordVersion(alice, { ...commit, aliases: ['best'] }));
    expect(result).toEqual({ versionId: commit.versionId, created: true, duplicateOf: null, aliases: ['best'] });
    const pending = project.getVersion(commit.versionId)!;
    expect(pending).toMatchObject({ number: null, artifact: 'resnet', digest: commit.digest, bytes: commit.bytes, fileCount: 2, createdBy: 'alice' });
    expect(pending.name).toBe(`resnet:${commit.versionId.slice(0, 8)}`);
    expect(pending.source).toEqual(commit.source);
    expect(pending.metadata).toEqual({ val_loss: 0.42, epoch: 1 });
    expect(pending.aliases).toEqual(['best']);
    expect(project.files(commit.versionId).map((f) => f.path)).toEqual(['model.safetensors', 'config.json']);
    assignNumbers(projectDoc);
    expect(project.getVersion(commit.versionId)).toMatchObject({ number: 0, name: 'resnet:v0' });
    expect(project.artifact('resnet')).toMatchObject({ versionCount: 1, latest: commit.versionId });
  });

  it('makes no new version for content equal to a live version; requested aliases move to it', () => {
    const { project, projectDoc } = freshRegistry();
    const first = numbered(project, projectDoc, 'same');
    numbered(project, projectDoc, 'other');
    const again = unwrap(project.recordVersion(alice, { ...commitOf('same'), aliases: ['candidate'] }));
    expect(again).toMatchObject({ created: false, versionId: first.versionId, duplicateOf: first.versionId, aliases: ['candidate'] });
    expect(project.listVersions('resnet').ok && unwrap(project.listVersions('resnet')).total).toBe(2);
    expect(project.getVersion(first.versionId)!.aliases).toEqual(['candidate']);
  });

  it('does make a new version when the same content only exists in another artifact or was deleted', () => {
    const { project, projectDoc, registry } = freshRegistry();
    const v = numbered(project, projectDoc, 'x');
    expect(unwrap(project.recordVersion(alice, commitOf('x', 'other-run'))).created).toBe(true);
    unwrap(registry.deleteVersion(alice, 'vision', v.versionId, 'bad run'));
    expect(unwrap(project.recordVersion(alice, commitOf('x'))).created).toBe(true);
  });

  it('records one stored version twice when the store hands back an id already used (other artifact, or deleted)', () => {
    const { project, projectDoc, registry } = freshRegistry();
    const first = commitOf('shared weights');
    unwrap(project.recordVersion(alice, first));
    // The store answers the same versionId for the same content dropped elsewhere.
    const elsewhere = unwrap(project.recordVersion(alice, { ...commitOf('shared weights', 'vit'), versionId: first.versionId }));
    expect(elsewhere.created).toBe(true);
    expect(elsewhere.versionId).not.toBe(first.versionId);
    expect(project.getVersion(elsewhere.versionId)).toMatchObject({ artifact: 'vit', storeId: first.versionId });
    assignNumbers(projectDoc);
    unwrap(registry.deleteVersion(alice, 'vision', first.versionId, 'oops'));
    const again = unwrap(project.recordVersion(alice, { ...commitOf('shared weights'), versionId: first.versionId }));
    expect(again.created).toBe(true);
    expect(project.getVersion(again.versionId)).toMatchObject({ artifact: 'resnet', storeId: first.versionId, deleted: null });
    expect(project.files(again.versionId)).toHaveLength(2);
  });

  it.each([
    [{ versionId: '../etc' }, 'VERSION_INVALID'],
    [{ digest: 'abc' }, 'VERSION_INVALID'],
    [{ artifact: 'bad name' }, 'NAME_INVALID'],
    [{ metadata: { loss: Number.NaN } }, 'METADATA_INVALID'],
    [{ metadata: [1, 2] }, 'METADATA_INVALID'],
    [{ tags: ['has space'] }, 'TAG_INVALID'],
    [{ aliases: ['v2'] }, 'ALIAS_INVALID'],
    [{ manifest: [{ path: '../x', size: 1, sha256: 'a'.repeat(64), executable: false }] }, 'VERSION_INVALID'],
    [{ bytes: -1 }, 'VERSION_INVALID'],
    [{ source: { kind: 'email' } }, 'VERSION_INVALID'],
  ])('refuses bad input %j without writing anything', (patch, code) => {
    const { project, projectDoc } = freshRegistry();
    const before = Y.encodeStateVector(projectDoc);
    const result = project.recordVersion(alice, { ...commitOf('q'), ...(patch as object) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
    expect(Y.encodeStateVector(projectDoc)).toEqual(before);
  });

  it('accepts a "sha256:" digest prefix and stores the bare hex', () => {
    const { project } = freshRegistry();
    const c = commitOf('p');
    unwrap(project.recordVersion(alice, { ...c, digest: `sha256:${c.digest.toUpperCase()}` }));
    expect(project.getVersion(c.versionId)!.digest).toBe(c.digest);
  });
});

describe('editVersion', () => {
  it('changes description, metadata and tags; files stay as they were', () => {
    const { project, projectDoc } = freshRegistry();
    const v = numbered(project, projectDoc, 'e');
    const edited = unwrap(project.editVersion(alice, v.versionId, { description: '# Notes', metadata: { val_loss: 0.1 }, tags: ['keep'] }));
    expect(edited).toMatchObject({ description: '# Notes', metadata: { val_loss: 0.1 }, tags: ['keep'], digest: v.digest, fileCount: 2 });
  });

  it('the later edit wins, by hybrid clock, even when it reaches a replica first', () => {
    const { project, projectDoc } = freshRegistry();
    const v = numbered(project, projectDoc, 'lww');
    const other = new Y.Doc();
    syncDocs(projectDoc, other);
    const otherModel = new ProjectModel(other, 'vision');
    const wall = fakeClock(Date.UTC(2026, 10, 2));
    const early = actor('bob', 'write', new Hlc(wall.now));
    const late = actor('carol', 'write', new Hlc(() => wall.now() + 1000));
    unwrap(otherModel.editVersion(late, v.versionId, { description: 'later' }));
    unwrap(project.editVersion(early, v.versionId, { description: 'earlier' }));
    syncDocs(projectDoc, other);
    expect(project.getVersion(v.versionId)!.description).toBe('later');
    expect(otherModel.getVersion(v.versionId)!.description).toBe('later');
  });
});

describe('aliases', () => {
  it('an alias names exactly one version: moving it takes it off the previous one', () => {
    const { project, projectDoc } = freshRegistry();
    const v0 = numbered(project, projectDoc, 'a0');
    const v1 = numbered(project, projectDoc, 'a1');
    unwrap(project.moveAlias(alice, 'resnet', 'best', v0.versionId));
    unwrap(project.moveAlias(alice, 'resnet', 'best', v1.versionId));
    expect(project.getVersion(v0.versionId)!.aliases).toEqual([]);
    expect(project.getVersion(v1.versionId)!.aliases).toEqual(['best']);
    expect(unwrap(project.resolveRef('resnet', { kind: 'alias', alias: 'BEST' })).versionId).toBe(v1.versionId);
  });

  it('is unique per artifact ignoring case', () => {
    const { project, projectDoc } = freshRegistry();
    const v0 = numbered(project, projectDoc, 'c0');
    const v1 = numbered(project, projectDoc, 'c1');
    unwrap(project.moveAlias(alice, 'resnet', 'Best', v0.versionId));
    unwrap(project.moveAlias(alice, 'resnet', 'best', v1.versionId));
    expect(project.getVersion(v0.versionId)!.aliases).toEqual([]);
    expect(project.getVersion(v1.versionId)!.aliases).toEqual(['best']);
  });

  it('is removed with a null target, and removing a missing alias says so', () => {
    const { project, projectDoc } = freshRegistry();
    const v = numbered(project, projectDoc, 'r');
    unwrap(project.moveAlias(alice, 'resnet', 'best', v.versionId));
    unwrap(project.moveAlias(alice, 'resnet', 'best', null));
    expect(project.getVersion(v.versionId)!.aliases).toEqual([]);
    const again = project.moveAlias(alice, 'resnet', 'best', null);
    expect(!again.ok && again.error.code).toBe('ALIAS_NOT_FOUND');
  });

  it('refuses reserved aliases and versions of other artifacts', () => {
    const { project, projectDoc } = freshRegistry();
    const v = numbered(project, projectDoc, 'z');
    const reserved = project.moveAlias(alice, 'resnet', 'latest', v.versionId);
    expect(!reserved.ok && reserved.error.code).toBe('ALIAS_INVALID');
    unwrap(project.recordVersion(alice, commitOf('w', 'vit')));
    const foreign = project.moveAlias(alice, 'vit', 'best', v.versionId);
    expect(!foreign.ok && foreign.error.code).toBe('VERSION_NOT_FOUND');
  });

  it('a concurrent move: the later clock wins on every replica and history marks the loser', () => {
    const { project, projectDoc } = freshRegistry();
    const v0 = numbered(project, projectDoc, 'h0');
    const v1 = numbered(project, projectDoc, 'h1');
    const v2 = numbered(project, projectDoc, 'h2');
    unwrap(project.moveAlias(alice, 'resnet', 'production', v0.versionId));
    const offlineDoc = new Y.Doc();
    syncDocs(projectDoc, offlineDoc);
    const offline = new ProjectModel(offlineDoc, 'vision');
    const wall = fakeClock(Date.now() + 10_000);
    const bob = actor('bob', 'write', new Hlc(wall.now));
    const carol = actor('carol', 'write', new Hlc(() => wall.now() + 5_000));
    // Bob, offline, moves production to v1; Carol, online and later, moves it to v2.
    unwrap(offline.moveAlias(bob, 'resnet', 'production', v1.versionId));
    unwrap(project.moveAlias(carol, 'resnet', 'production', v2.versionId));
    syncDocs(projectDoc, offlineDoc);
    for (const m of [project, offline]) {
      expect(m.aliasTarget('resnet', 'production')).toBe(v2.versionId);
      const history = m.aliasHistory('resnet', 'production');
      expect(history.map((h) => [h.move.by, h.status])).toEqual([
        ['alice', 'superseded'],
        ['bob', 'overridden'],
        ['carol', 'current'],
      ]);
      expect(history[1]!.overriddenBy).toMatchObject({ by: 'carol', target: v2.versionId });
      expect(m.getVersion(v1.versionId)!.aliases).toEqual([]);
    }
  });

  it('a move made after seeing another supersedes it (not "overridden")', () => {
    const { project, projectDoc } = freshRegistry();
    const v0 = numbered(project, projectDoc, 's0');
    const v1 = numbered(project, projectDoc, 's1');
    unwrap(project.moveAlias(alice, 'resnet', 'staging', v0.versionId));
    unwrap(project.moveAlias(actor('bob'), 'resnet', 'staging', v1.versionId));
    expect(project.aliasHistory('resnet', 'staging').map((h) => h.status)).toEqual(['superseded', 'current']);
  });
});

describe('latest and numbers', () => {
  it('latest is the highest-numbered live version and follows deletes', () => {
    const { project, projectDoc, registry } = freshRegistry();
    const v0 = numbered(project, projectDoc, 'l0');
    const v1 = numbered(project, projectDoc, 'l1');
    expect(unwrap(project.resolveRef('resnet')).versionId).toBe(v1.versionId);
    unwrap(registry.deleteVersion(alice, 'vision', v1.versionId, 'diverged'));
    expect(unwrap(project.resolveRef('resnet', { kind: 'latest' })).versionId).toBe(v0.versionId);
    const gone = project.resolveRef('resnet', { kind: 'number', n: 1 });
    expect(!gone.ok && gone.error.code).toBe('VERSION_DELETED');
    const v2 = numbered(project, projectDoc, 'l2');
    expect(v2.number).toBe(2);
  });

  it('a pending version resolves by versionId, digest prefix or alias', () => {
    const { project } = freshRegistry();
    const c = commitOf('pending');
    unwrap(project.recordVersion(alice, { ...c, aliases: ['candidate'] }));
    expect(unwrap(project.resolveRef('resnet', { kind: 'alias', alias: c.versionId })).versionId).toBe(c.versionId);
    expect(unwrap(project.resolveRef('resnet', { kind: 'alias', alias: c.digest.slice(0, 10) })).versionId).toBe(c.versionId);
    expect(unwrap(project.resolveRef('resnet', { kind: 'alias', alias: 'candidate' })).versionId).toBe(c.versionId);
    const v = project.resolveRef('resnet', { kind: 'number', n: 0 });
    expect(!v.ok && v.error.code).toBe('VERSION_NOT_FOUND');
  });
});

describe('deleteVersion', () => {
  it('is soft: who, when and why are kept, its aliases go, the number is never reused', () => {
    const { project, projectDoc, registry } = freshRegistry();
    const v0 = numbered(project, projectDoc, 'd0');
    unwrap(project.moveAlias(alice, 'resnet', 'best', v0.versionId));
    const deleted = unwrap(registry.deleteVersion(actor('bob'), 'vision', v0.versionId, 'NaN loss'));
    expect(deleted.deleted).toMatchObject({ by: 'bob', reason: 'NaN loss' });
    expect(deleted.aliases).toEqual([]);
    expect(unwrap(project.listVersions('resnet')).total).toBe(0);
    expect(unwrap(project.listVersions('resnet', { includeDeleted: true })).total).toBe(1);
    const v1 = numbered(project, projectDoc, 'd1');
    expect(v1.number).toBe(1);
    const edit = project.editVersion(alice, v0.versionId, { description: 'x' });
    expect(!edit.ok && edit.error.code).toBe('VERSION_DELETED');
  });

  it('is refused while a protected alias of a registered model points at the version', () => {
    const { project, projectDoc, registry } = freshRegistry();
    const admin = actor('root', 'admin');
    const v = numbered(project, projectDoc, 'p');
    unwrap(registry.workspace.createModel(alice, 'classifier'));
    const { link } = unwrap(registry.linkVersion(alice, 'classifier', 'vision', v.versionId));
    unwrap(registry.workspace.moveModelAlias(admin, 'classifier', 'production', link.linkId));
    const refused = registry.deleteVersion(alice, 'vision', v.versionId, 'cleanup');
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('PROTECTED_ALIAS');
      expect(refused.error.message).toContain('"production" of registered model classifier');
    }
    expect(project.getVersion(v.versionId)!.deleted).toBeNull();
  });
});

describe('listVersions', () => {
  function populated() {
    const fixture = freshRegistry();
    const { project, projectDoc } = fixture;
    for (let i = 0; i < 30; i++) {
      unwrap(project.recordVersion(alice, { ...commitOf(`m${i}`), metadata: { val_loss: i / 100, epoch: i, optimizer: i % 2 ? 'adam' : 'sgd' }, tags: i % 5 === 0 ? ['milestone'] : [] }));
    }
    assignNumbers(projectDoc);
    unwrap(project.moveAlias(alice, 'resnet', 'best', unwrap(project.resolveRef('resnet', { kind: 'number', n: 3 })).versionId));
    return fixture;
  }

  it('lists newest first by default, paged', () => {
    const { project } = populated();
    const page = unwrap(project.listVersions('resnet', { limit: 5 }));
    expect(page.total).toBe(30);
    expect(page.rows.map((r) => r.number)).toEqual([29, 28, 27, 26, 25]);
    expect(unwrap(project.listVersions('resnet', { offset: 28, limit: 5 })).rows.map((r) => r.number)).toEqual([1, 0]);
  });

  it.each([
    ['val_loss < 0.05', [4, 3, 2, 1, 0]],
    ['val_loss<0.05 epoch>=3', [4, 3]],
    ['alias:best', [3]],
    ['tag:milestone', [25, 20, 15, 10, 5, 0]],
    ['optimizer=adam val_loss <= 0.03', [3, 1]],
    ['optimizer:sgd epoch < 3', [2, 0]],
    ['epoch != 29 epoch > 27', [28]],
  ])('filters with %j', (filter, numbers) => {
    const { project } = populated();
    expect(unwrap(project.listVersions('resnet', { filter })).rows.map((r) => r.number)).toEqual(numbers);
  });

  it('filters by digest prefix, date and pending state', () => {
    const { project } = populated();
    const v7 = unwrap(project.resolveRef('resnet', { kind: 'number', n: 7 }));
    expect(unwrap(project.listVersions('resnet', { filter: `digest:${v7.digest.slice(0, 12)}` })).rows.map((r) => r.number)).toEqual([7]);
    const today = new Date(v7.createdAt).toISOString().slice(0, 10);
    expect(unwrap(project.listVersions('resnet', { filter: `created:${today}` })).total).toBe(30);
    expect(unwrap(project.listVersions('resnet', { filter: 'created<2000-01-01' })).total).toBe(0);
    unwrap(project.recordVersion(alice, commitOf('not yet numbered')));
    expect(unwrap(project.listVersions('resnet', { filter: 'is:pending' })).total).toBe(1);
  });

  it('sorts by a metric, versions without it last', () => {
    const { project } = populated();
    unwrap(project.recordVersion(alice, commitOf('no metrics')));
    const asc = unwrap(project.listVersions('resnet', { sort: { key: 'val_loss', dir: 'asc' } })).rows;
    expect(asc.slice(0, 3).map((r) => r.number)).toEqual([0, 1, 2]);
    expect(asc.at(-1)!.number).toBeNull();
    const desc = unwrap(project.listVersions('resnet', { sort: { key: 'metadata.val_loss', dir: 'desc' } })).rows;
    expect(desc[0]!.number).toBe(29);
    expect(desc.at(-1)!.number).toBeNull();
  });

  it('explains a filter it cannot read', () => {
    const { project } = populated();
    for (const [filter, hint] of [
      ['val_loss <', 'needs a value'],
      ['val_loss < abc', 'not one'],
      ['is:weird', 'is:pending'],
      ['created>yesterday', 'give a date'],
      ['digest:xyz', 'hex prefix'],
    ] as const) {
      const r = project.listVersions('resnet', { filter });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('FILTER_INVALID');
        expect(r.error.message).toContain(hint);
      }
    }
  });
});

describe('diffVersions', () => {
  it('reports files added, removed and changed by digest, the size delta and metadata changes', () => {
    const { project } = freshRegistry();
    const a = commitOf('da', 'resnet', { metadata: { val_loss: 0.3, epoch: 1, lr: 0.1 } });
    const b = commitOf('db', 'resnet', { metadata: { val_loss: 0.2, epoch: 1, notes: 'x' } });
    b.manifest = [b.manifest[0]!, { path: 'tokenizer.json', size: 50, sha256: 'c'.repeat(64), executable: false }];
    b.bytes = b.manifest.reduce((n, f) => n + f.size, 0);
    unwrap(project.recordVersion(alice, a));
    unwrap(project.recordVersion(alice, b));
    const diff = unwrap(project.diffVersions(a.versionId, b.versionId));
    expect(diff.added.map((f) => f.path)).toEqual(['tokenizer.json']);
    expect(diff.removed.map((f) => f.path)).toEqual(['config.json']);
    expect(diff.changed.map((f) => f.path)).toEqual(['model.safetensors']);
    expect(diff.sizeDelta).toBe(b.bytes - a.bytes);
    expect(diff.metadata).toEqual([
      { key: 'lr', a: 0.1, b: undefined },
      { key: 'notes', a: undefined, b: 'x' },
      { key: 'val_loss', a: 0.3, b: 0.2 },
    ]);
  });
});

describe('roles', () => {
  it('a read role cannot write anything and gets told why', () => {
    const { project, projectDoc } = freshRegistry();
    const v = numbered(project, projectDoc, 'ro');
    const reader = actor('rita', 'read');
    const before = Y.encodeStateVector(projectDoc);
    for (const result of [
      project.recordVersion(reader, commitOf('ro2')),
      project.editVersion(reader, v.versionId, { description: 'x' }),
      project.deleteVersion(reader, v.versionId, 'x'),
      project.moveAlias(reader, 'resnet', 'best', v.versionId),
      project.createArtifact(reader, 'new-run'),
    ]) {
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('ROLE_FORBIDDEN');
        expect(result.error.message).toContain('read access');
      }
    }
    expect(Y.encodeStateVector(projectDoc)).toEqual(before);
  });
});

describe('hostile documents', () => {
  it('skips malformed records from a bad replica instead of failing', () => {
    const { project, projectDoc } = freshRegistry();
    numbered(project, projectDoc, 'ok');
    projectDoc.getArray('versions').push(['{not json', JSON.stringify({ id: 5 }), JSON.stringify([1, 2]), '["abcdefgh12","resnet",broken', '["abcdefgh13","resnet","nohex"]']);
    projectDoc.getArray('aliasMoves').push([JSON.stringify({ scope: 'resnet', alias: 'x', target: 7, hlc: encodeHlc({ wall: 1, counter: 0 }), clientId: 1, by: 'm' })]);
    expect(unwrap(project.listVersions('resnet')).total).toBe(1);
    expect(project.artifacts().map((a) => a.name)).toEqual(['resnet']);
    expect(project.getVersion('abcdefgh12')).toBeUndefined();
    expect(assignNumbers(projectDoc).versions).toBe(0);
  });

  it('rebuilds when a replica deletes log entries, so every replica reads the same state', () => {
    const { project, projectDoc } = freshRegistry();
    numbered(project, projectDoc, 'k0');
    numbered(project, projectDoc, 'k1');
    projectDoc.getArray('versions').delete(0, 1);
    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, Y.encodeStateAsUpdate(projectDoc));
    const rebuilt = new ProjectModel(fresh, 'vision');
    expect(unwrap(project.listVersions('resnet')).total).toBe(unwrap(rebuilt.listVersions('resnet')).total);
  });
});
