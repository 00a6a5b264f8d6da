/**
 * A realistic stand-in for a big project doc, until the registry model's own builder
 * replaces it: a Y.Map `versions` of plain-object records (~300 bytes of JSON each:
 * artifact among 100, digest, size, files, author, description, metrics, tags) keyed by
 * random versionId, plus 10,000 alias moves in the Y.Array `aliasMoves`. Deterministic:
 * the same arguments always build the same content.
 */
import * as Y from 'yjs';

export interface AliasMove {
  alias: string;
  target: string;
  hlc: string;
  clientId: string;
  by: string;
}

/** A small deterministic PRNG (mulberry32), so every run and both servers get the same doc. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (random: () => number, chars: number) => {
  let s = '';
  while (s.length < chars) s += Math.floor(random() * 0x100000000).toString(16).padStart(8, '0');
  return s.slice(0, chars);
};

const ALIASES = ['best', 'production', 'staging', 'candidate', 'baseline'];
const TAGS = ['nightly', 'ablation', 'sweep', 'release', 'debug'];
const PEOPLE = ['ann', 'bob', 'cai', 'dee', 'eli', 'fay', 'gus', 'hal'];

export function buildLargeProjectDoc(versions = 100_000, { aliasMoves = 10_000, seed = 42 } = {}): Y.Doc {
  const random = seededRandom(seed);
  const doc = new Y.Doc();
  const map = doc.getMap<Record<string, unknown>>('versions');
  const moves = doc.getArray<AliasMove>('aliasMoves');
  const ids: string[] = [];
  const start = Date.UTC(2026, 0, 1);
  const BATCH = 1000;
  for (let i = 0; i < versions; i += BATCH) {
    doc.transact(() => {
      for (let j = i; j < Math.min(versions, i + BATCH); j++) {
        const versionId = hex(random, 16);
        ids.push(versionId);
        map.set(versionId, {
          versionId,
          artifact: `run-${String(Math.floor(random() * 100)).padStart(3, '0')}`,
          digest: hex(random, 64),
          bytes: Math.floor(random() * 2e9),
          files: 1 + Math.floor(random() * 20),
          createdAt: new Date(start + j * 60_000).toISOString(),
          createdBy: PEOPLE[j % PEOPLE.length],
          description: `checkpoint at step ${j * 100}`,
          metadata: { metrics: { loss: Math.round(random() * 1e4) / 1e4, acc: Math.round(random() * 1e4) / 1e4 }, epoch: j % 90 },
          tags: [TAGS[j % TAGS.length]],
        });
      }
    });
  }
  for (let i = 0; i < aliasMoves; i += 100) {
    doc.transact(() => {
      const batch: AliasMove[] = [];
      for (let j = i; j < Math.min(aliasMoves, i + 100); j++) {
        const by = PEOPLE[j % PEOPLE.length]!;
        batch.push({ alias: ALIASES[j % ALIASES.length]!, target: ids[Math.floor(random() * ids.length)] ?? '', hlc: `${start + j * 1000}-0000`, clientId: `c-${by}`, by });
      }
      moves.push(batch);
    });
  }
  return doc;
}
