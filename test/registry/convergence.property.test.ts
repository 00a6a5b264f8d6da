/**
 * Property tests: 3–5 replicas apply random operations and exchange updates in random
 * orders, with partitions and offline periods; a server replica runs the sequencer
 * whenever it receives updates. After everyone reconnects, every replica must show
 * the same registry, and the invariants must hold on every replica at every step.
 */
import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { aliasKey, assignNumbers, Hlc, Registry, type Actor } from '../../renderer/src/registry';
import { commitOf } from './support';

const ARTIFACTS = ['alpha', 'beta'];
const CONTENTS = ['c0', 'c1', 'c2', 'c3'];
const ALIASES = ['best', 'Best', 'candidate', 'x'];
const MODEL_ALIASES = ['production', 'production', 'staging', 'shadow'];

interface Replica {
  registry: Registry;
  ws: Y.Doc;
  proj: Y.Doc;
  actor: Actor;
  wall: { t: number };
  online: boolean;
}

type Op =
  | { t: 'record'; r: number; content: number; artifact: number; alias: number | null }
  | { t: 'move'; r: number; artifact: number; alias: number; pick: number; remove: boolean }
  | { t: 'delete'; r: number; pick: number }
  | { t: 'edit'; r: number; pick: number; text: string }
  | { t: 'link'; r: number; pick: number }
  | { t: 'unlink'; r: number; pick: number }
  | { t: 'modelAlias'; r: number; alias: number; pick: number; remove: boolean }
  | { t: 'sync'; a: number; b: number }
  | { t: 'toServer'; r: number }
  | { t: 'toggle'; r: number }
  | { t: 'tick'; r: number; ms: number };

const opArb = (n: number): fc.Arbitrary<Op> => {
  const r = fc.integer({ min: 0, max: n - 1 });
  const pick = fc.nat(50);
  return fc.oneof(
    { weight: 5, arbitrary: fc.record({ t: fc.constant('record' as const), r, content: fc.nat(CONTENTS.length - 1), artifact: fc.nat(ARTIFACTS.length - 1), alias: fc.option(fc.nat(ALIASES.length - 1), { nil: null }) }) },
    { weight: 4, arbitrary: fc.record({ t: fc.constant('move' as const), r, artifact: fc.nat(ARTIFACTS.length - 1), alias: fc.nat(ALIASES.length - 1), pick, remove: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('delete' as const), r, pick }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('edit' as const), r, pick, text: fc.string({ maxLength: 8 }) }) },
    { weight: 3, arbitrary: fc.record({ t: fc.constant('link' as const), r, pick }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('unlink' as const), r, pick }) },
    { weight: 4, arbitrary: fc.record({ t: fc.constant('modelAlias' as const), r, alias: fc.nat(MODEL_ALIASES.length - 1), pick, remove: fc.boolean() }) },
    { weight: 4, arbitrary: fc.record({ t: fc.constant('sync' as const), a: r, b: r }) },
    { weight: 4, arbitrary: fc.record({ t: fc.constant('toServer' as const), r }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('toggle' as const), r }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('tick' as const), r, ms: fc.integer({ min: 1, max: 120_000 }) }) },
  );
};

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

function makeReplica(i: number, skewMs: number): Replica {
  const ws = new Y.Doc();
  const proj = new Y.Doc();
  const registry = new Registry('acme', ws);
  registry.openProject('vision', proj);
  const wall = { t: Date.UTC(2026, 10, 1) + skewMs };
  // Replicas 0 and 1 are admins, so protected aliases do move; the rest have write tokens.
  const actor: Actor = { name: `user${i}`, role: i <= 1 ? 'admin' : 'write', clock: new Hlc(() => wall.t) };
  return { registry, ws, proj, actor, wall, online: true };
}

function versionsOf(r: Replica): string[] {
  const p = r.registry.project('vision')!;
  return p
    .versionIds()
    .filter((id) => !p.getVersion(id)!.deleted)
    .sort();
}

function linksOf(r: Replica): string[] {
  return r.registry.workspace
    .listLinks('m')
    .map((l) => l.linkId)
    .sort();
}

function apply(op: Op, replicas: Replica[], server: { ws: Y.Doc; proj: Y.Doc }, created: Set<string>): void {
  const serverSync = (rep: Replica) => {
    sync(rep.ws, server.ws);
    sync(rep.proj, server.proj);
    assignNumbers(server.ws);
    assignNumbers(server.proj);
    sync(rep.ws, server.ws);
    sync(rep.proj, server.proj);
  };
  if (op.t === 'sync') {
    const a = replicas[op.a]!;
    const b = replicas[op.b]!;
    if (a !== b && a.online && b.online) {
      sync(a.ws, b.ws);
      sync(a.proj, b.proj);
    }
    return;
  }
  const rep = replicas[op.r]!;
  const project = rep.registry.project('vision')!;
  const ws = rep.registry.workspace;
  switch (op.t) {
    case 'toServer':
      if (rep.online) serverSync(rep);
      return;
    case 'toggle':
      rep.online = !rep.online;
      return;
    case 'tick':
      rep.wall.t += op.ms;
      return;
    case 'record': {
      const result = project.recordVersion(rep.actor, {
        ...commitOf(CONTENTS[op.content]!, ARTIFACTS[op.artifact]!),
        ...(op.alias === null ? {} : { aliases: [ALIASES[op.alias]!] }),
      });
      if (result.ok && result.value.created) created.add(result.value.versionId);
      return;
    }
    case 'move': {
      const artifact = ARTIFACTS[op.artifact]!;
      const ids = versionsOf(rep).filter((id) => project.getVersion(id)!.artifact === artifact);
      if (op.remove) project.moveAlias(rep.actor, artifact, ALIASES[op.alias]!, null);
      else if (ids.length > 0) project.moveAlias(rep.actor, artifact, ALIASES[op.alias]!, ids[op.pick % ids.length]!);
      return;
    }
    case 'delete': {
      const ids = versionsOf(rep);
      if (ids.length > 0) rep.registry.deleteVersion(rep.actor, 'vision', ids[op.pick % ids.length]!, 'property test');
      return;
    }
    case 'edit': {
      const ids = versionsOf(rep);
      if (ids.length > 0) project.editVersion(rep.actor, ids[op.pick % ids.length]!, { description: op.text });
      return;
    }
    case 'link': {
      const ids = versionsOf(rep);
      if (ids.length > 0) rep.registry.linkVersion(rep.actor, 'm', 'vision', ids[op.pick % ids.length]!);
      return;
    }
    case 'unlink': {
      const links = linksOf(rep);
      if (links.length > 0) ws.unlink(rep.actor, links[op.pick % links.length]!);
      return;
    }
    case 'modelAlias': {
      const links = linksOf(rep);
      if (!ws.model('m')) return;
      if (op.remove) ws.moveModelAlias(rep.actor, 'm', MODEL_ALIASES[op.alias]!, null);
      else if (links.length > 0) ws.moveModelAlias(rep.actor, 'm', MODEL_ALIASES[op.alias]!, links[op.pick % links.length]!);
      return;
    }
  }
}

