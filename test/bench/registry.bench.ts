/**
 * npm run bench:registry -- [--json] [--runs N]
 * Builds a project document with 100,000 versions across 100 artifacts and 10,000
 * alias moves, then measures load, size, resolve, list, search and alias moves.
 */
import * as Y from 'yjs';
import { Registry, Hlc, parseName, type Actor } from '../../renderer/src/registry';
import { buildLargeProjectDoc } from './large-project-doc';
import { median, numberArg, percentile, round, wantsJson } from './stats';

const runs = numberArg('runs', 5);
const gc = (globalThis as { gc?: () => void }).gc;
const log = (...a: unknown[]) => console.log(...a);

const t0 = performance.now();
const built = buildLargeProjectDoc();
const update = Y.encodeStateAsUpdate(built.doc);
const json = built.json();
log(`built 100k-version document in ${round((performance.now() - t0) / 1000)} s`);
built.doc.destroy();

// load_ms: encoded update → Y.Doc → model indexes → first answer.
const loads: number[] = [];
let registry: Registry | undefined;
for (let r = 0; r < runs; r++) {
  registry?.destroy();
  registry = undefined;
  gc?.();
  const start = performance.now();
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  registry = new Registry('bench', new Y.Doc());
  registry.openProject('bench', doc).resolveRef(built.bigArtifact);
  loads.push(performance.now() - start);
}
// heap_mb: what a loaded, queried document holds, measured once after a full collection.
registry!.destroy();
registry = undefined;
gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const loadedDoc = new Y.Doc();
Y.applyUpdate(loadedDoc, update);
registry = new Registry('bench', new Y.Doc());
registry.openProject('bench', loadedDoc).resolveRef(built.bigArtifact);
gc?.();
const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
const project = registry.project('bench')!;
log(`load: ${loads.map((x) => round(x, 0)).join(', ')} ms`);
if (!gc) log('(run with node --expose-gc for heap figures)');

// resolve_us_p99: names of every form, parsed and resolved through the registry.
const names: string[] = [];
for (let i = 0; i < 2000; i++) {
  const artifact = built.artifacts[i % built.artifacts.length]!;
  const count = project.artifact(artifact)!.versionCount;
  names.push(`bench/${artifact}:v${i % count}`, `${artifact}:latest`, `${artifact}:best`, `bench/${artifact}:candidate`, artifact);
}
for (const n of names.slice(0, 2000)) registry.resolve(n);
const resolveUs: number[] = [];
for (const n of names) {
  const s = performance.now();
  registry.resolve(n);
  resolveUs.push((performance.now() - s) * 1000);
}
if (!parseName(names[0]!).ok) throw new Error('bad bench name');

// list_10k_ms: a filtered, sorted first page of the 10k-version artifact.
const listOptions = { filter: 'val_loss < 0.5 epoch>=10', sort: { key: 'val_loss', dir: 'asc' as const }, limit: 100 };
const listCold = (() => {
  const s = performance.now();
  project.listVersions(built.bigArtifact, listOptions);
  return performance.now() - s;
})();
const lists: number[] = [];
for (let r = 0; r < 20; r++) {
  const s = performance.now();
  const page = project.listVersions(built.bigArtifact, listOptions);
  lists.push(performance.now() - s);
  if (!page.ok || page.value.rows.length !== 100) throw new Error('list returned no page');
}

// search_ms
const searches: number[] = [];
for (const q of ['resnet', 'run-05', 'main', 'nothing-like-this', 'run-099', 'res']) {
  for (let r = 0; r < 5; r++) {
    const s = performance.now();
    registry.search(q);
    searches.push(performance.now() - s);
  }
}

// alias_move_ms: a move on the big artifact until the model reflects it.
const actor: Actor = { name: 'bench', role: 'write', clock: new Hlc() };
const page = project.listVersions(built.bigArtifact, { limit: 200 });
const ids = page.ok ? page.value.rows.map((r) => r.versionId) : [];
const moves: number[] = [];
for (let i = 0; i < 100; i++) {
  const s = performance.now();
  const moved = project.moveAlias(actor, built.bigArtifact, 'bench-alias', ids[i % ids.length]!);
  const seen = project.aliasTarget(built.bigArtifact, 'bench-alias');
  moves.push(performance.now() - s);
  if (!moved.ok || seen !== ids[i % ids.length]) throw new Error('alias move not visible');
}

const result = {
  versions: 100_000,
  artifacts: built.artifacts.length,
  alias_moves: 10_000,
  encoded_bytes: update.length,
  json_bytes: Buffer.byteLength(json),
  encoded_over_json: round(update.length / Buffer.byteLength(json), 3),
  load_ms: round(median(loads), 1),
  load_ms_runs: loads.map((x) => round(x, 1)),
  heap_mb: round(heapMb, 1),
  resolve_us_p50: round(median(resolveUs), 1),
  resolve_us_p99: round(percentile(resolveUs, 99), 1),
  list_10k_ms: round(median(lists), 2),
  list_10k_cold_ms: round(listCold, 2),
  search_ms: round(median(searches), 3),
  alias_move_ms: round(median(moves), 3),
  targets: { load_ms: 600, encoded_over_json: 1.2, resolve_us_p99: 100, list_10k_ms: 30, search_ms: 30 },
};
log(`encoded ${result.encoded_bytes} B vs JSON ${result.json_bytes} B (×${result.encoded_over_json}); load ${result.load_ms} ms; heap ${result.heap_mb} MB`);
log(`resolve p50 ${result.resolve_us_p50} µs p99 ${result.resolve_us_p99} µs; list ${result.list_10k_ms} ms (cold ${result.list_10k_cold_ms}); search ${result.search_ms} ms; alias move ${result.alias_move_ms} ms`);
if (wantsJson()) console.log(JSON.stringify(result));
