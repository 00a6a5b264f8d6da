import { fail, ok, type Result } from './result';

/**
 * Names, W&B style: `[[workspace/]project/]name[:ref]` where ref is an alias, `vN`,
 * `latest`, or (for versions not yet numbered) a versionId or a digest prefix.
 * Registered models live under the reserved project name `registry`
 * (`registry/resnet:production`); a bare `resnet:production` tries registered
 * models first, then artifacts of the current project.
 */
export interface ParsedName {
  workspace?: string;
  project?: string;
  name: string;
  /** What follows the colon; absent means `latest`. */
  ref?: VersionRef;
}

export type VersionRef =
  | { kind: 'latest' }
  | { kind: 'number'; n: number }
  /** An alias, or a versionId / digest prefix for a pending version; resolution decides. */
  | { kind: 'alias'; alias: string };

/** The pseudo-project under which registered models are named. */
export const REGISTRY_PROJECT = 'registry';

// Workspace and project names are also sync room names, so they stay short slugs.
const SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ENTITY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const VERSION_NUMBER = /^v(\d{1,9})$/;
const TAG = /^[A-Za-z0-9][A-Za-z0-9._:=+/-]{0,63}$/;
// Control characters would render invisibly in the UI and break shells when copied.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export function validateWorkspaceName(name: string): Result<string> {
  return SLUG.test(name) && !isDotty(name)
    ? ok(name)
    : fail('NAME_INVALID', `"${printable(name)}" is not a valid workspace name: use 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit.`);
}

export function validateProjectName(name: string): Result<string> {
  if (name.toLowerCase() === REGISTRY_PROJECT) {
    return fail('NAME_INVALID', `"${name}" is reserved for registered models (registry/<model>); pick another project name.`);
  }
  return SLUG.test(name) && !isDotty(name)
    ? ok(name)
    : fail('NAME_INVALID', `"${printable(name)}" is not a valid project name: use 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit.`);
}

/** Artifact and registered-model names. */
export function validateEntityName(name: string, what: 'artifact' | 'registered model' = 'artifact'): Result<string> {
  if (VERSION_NUMBER.test(name) || name === 'latest') {
    return fail('NAME_INVALID', `"${name}" cannot name an ${what}: it reads as a version reference.`);
  }
  return ENTITY.test(name) && !isDotty(name)
    ? ok(name)
    : fail('NAME_INVALID', `"${printable(name)}" is not a valid ${what} name: use 1–128 letters, digits, ".", "_" or "-", starting with a letter or digit.`);
}

export function validateAlias(alias: string): Result<string> {
  if (alias.length < 1 || alias.length > 128) {
    return fail('ALIAS_INVALID', `An alias has 1–128 characters; "${printable(alias).slice(0, 40)}" has ${alias.length}.`);
  }
  if (alias.includes('/') || alias.includes(':')) return fail('ALIAS_INVALID', `"${printable(alias)}" contains "/" or ":", which separate names; remove them.`);
  if (alias.toLowerCase() === 'latest') return fail('ALIAS_INVALID', '"latest" is derived (the highest-numbered live version) and cannot be set.');
  if (VERSION_NUMBER.test(alias) || /^v\d+$/i.test(alias)) return fail('ALIAS_INVALID', `"${alias}" is reserved for version numbers; pick a word like "best" or "candidate".`);
  if (CONTROL.test(alias) || alias.trim() !== alias) return fail('ALIAS_INVALID', `"${printable(alias)}" has control characters or surrounding spaces.`);
  return ok(alias);
}

export function validateTag(tag: string): Result<string> {
  return TAG.test(tag)
    ? ok(tag)
    : fail('TAG_INVALID', `"${printable(tag)}" is not a valid tag: use 1–64 letters, digits or . _ : = + / -, starting with a letter or digit, no spaces.`);
}

/** Aliases are unique per artifact ignoring case: this is the key they are compared by. */
export const aliasKey = (alias: string) => alias.toLowerCase();

export function parseName(text: string): Result<ParsedName> {
  if (typeof text !== 'string' || text.length === 0) return fail('NAME_INVALID', 'Empty name: expected [[workspace/]project/]name[:alias|:vN|:latest].');
  if (text.length > 512 || CONTROL.test(text)) return fail('NAME_INVALID', 'That name is too long or has control characters.');
  const colon = text.indexOf(':');
  const path = colon === -1 ? text : text.slice(0, colon);
  const refText = colon === -1 ? undefined : text.slice(colon + 1);
  const segments = path.split('/');
  if (segments.length > 3 || segments.some((s) => s === '')) {
    return fail('NAME_INVALID', `"${text}" is not a name: expected [[workspace/]project/]name[:alias|:vN|:latest].`);
  }
  const name = segments[segments.length - 1]!;
  const project = segments.length >= 2 ? segments[segments.length - 2] : undefined;
  const workspace = segments.length === 3 ? segments[0] : undefined;
  if (workspace !== undefined) {
    const w = validateWorkspaceName(workspace);
    if (!w.ok) return w;
  }
  if (project !== undefined && project.toLowerCase() !== REGISTRY_PROJECT) {
    const p = validateProjectName(project);
    if (!p.ok) return p;
  }
  const n = validateEntityName(name, project?.toLowerCase() === REGISTRY_PROJECT ? 'registered model' : 'artifact');
  if (!n.ok) return n;
  const parsed: ParsedName = { name };
  if (workspace !== undefined) parsed.workspace = workspace;
  if (project !== undefined) parsed.project = project;
  if (refText !== undefined) {
    const ref = parseRef(refText);
    if (!ref.ok) return ref;
    parsed.ref = ref.value;
  }
  return ok(parsed);
}

function parseRef(text: string): Result<VersionRef> {
  if (text === '') return fail('NAME_INVALID', 'Nothing after ":"; expected an alias, vN or latest.');
  if (text === 'latest') return ok({ kind: 'latest' });
  const number = VERSION_NUMBER.exec(text);
  if (number) return ok({ kind: 'number', n: Number(number[1]) });
  if (text.includes(':') || text.includes('/')) return fail('NAME_INVALID', `"${text}" is not an alias, vN or latest.`);
  return ok({ kind: 'alias', alias: text });
}

export function formatName(name: ParsedName): string {
  const path = [name.workspace, name.project, name.name].filter((s) => s !== undefined).join('/');
  if (!name.ref) return path;
  switch (name.ref.kind) {
    case 'latest':
      return `${path}:latest`;
    case 'number':
      return `${path}:v${name.ref.n}`;
    case 'alias':
      return `${path}:${name.ref.alias}`;
  }
}

function isDotty(name: string): boolean {
  return name === '.' || name === '..' || name.endsWith('.');
}

function printable(s: string): string {
  return s.replace(new RegExp(CONTROL.source, 'g'), '\uFFFD');
}
