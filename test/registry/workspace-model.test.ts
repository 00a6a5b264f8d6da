import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { assignNumbers, Hlc, Registry, unwrap } from '../../renderer/src/registry';
import { actor, commitOf, fakeClock, freshRegistry, syncDocs } from './support';

const alice = actor('alice');
const admin = actor('ada', 'admin');

function withVersions(n: number) {
  const fixture = freshRegistry();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(unwrap(fixture.project.recordVersion(alice, commitOf(`w${i}`))).versionId);
  assignNumbers(fixture.projectDoc);
  unwrap(fixture.registry.workspace.createModel(alice, 'classifier', { description: '# Classifier\nShips to prod.', tags: ['vision'] }));
  return { ...fixture, ids };
}

describe('projects', () => {
  it('are created once, with a name that is also a valid sync room', () => {
    const { registry } = freshRegistry();
    expect(registry.workspace.projects().map((p) => p.name)).toEqual(['vision']);
    const dup = registry.workspace.createProject(alice, 'vision');
    expect(!dup.ok && dup.error.code).toBe('PROJECT_EXISTS');
    const bad = registry.workspace.createProject(alice, 'has space');
    expect(!bad.ok && bad.error.code).toBe('NAME_INVALID');
    const reserved = registry.workspace.createProject(alice, 'registry');
    expect(!reserved.ok && reserved.error.message).toContain('reserved');
  });
});