/** Everything a user can see, in a canonical form. */
function snapshot(r: Replica) {
  const p = r.registry.project('vision')!;
  const versions = p
    .versionIds()
    .sort()
    .map((id) => {
      const v = p.getVersion(id)!;
      return [id, v.number, v.aliases, !!v.deleted, v.description, v.duplicateOf, v.deletionBlockedBy?.alias ?? null];
    });
  const artifacts = p.artifacts().map((a) => [a.name, a.latest, a.versionCount]);
  const ws = r.registry.workspace;
  const model = ws.model('m');
  const links = ws
    .listLinks('m', { includeUnlinked: true })
    .map((l) => [l.linkId, l.number, l.aliases, !!l.unlinked])
    .sort();
  const history = ARTIFACTS.flatMap((a) => p.aliasHistory(a).map((h) => [h.id, h.status]));
  const modelHistory = model ? ws.aliasHistory('m').map((h) => [h.id, h.status]) : [];
  return { versions, artifacts, model: model ? model.aliases : null, links, history, modelHistory };
}

function checkInvariants(r: Replica, numbersSeen: Map<string, number>): void {
  const p = r.registry.project('vision')!;
  for (const artifact of ARTIFACTS) {
    const rows = p.listVersions(artifact);
    if (!rows.ok) continue;
    // Every alias names at most one version.
    const aliases = rows.value.rows.flatMap((v) => v.aliases.map(aliasKey));
    expect(new Set(aliases).size).toBe(aliases.length);
    // Dedup: no two live versions of an artifact with the same content.
    const digests = rows.value.rows.map((v) => v.digest);
    expect(new Set(digests).size).toBe(digests.length);
    // Numbers are unique per artifact.
    const numbers = p.versionIds().filter((id) => p.getVersion(id)!.artifact === artifact).map((id) => p.numberOf(id)).filter((n) => n !== null);
    expect(new Set(numbers).size).toBe(numbers.length);
  }
  // Numbers, once seen anywhere, never change.
  for (const id of p.versionIds()) {
    const n = p.numberOf(id);
    if (n === null) continue;
    const before = numbersSeen.get(id);
    if (before !== undefined) expect(n).toBe(before);
    numbersSeen.set(id, n);
  }
  // A version under a protected alias is never deleted.
  const ws = r.registry.workspace;
  for (const alias of ws.model('m')?.aliases ?? []) {
    if (!alias.protected) continue;
    const link = ws.getLink(alias.linkId)!;
    const v = p.getVersion(link.versionId);
    if (v) expect(v.deleted).toBeNull();
  }
}


describe('replicas converge under random operations, partitions and orders', () => {
  it('holds every invariant and ends identical', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 5 }).chain((n) =>
          fc.tuple(fc.constant(n), fc.array(fc.integer({ min: -120_000, max: 120_000 }), { minLength: n, maxLength: n }), fc.array(opArb(n), { minLength: 30, maxLength: 120 })),
        ),
        ([n, skews, ops]) => {
          const replicas = skews.map((skew, i) => makeReplica(i, skew));
          // The registered model exists everywhere from the start, as after a first sync.
          replicas[0]!.registry.workspace.createModel(replicas[0]!.actor, 'm');
          for (const r of replicas.slice(1)) sync(replicas[0]!.ws, r.ws);
          const server = { ws: new Y.Doc(), proj: new Y.Doc() };
          const created = new Set<string>();
          const numbersSeen = new Map<string, number>();
          for (const op of ops) {
            apply(op, replicas, server, created);
            for (const r of replicas) checkInvariants(r, numbersSeen);
          }
          // Everyone reconnects; two rounds through the server settle numbers everywhere.
          for (const r of replicas) r.online = true;
          for (let round = 0; round < 2; round++) for (let i = 0; i < n; i++) apply({ t: 'toServer', r: i }, replicas, server, created);
          const expected = snapshot(replicas[0]!);
          for (const r of replicas) {
            checkInvariants(r, numbersSeen);
            expect(snapshot(r)).toEqual(expected);
            // No version is lost.
            const ids = new Set(r.registry.project('vision')!.versionIds());
            for (const id of created) expect(ids.has(id)).toBe(true);
            // Every live canonical version got a number.
            for (const a of ARTIFACTS) {
              const rows = r.registry.project('vision')!.listVersions(a);
              if (rows.ok) for (const v of rows.value.rows) expect(v.number).not.toBeNull();
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
