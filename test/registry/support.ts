import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { Hlc, Registry, type Actor, type RecordVersionInput, type Role } from '../../renderer/src/registry';

/** A controllable wall clock for HLC tests. */
export function fakeClock(start = Date.UTC(2026, 10, 1)) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => void (now += ms),
    set: (t: number) => void (now = t),
  };
}

export function actor(name: string, role: Role = 'write', clock = new Hlc()): Actor {
  return { name, role, clock };
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

let counter = 0;
/** What the version store would return for a checkpoint whose content is `content`. */
export function commitOf(content: string, artifact = 'resnet', extra: Partial<RecordVersionInput> = {}): RecordVersionInput {
  counter++;
  const manifest = [
    { path: 'model.safetensors', size: 1000 + content.length, sha256: sha(`weights:${content}`), executable: false },
    { path: 'config.json', size: 120, sha256: sha('config'), executable: false },
  ];
  return {
    artifact,
    versionId: `ver${String(counter).padStart(6, '0')}${Math.random().toString(36).slice(2, 8)}`,
    digest: sha(`digest:${content}`),
    bytes: manifest.reduce((n, f) => n + f.size, 0),
    manifest,
    source: { kind: 'cli', path: `/runs/${artifact}/${content}`, host: 'gpu-1' },
    ...extra,
  };
}

/** A workspace with one open project, on fresh documents. */
export function freshRegistry(workspace = 'acme', project = 'vision') {
  const wsDoc = new Y.Doc();
  const projectDoc = new Y.Doc();
  const registry = new Registry(workspace, wsDoc);
  const model = registry.openProject(project, projectDoc);
  registry.workspace.createProject(actor('setup'), project);
  return { registry, project: model, wsDoc, projectDoc };
}

/** Two-way sync of two documents, as the y-websocket sync protocol would do. */
export function syncDocs(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}
