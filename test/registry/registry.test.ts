import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { assignNumbers, unwrap } from '../../renderer/src/registry';
import { actor, commitOf, freshRegistry } from './support';

const alice = actor('alice');

function workspace() {
  const fixture = freshRegistry('acme', 'vision');
  const { registry, project, projectDoc, wsDoc } = fixture;
  const nlpDoc = new Y.Doc();
  unwrap(registry.workspace.createProject(alice, 'nlp', 'Language models'));
  const nlp = registry.openProject('nlp', nlpDoc);
  const r0 = unwrap(project.recordVersion(alice, commitOf('r0', 'resnet50'))).versionId;
  const r1 = unwrap(project.recordVersion(alice, { ...commitOf('r1', 'resnet50'), aliases: ['best'] })).versionId;
  unwrap(project.createArtifact(alice, 'shared-name'));
  unwrap(project.recordVersion(alice, commitOf('s', 'shared-name')));
  unwrap(nlp.recordVersion(alice, commitOf('b0', 'bert-base')));
  unwrap(nlp.recordVersion(alice, commitOf('s2', 'shared-name')));
  assignNumbers(projectDoc);
  assignNumbers(nlpDoc);
  unwrap(registry.workspace.createModel(alice, 'fraud-detector', { description: 'Scores card transactions', tags: ['risk'] }));
  const link = unwrap(registry.linkVersion(alice, 'fraud-detector', 'vision', r1)).link;
  unwrap(registry.workspace.moveModelAlias(actor('ada', 'admin'), 'fraud-detector', 'production', link.linkId));
  assignNumbers(wsDoc);
  return { ...fixture, r0, r1, link };
}

describe('resolve', () => {
  it.each([
    ['resnet50', 'r1'],
    ['resnet50:latest', 'r1'],
    ['resnet50:v0', 'r0'],
    ['resnet50:best', 'r1'],
    ['vision/resnet50:v1', 'r1'],
    ['acme/vision/resnet50:best', 'r1'],
  ] as const)('resolves artifact name %s', (name, which) => {
    const w = workspace();
    const r = unwrap(w.registry.resolve(name));
    expect(r.kind === 'version' && r.version.versionId).toBe(w[which]);
  });

  it.each(['fraud-detector:production', 'registry/fraud-detector:production', 'acme/registry/fraud-detector:v0', 'fraud-detector'])(
    'resolves registered model name %s to its link and version',
    (name) => {
      const w = workspace();
      const r = unwrap(w.registry.resolve(name));
      expect(r).toMatchObject({ kind: 'link', link: { linkId: w.link.linkId }, version: { versionId: w.r1 } });
    },
  );

  it('prefers the current project for a name several projects share, and says when it is ambiguous', () => {
    const w = workspace();
    const ambiguous = w.registry.resolve('shared-name');
    expect(!ambiguous.ok && ambiguous.error).toMatchObject({ code: 'AMBIGUOUS', message: expect.stringContaining('vision, nlp') });
    const here = unwrap(w.registry.resolve('shared-name', { currentProject: 'nlp' }));
    expect(here.kind === 'version' && here.version.project).toBe('nlp');
  });

  it.each([
    ['other/vision/resnet50', 'NAME_INVALID', 'names workspace other'],
    ['nope/resnet50', 'PROJECT_NOT_FOUND', 'No project nope'],
    ['resnet50:v9', 'VERSION_NOT_FOUND', 'no v9'],
    ['resnet50:gold', 'ALIAS_NOT_FOUND', 'no alias "gold"'],
    ['registry/ghost:production', 'MODEL_NOT_FOUND', 'No registered model'],
    ['missing', 'ARTIFACT_NOT_FOUND', 'Nothing named "missing"'],
  ])('explains why %s does not resolve', (name, code, message) => {
    const r = workspace().registry.resolve(name);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message).toContain(message);
    }
  });
});

describe('search', () => {
  it('finds projects, artifacts and registered models by name, tag and description, best first', () => {
    const { registry } = workspace();
    expect(registry.search('resnet').map((h) => [h.kind, h.label])).toEqual([['artifact', 'vision/resnet50']]);
    expect(registry.search('risk').map((h) => h.label)).toEqual(['fraud-detector']);
    expect(registry.search('language').map((h) => h.label)).toEqual(['nlp']);
    expect(registry.search('shared').map((h) => h.label)).toEqual(['nlp/shared-name', 'vision/shared-name']);
    expect(registry.search('')).toEqual([]);
  });

  it('puts a name that resolves first', () => {
    const { registry, r1 } = workspace();
    const [top] = registry.search('resnet50:best');
    expect(top).toMatchObject({ kind: 'version', versionId: r1, label: 'vision/resnet50:v1' });
    expect(registry.search('fraud-detector:production')[0]).toMatchObject({ kind: 'link', label: 'registry/fraud-detector:v0' });
  });
});