describe('registered models', () => {
  it('have a markdown description, tags, and production/staging protected by default', () => {
    const { registry } = withVersions(0);
    expect(registry.workspace.model('classifier')).toMatchObject({
      description: '# Classifier\nShips to prod.',
      tags: ['vision'],
      protectedAliases: ['production', 'staging'],
      linkCount: 0,
    });
    unwrap(registry.workspace.editModel(alice, 'classifier', { description: 'v2 card', tags: ['vision', 'prod'] }));
    expect(registry.workspace.model('classifier')).toMatchObject({ description: 'v2 card', tags: ['vision', 'prod'] });
    expect(registry.workspace.createModel(alice, 'classifier').ok).toBe(false);
  });

  it('link versions with their own indices; linking the same version twice links it once', () => {
    const { registry, ids, wsDoc } = withVersions(3);
    const a = unwrap(registry.linkVersion(alice, 'classifier', 'vision', ids[2]!));
    const b = unwrap(registry.linkVersion(alice, 'classifier', 'vision', ids[0]!));
    const again = unwrap(registry.linkVersion(alice, 'classifier', 'vision', ids[2]!));
    expect(a.created && b.created && !again.created).toBe(true);
    expect(again.link.linkId).toBe(a.link.linkId);
    expect(a.link.number).toBeNull();
    assignNumbers(wsDoc);
    const links = registry.workspace.listLinks('classifier');
    expect(links.map((l) => [l.name, l.versionId])).toEqual([
      ['classifier:v1', ids[0]],
      ['classifier:v0', ids[2]],
    ]);
    expect(unwrap(registry.resolve('registry/classifier:v0'))).toMatchObject({ kind: 'link', version: { versionId: ids[2] } });
    expect(unwrap(registry.resolve('classifier:latest'))).toMatchObject({ kind: 'link', link: { number: 1 } });
  });

  it('protected aliases move only for admins; others may move theirs', () => {
    const { registry, ids } = withVersions(2);
    const { link } = unwrap(registry.linkVersion(alice, 'classifier', 'vision', ids[0]!));
    const refused = registry.workspace.moveModelAlias(alice, 'classifier', 'Production', link.linkId);
    expect(!refused.ok && refused.error.code).toBe('PROTECTED_ALIAS');
    unwrap(registry.workspace.moveModelAlias(admin, 'classifier', 'production', link.linkId));
    unwrap(registry.workspace.moveModelAlias(alice, 'classifier', 'candidate', link.linkId));
    expect(registry.workspace.model('classifier')!.aliases).toEqual([
      { alias: 'candidate', linkId: link.linkId, protected: false },
      { alias: 'production', linkId: link.linkId, protected: true },
    ]);
    const removal = registry.workspace.moveModelAlias(alice, 'classifier', 'production', null);
    expect(!removal.ok && removal.error.code).toBe('PROTECTED_ALIAS');
    const viaLink = registry.linkVersion(alice, 'classifier', 'vision', ids[1]!, ['staging']);
    expect(!viaLink.ok && viaLink.error.code).toBe('PROTECTED_ALIAS');
  });

  it('only admins change the protected set', () => {
    const { registry, ids } = withVersions(1);
    const refused = registry.workspace.setProtectedAliases(alice, 'classifier', ['production']);
    expect(!refused.ok && refused.error.code).toBe('ROLE_FORBIDDEN');
    unwrap(registry.workspace.setProtectedAliases(admin, 'classifier', ['production', 'canary']));
    const { link } = unwrap(registry.linkVersion(alice, 'classifier', 'vision', ids[0]!));
    expect(registry.workspace.moveModelAlias(alice, 'classifier', 'canary', link.linkId).ok).toBe(false);
    expect(registry.workspace.moveModelAlias(alice, 'classifier', 'staging', link.linkId).ok).toBe(true);
  });

  it('unlink is refused under a protected alias and removes the link\'s other aliases', () => {
    const { registry, ids } = withVersions(2);
    const l0 = unwrap(registry.linkVersion(alice, 'classifier', 'vision', ids[0]!, ['candidate'])).link;
    const l1 = unwrap(registry.linkVersion(alice, 'classifier', 'vision', ids[1]!)).link;
    unwrap(registry.workspace.moveModelAlias(admin, 'classifier', 'production', l1.linkId));
    expect(registry.workspace.unlink(alice, l1.linkId).ok).toBe(false);
    const unlinked = unwrap(registry.workspace.unlink(alice, l0.linkId));
    expect(unlinked.unlinked).toMatchObject({ by: 'alice' });
    expect(registry.workspace.model('classifier')!.aliases.map((a) => a.alias)).toEqual(['production']);
    expect(registry.workspace.listLinks('classifier').map((l) => l.linkId)).toEqual([l1.linkId]);
  });

  it('deleting a version drops the unprotected aliases of its links in every registered model', () => {
    const { registry, ids } = withVersions(1);
    unwrap(registry.workspace.createModel(alice, 'detector'));
    const l1 = unwrap(registry.linkVersion(alice, 'classifier', 'vision', ids[0]!, ['candidate'])).link;
    const l2 = unwrap(registry.linkVersion(alice, 'detector', 'vision', ids[0]!, ['shadow'])).link;
    unwrap(registry.deleteVersion(alice, 'vision', ids[0]!, 'leak in eval set'));
    expect(registry.workspace.getLink(l1.linkId)!.aliases).toEqual([]);
    expect(registry.workspace.getLink(l2.linkId)!.aliases).toEqual([]);
    expect(registry.linkVersion(alice, 'detector', 'vision', ids[0]!).ok).toBe(false);
  });

  it('a delete concurrent with a protected alias move never deletes the protected version', () => {
    const { registry, ids, wsDoc, projectDoc } = withVersions(2);
    const { link } = unwrap(registry.linkVersion(alice, 'classifier', 'vision', ids[1]!));
    // A second replica, offline, deletes v1 while an admin here makes it production.
    const ws2 = new Y.Doc();
    const p2 = new Y.Doc();
    syncDocs(wsDoc, ws2);
    syncDocs(projectDoc, p2);
    const other = new Registry('acme', ws2);
    other.openProject('vision', p2);
    unwrap(other.deleteVersion(actor('bob'), 'vision', ids[1]!, 'looked bad'));
    unwrap(registry.workspace.moveModelAlias(admin, 'classifier', 'production', link.linkId));
    syncDocs(wsDoc, ws2);
    syncDocs(projectDoc, p2);
    for (const r of [registry, other]) {
      const v = r.project('vision')!.getVersion(ids[1]!)!;
      expect(v.deleted).toBeNull();
      expect(v.deletionBlockedBy).toMatchObject({ model: 'classifier', alias: 'production', by: 'bob' });
      expect(unwrap(r.resolve('registry/classifier:production'))).toMatchObject({ kind: 'link', version: { versionId: ids[1] } });
    }
  });

  it('concurrent moves of a model alias resolve by clock on both replicas, with history', () => {
    const { registry, ids, wsDoc } = withVersions(2);
    const l0 = unwrap(registry.linkVersion(alice, 'classifier', 'vision', ids[0]!)).link;
    const l1 = unwrap(registry.linkVersion(alice, 'classifier', 'vision', ids[1]!)).link;
    const ws2 = new Y.Doc();
    syncDocs(wsDoc, ws2);
    const other = new Registry('acme', ws2);
    const wall = fakeClock(Date.now() + 60_000);
    unwrap(other.workspace.moveModelAlias(actor('bob', 'admin', new Hlc(wall.now)), 'classifier', 'production', l0.linkId));
    unwrap(registry.workspace.moveModelAlias(actor('carol', 'admin', new Hlc(() => wall.now() + 1)), 'classifier', 'production', l1.linkId));
    syncDocs(wsDoc, ws2);
    for (const r of [registry, other]) {
      expect(unwrap(r.workspace.resolveModelRef('classifier', { kind: 'alias', alias: 'production' })).linkId).toBe(l1.linkId);
      const history = r.workspace.aliasHistory('classifier', 'production');
      expect(history.map((h) => [h.move.by, h.status])).toEqual([
        ['bob', 'overridden'],
        ['carol', 'current'],
      ]);
    }
  });
});
