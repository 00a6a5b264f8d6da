import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { assignNumbers, encodeHlc, Hlc, ProjectModel, SEQUENCER_ORIGIN, unwrap } from '../../renderer/src/registry';
import { actor, commitOf, freshRegistry, syncDocs } from './support';

const alice = actor('alice');

describe('assignNumbers (the sequencer)', () => {
  it('numbers versions per artifact in arrival order, starting at v0', () => {
    const { project, projectDoc } = freshRegistry();
    const a = unwrap(project.recordVersion(alice, commitOf('1', 'resnet'))).versionId;
    const b = unwrap(project.recordVersion(alice, commitOf('2', 'vit'))).versionId;
    const c = unwrap(project.recordVersion(alice, commitOf('3', 'resnet'))).versionId;
    expect(assignNumbers(projectDoc)).toEqual({ versions: 3, links: 0, rejectedMoves: 0 });
    expect([a, b, c].map((id) => project.getVersion(id)!.name)).toEqual(['resnet:v0', 'vit:v0', 'resnet:v1']);
  });

  it('is idempotent and writes in its own transaction origin', () => {
    const { project, projectDoc } = freshRegistry();
    unwrap(project.recordVersion(alice, commitOf('i')));
    const origins: unknown[] = [];
    projectDoc.on('afterTransaction', (tr) => origins.push(tr.origin));
    assignNumbers(projectDoc);
    const state = Y.encodeStateVector(projectDoc);
    expect(assignNumbers(projectDoc)).toEqual({ versions: 0, links: 0, rejectedMoves: 0 });
    expect(Y.encodeStateVector(projectDoc)).toEqual(state);
    expect(origins).toEqual([SEQUENCER_ORIGIN]);
  });

  it('never renumbers, even on a server that restarts and reloads the document', () => {
    const { project, projectDoc } = freshRegistry();
    for (let i = 0; i < 5; i++) unwrap(project.recordVersion(alice, commitOf(`n${i}`)));
    assignNumbers(projectDoc);
    const before = project.versionIds().map((id) => project.numberOf(id));
    const restarted = new Y.Doc();
    Y.applyUpdate(restarted, Y.encodeStateAsUpdate(projectDoc));
    expect(assignNumbers(restarted).versions).toBe(0);
    const client = new ProjectModel(restarted, 'vision');
    unwrap(client.recordVersion(alice, commitOf('after restart')));
    assignNumbers(restarted);
    expect(project.versionIds().map((id) => client.numberOf(id))).toEqual(before);
    expect(Math.max(...client.versionIds().map((id) => client.numberOf(id)!))).toBe(5);
  });

  it('gives concurrent offline versions from two replicas distinct numbers, once', () => {
    const server = new Y.Doc();
    const a = new Y.Doc();
    const b = new Y.Doc();
    const ma = new ProjectModel(a, 'vision');
    const mb = new ProjectModel(b, 'vision');
    const va = unwrap(ma.recordVersion(actor('a'), commitOf('from a'))).versionId;
    const vb = unwrap(mb.recordVersion(actor('b'), commitOf('from b'))).versionId;
    syncDocs(a, server);
    assignNumbers(server);
    syncDocs(b, server);
    assignNumbers(server);
    syncDocs(a, server);
    syncDocs(b, server);
    expect([ma.numberOf(va), ma.numberOf(vb)]).toEqual([0, 1]);
    expect([mb.numberOf(va), mb.numberOf(vb)]).toEqual([0, 1]);
  });

  it('does not number a concurrent duplicate of numbered content; it stands for the numbered one', () => {
    const server = new Y.Doc();
    const a = new Y.Doc();
    const b = new Y.Doc();
    const ma = new ProjectModel(a, 'vision');
    const mb = new ProjectModel(b, 'vision');
    const first = unwrap(ma.recordVersion(actor('a'), commitOf('same bytes'))).versionId;
    const copy = unwrap(mb.recordVersion(actor('b'), { ...commitOf('same bytes'), aliases: ['mine'] })).versionId;
    syncDocs(a, server);
    assignNumbers(server);
    syncDocs(b, server);
    assignNumbers(server);
    syncDocs(b, server);
    expect(mb.numberOf(first)).toBe(0);
    expect(mb.numberOf(copy)).toBeNull();
    expect(mb.getVersion(copy)!.duplicateOf).toBe(first);
    expect(unwrap(mb.listVersions('resnet')).rows.map((r) => r.versionId)).toEqual([first]);
    expect(unwrap(mb.resolveRef('resnet', { kind: 'alias', alias: 'mine' })).versionId).toBe(first);
  });

  it('numbers links per registered model', () => {
    const { registry, project, projectDoc, wsDoc } = freshRegistry();
    const v = unwrap(project.recordVersion(alice, commitOf('l'))).versionId;
    assignNumbers(projectDoc);
    unwrap(registry.workspace.createModel(alice, 'm1'));
    unwrap(registry.workspace.createModel(alice, 'm2'));
    const l1 = unwrap(registry.linkVersion(alice, 'm1', 'vision', v)).link.linkId;
    const l2 = unwrap(registry.linkVersion(alice, 'm2', 'vision', v)).link.linkId;
    expect(assignNumbers(wsDoc).links).toBe(2);
    expect([registry.workspace.getLink(l1)!.name, registry.workspace.getLink(l2)!.name]).toEqual(['m1:v0', 'm2:v0']);
  });

  it('rejects alias moves stamped too far ahead of the server clock, on every replica', () => {
    const { project, projectDoc } = freshRegistry();
    const v0 = unwrap(project.recordVersion(alice, commitOf('s0'))).versionId;
    const v1 = unwrap(project.recordVersion(alice, commitOf('s1'))).versionId;
    assignNumbers(projectDoc);
    unwrap(project.moveAlias(alice, 'resnet', 'production', v0));
    const future = actor('mallory', 'write', new Hlc(() => Date.now() + 365 * 86_400_000, Number.MAX_SAFE_INTEGER));
    unwrap(project.moveAlias(future, 'resnet', 'production', v1));
    expect(project.aliasTarget('resnet', 'production')).toBe(v1);
    const replica = new Y.Doc();
    syncDocs(projectDoc, replica);
    const other = new ProjectModel(replica, 'vision');
    expect(assignNumbers(projectDoc).rejectedMoves).toBe(1);
    syncDocs(projectDoc, replica);
    for (const m of [project, other]) {
      expect(m.aliasTarget('resnet', 'production')).toBe(v0);
      expect(m.aliasHistory('resnet', 'production').map((h) => h.status)).toEqual(['current', 'rejected']);
    }
    // A normal later move still works.
    unwrap(project.moveAlias(alice, 'resnet', 'production', v1));
    expect(project.aliasTarget('resnet', 'production')).toBe(v1);
  });

  it('accepts a move from a clock slightly ahead (within the bound)', () => {
    const { project, projectDoc } = freshRegistry();
    const v0 = unwrap(project.recordVersion(alice, commitOf('k'))).versionId;
    projectDoc.getArray('aliasMoves').push([
      JSON.stringify({ scope: 'resnet', alias: 'best', target: v0, hlc: encodeHlc({ wall: Date.now() + 60_000, counter: 0 }), clientId: 9, by: 'eve', seen: null }),
    ]);
    expect(assignNumbers(projectDoc).rejectedMoves).toBe(0);
    expect(project.aliasTarget('resnet', 'best')).toBe(v0);
  });
});
