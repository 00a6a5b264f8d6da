/**
 * A realistic large project document for benchmarks: versions logged by many clients
 * in interleaved sessions, numbered by the real sequencer, with alias moves made
 * through the real API. Used by bench:registry, bench:sync and bench:ui.
 */
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { assignNumbers, Hlc, ProjectModel, PROJECT_DOC, type Actor } from '../../renderer/src/registry';
import { encodeManifest, encodeVersion, type ManifestTuple, type VersionRecord } from '../../renderer/src/registry/schema';

export interface LargeDocOptions {
  versions?: number;
  artifacts?: number;
  /** Versions in the first artifact (the "10k-version artifact" the UI benchmarks page through). */
  bigArtifactVersions?: number;
  aliasMoves?: number;
  writers?: number;
  seed?: number;
}

export interface LargeDoc {
  doc: Y.Doc;
  bigArtifact: string;
  artifacts: string[];
  /** The same data as plain JSON, for size comparisons. */
  json: () => string;
}

export const BIG_ARTIFACT = 'resnet50-main';
const ALIASES = ['best', 'candidate', 'baseline', 'prod-eu', 'prod-us', 'shadow', 'canary', 'reviewed', 'golden', 'nightly'];

export function buildLargeProjectDoc(options: LargeDocOptions = {}): LargeDoc {
  const versions = options.versions ?? 100_000;
  const artifactCount = options.artifacts ?? 100;
  const big = Math.min(options.bigArtifactVersions ?? 10_000, versions);
  const moves = options.aliasMoves ?? 10_000;
  const writers = options.writers ?? 20;
  const random = mulberry32(options.seed ?? 42);
  const artifacts = [BIG_ARTIFACT, ...Array.from({ length: artifactCount - 1 }, (_, i) => `run-${String(i + 1).padStart(3, '0')}`)];
  const doc = new Y.Doc();
  const versionLog = doc.getArray<string>(PROJECT_DOC.versions);
  const manifestLog = doc.getArray<string>(PROJECT_DOC.manifests);
  const records: unknown[] = [];
  const t0 = Date.UTC(2026, 0, 1);
  let writer = 0;
  let runLeft = 0;
  const batch: string[] = [];
  const manifestBatch: string[] = [];
  const flush = () => {
    if (batch.length === 0) return;
    doc.clientID = 1000 + writer;
    doc.transact(() => {
      versionLog.push(batch.splice(0));
      manifestLog.push(manifestBatch.splice(0));
    });
  };
  for (let i = 0; i < versions; i++) {
    // Writers log in sessions of 1–50 versions, interleaved like a team's CI jobs.
    if (runLeft === 0) {
      flush();
      writer = Math.floor(random() * writers);
      runLeft = 1 + Math.floor(random() * 50);
    }
    runLeft--;
    const artifact = i < big ? BIG_ARTIFACT : artifacts[1 + ((i - big) % (artifactCount - 1))]!;
    const createdAt = t0 + i * 30_000;
    const epoch = i % 100;
    const files: ManifestTuple[] = [
      ['model.safetensors', 400_000_000, sha(`w${i}`), 0],
      ['optimizer.pt', 80_000_000, sha(`o${i}`), 0],
      ['config.json', 812, sha('config'), 0],
      ['tokenizer.json', 2_113_000, sha('tok'), 0],
    ];
    const metadata = { val_loss: round(0.2 + random() * 0.8), val_acc: round(0.5 + random() * 0.5), epoch, step: epoch * 1000, lr: 0.0003 };
    const id = hex(random, 16);
    const rec: VersionRecord = {
      id,
      storeId: id,
      artifact,
      digest: sha(`${i}`),
      bytes: 400_000_000 + Math.floor(random() * 100_000_000),
      fileCount: files.length,
      createdAt,
      by: `user${writer}`,
      hlc: `${String(createdAt).padStart(15, '0')}.000000`,
      clientId: 1000 + writer,
      sourceKind: 'cli',
      sourcePath: `/data/runs/${artifact}/ckpt-${epoch}`,
      sourceHost: `gpu-${writer % 8}`,
      description: '',
      metadataJson: JSON.stringify(metadata),
      tags: i % 10 === 0 ? ['milestone'] : [],
    };
    // The JSON baseline is the natural export: one object per version, manifest inline.
    const { metadataJson: _m, sourceKind, sourcePath, sourceHost, ...plain } = rec;
    records.push({ ...plain, source: { kind: sourceKind, path: sourcePath, host: sourceHost }, metadata, files });
    batch.push(encodeVersion(rec));
    manifestBatch.push(encodeManifest(rec.id, files));
  }
  flush();
  doc.clientID = 999;
  assignNumbers(doc, { now: () => t0 + versions * 30_000 });

  // Alias moves through the real API, by the same writers, mostly on the big artifact.
  const model = new ProjectModel(doc, 'bench');
  const wall = { t: t0 + versions * 30_000 };
  const actors: Actor[] = Array.from({ length: writers }, (_, w) => ({ name: `user${w}`, role: 'write', clock: new Hlc(() => wall.t) }));
  const idsByArtifact = new Map<string, string[]>();
  for (const r of records as { id: string; artifact: string }[]) {
    const list = idsByArtifact.get(r.artifact) ?? [];
    list.push(r.id);
    idsByArtifact.set(r.artifact, list);
  }
  for (let m = 0; m < moves; m++) {
    const w = Math.floor(random() * writers);
    doc.clientID = 1000 + w;
    wall.t += 1000;
    const artifact = artifactCount === 1 || random() < 0.5 ? BIG_ARTIFACT : artifacts[1 + Math.floor(random() * (artifactCount - 1))]!;
    const ids = idsByArtifact.get(artifact)!;
    const result = model.moveAlias(actors[w]!, artifact, ALIASES[Math.floor(random() * ALIASES.length)]!, ids[Math.floor(random() * ids.length)]!);
    if (!result.ok) throw new Error(result.error.message);
  }
  model.destroy();
  doc.clientID = Math.floor(random() * 2 ** 31);
  return {
    doc,
    bigArtifact: BIG_ARTIFACT,
    artifacts,
    json: () =>
      JSON.stringify({
        versions: records,
        aliasMoves: doc.getArray<string>(PROJECT_DOC.aliasMoves).toArray().map((s) => JSON.parse(s)),
        numbers: doc.getArray<string>(PROJECT_DOC.numbers).toArray(),
      }),
  };
}

function sha(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

function hex(random: () => number, bytes: number): string {
  let out = '';
  for (let i = 0; i < bytes; i++) out += Math.floor(random() * 256).toString(16).padStart(2, '0');
  return out;
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/** A small seeded PRNG, so every run builds the same document. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
