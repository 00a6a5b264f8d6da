import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeManifest, decodeVersion, encodeManifest, encodeVersion, manifestOwner, type ManifestTuple, type VersionRecord } from '../../renderer/src/registry/schema';
import { repoRoot } from '../support/web-mode';

describe('record formats', () => {
  it('round-trips manifests, including paths with tabs, newlines and percent signs', () => {
    const files: ManifestTuple[] = [
      ['weights/model.safetensors', 123, 'a'.repeat(64), 0],
      ['odd\tname\nwith%20stuff.bin', 5, 'b'.repeat(64), 1],
      ['ünïcode/файл.json', 0, 'c'.repeat(64), 0],
    ];
    const text = encodeManifest('ver123456', files);
    expect(manifestOwner(text)).toBe('ver123456');
    expect(decodeManifest(text)).toEqual(files);
  });

  it('round-trips a version record and refuses malformed ones', () => {
    const rec: VersionRecord = {
      id: 'abcdef0123',
      artifact: 'resnet',
      digest: 'd'.repeat(64),
      bytes: 10,
      fileCount: 1,
      createdAt: 5,
      by: 'alice',
      hlc: '000000000000005.000000',
      clientId: 7,
      sourceKind: 'drop',
      sourcePath: '/tmp/x',
      sourceHost: 'h',
      description: 'd',
      metadataJson: '{"val_loss":0.1}',
      tags: ['t'],
      storeId: 'abcdef0123',
    };
    expect(decodeVersion(encodeVersion(rec))).toEqual(rec);
    expect(decodeVersion(encodeVersion({ ...rec, storeId: '01jq7k2m3n4p5q6r7s8t9v0w1x' }))!.storeId).toBe('01jq7k2m3n4p5q6r7s8t9v0w1x');
    for (const bad of ['', '[]', '{"id":1}', '["a","b"]', JSON.stringify(['a', 'b', 'c', 'x', 1, 1, 'u', 'not-an-hlc', 1, 'cli', '', '', '', '{}', []])]) {
      expect(decodeVersion(bad)).toBeUndefined();
    }
  });
});

describe('module boundary', () => {
  it('the registry imports nothing but yjs and its own modules (it runs in the renderer and the server)', () => {
    const dir = path.join(repoRoot, 'renderer/src/registry');
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const [, spec] of text.matchAll(/from '([^']+)'/g)) {
        expect(spec === 'yjs' || spec!.startsWith('./'), `${file} imports ${spec}`).toBe(true);
      }
    }
  });
});
