import { describe, expect, it } from 'vitest';
import {
  aliasKey,
  formatName,
  parseName,
  validateAlias,
  validateEntityName,
  validateProjectName,
  validateTag,
  validateWorkspaceName,
} from '../../renderer/src/registry';

describe('parseName and formatName (W&B-style vectors)', () => {
  it.each([
    ['resnet50', { name: 'resnet50' }],
    ['resnet50:v3', { name: 'resnet50', ref: { kind: 'number', n: 3 } }],
    ['resnet50:v0', { name: 'resnet50', ref: { kind: 'number', n: 0 } }],
    ['resnet50:latest', { name: 'resnet50', ref: { kind: 'latest' } }],
    ['resnet50:production', { name: 'resnet50', ref: { kind: 'alias', alias: 'production' } }],
    ['vision/resnet50:production', { project: 'vision', name: 'resnet50', ref: { kind: 'alias', alias: 'production' } }],
    ['acme/vision/resnet50:v12', { workspace: 'acme', project: 'vision', name: 'resnet50', ref: { kind: 'number', n: 12 } }],
    ['registry/fraud-detector:staging', { project: 'registry', name: 'fraud-detector', ref: { kind: 'alias', alias: 'staging' } }],
    ['acme/registry/fraud-detector', { workspace: 'acme', project: 'registry', name: 'fraud-detector' }],
    ['run-2026.05.01_a:best-val', { name: 'run-2026.05.01_a', ref: { kind: 'alias', alias: 'best-val' } }],
    ['my_model:V3', { name: 'my_model', ref: { kind: 'alias', alias: 'V3' } }],
  ])('parses %s', (text, expected) => {
    const parsed = parseName(text);
    expect(parsed).toEqual({ ok: true, value: expected });
    expect(formatName(parsed.ok ? parsed.value : { name: '' })).toBe(text);
  });

  it.each([
    ['', 'Empty name'],
    ['a/b/c/d', 'expected [[workspace/]project/]name'],
    ['/resnet', 'expected'],
    ['vision//resnet', 'expected'],
    ['resnet:', 'Nothing after ":"'],
    ['resnet:v1:v2', 'not an alias'],
    ['-resnet', 'not a valid artifact name'],
    ['res net', 'not a valid artifact name'],
    ['vision/res$net:v1', 'not a valid artifact name'],
    ['bad ws/vision/resnet', 'not a valid workspace name'],
    ['v3', 'reads as a version reference'],
    ['..', 'not a valid artifact name'],
    ['resnet\u0000:v1', 'control characters'],
  ])('refuses %j with a message naming the problem', (text, message) => {
    const parsed = parseName(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.code).toBe('NAME_INVALID');
      expect(parsed.error.message).toContain(message);
    }
  });
});

describe('alias rules', () => {
  it.each(['production', 'staging', 'best', 'Best-Val_2', 'candidate.7', 'a', 'x'.repeat(128), 'vNext', 'v1.2', 'latest-good', '✓ shipped'])(
    'accepts %j',
    (alias) => expect(validateAlias(alias)).toEqual({ ok: true, value: alias }),
  );

  it.each([
    ['', '1–128 characters'],
    ['x'.repeat(129), '1–128 characters'],
    ['prod/eu', '"/" or ":"'],
    ['prod:eu', '"/" or ":"'],
    ['latest', 'derived'],
    ['LATEST', 'derived'],
    ['v3', 'reserved for version numbers'],
    ['v0', 'reserved for version numbers'],
    ['V12', 'reserved for version numbers'],
    [' best', 'surrounding spaces'],
    ['be\nst', 'control characters'],
  ])('refuses %j', (alias, message) => {
    const result = validateAlias(alias);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('ALIAS_INVALID');
      expect(result.error.message).toContain(message);
    }
  });

  it('compares aliases ignoring case', () => {
    expect(aliasKey('Production')).toBe(aliasKey('production'));
  });
});

describe('entity, project, workspace and tag names', () => {
  it('reserves "registry" as a project name and version-like artifact names', () => {
    expect(validateProjectName('registry').ok).toBe(false);
    expect(validateProjectName('Registry').ok).toBe(false);
    expect(validateEntityName('latest').ok).toBe(false);
    expect(validateEntityName('v7').ok).toBe(false);
    expect(validateEntityName('v7-final').ok).toBe(true);
  });

  it('keeps workspace and project names short enough to be sync room names', () => {
    expect(validateWorkspaceName('a'.repeat(64)).ok).toBe(true);
    expect(validateWorkspaceName('a'.repeat(65)).ok).toBe(false);
    expect(validateProjectName('vision-2026').ok).toBe(true);
    expect(validateProjectName('trailing.').ok).toBe(false);
    expect(validateEntityName('a'.repeat(128)).ok).toBe(true);
    expect(validateEntityName('a'.repeat(129)).ok).toBe(false);
  });

  it.each(['best', 'lr=3e-4', 'dataset:imagenet', 'team/vision', 'fp16', 'a+b'])('accepts tag %j', (t) => expect(validateTag(t).ok).toBe(true));
  it.each(['', 'two words', '-lead', 'x'.repeat(65), 'tab\there'])('refuses tag %j', (t) => {
    const r = validateTag(t);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('TAG_INVALID');
  });
});
