import { fail, ok, type Result } from './result';
import type { Json } from './schema';

/** What a filter sees of one version. */
export interface FilterSubject {
  aliases: readonly string[];
  tags: readonly string[];
  digest: string;
  versionId: string;
  createdAt: number;
  number: number | null;
  deleted: boolean;
  metadata: { [key: string]: Json };
  description: string;
  sourcePath: string;
}

export type Predicate = (v: FilterSubject) => boolean;

type Op = '<' | '<=' | '>' | '>=' | '=' | '!=';

/**
 * The filter bar's language. Terms are ANDed:
 *   alias:production   tag:best   digest:3fa9c1   is:pending   is:deleted
 *   created>=2026-05-01   created<2026-06-01T12:00   created:2026-05-03 (that day, UTC)
 *   val_loss < 0.3   metrics.acc>=0.9   optimizer=adam   epoch!=3
 *   any other word: matched in the description, tags, aliases and source path.
 */
export function parseFilter(text: string): Result<Predicate> {
  const predicates: Predicate[] = [];
  const src = text.trim();
  let i = 0;
  const comparison = /^([A-Za-z_][\w.-]*)\s*(<=|>=|!=|==|=|<|>)\s*("([^"]*)"|[^\s"]+)/;
  const qualifier = /^([A-Za-z]+):("([^"]*)"|[^\s"]+)/;
  const word = /^("([^"]*)"|[^\s]+)/;
  while (i < src.length) {
    const rest = src.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    let m: RegExpExecArray | null;
    if ((m = comparison.exec(rest))) {
      const p = comparisonPredicate(m[1]!, normalizeOp(m[2]!), m[4] ?? m[3]!, m[4] !== undefined);
      if (!p.ok) return p;
      predicates.push(p.value);
    } else if ((m = qualifier.exec(rest))) {
      const p = qualifierPredicate(m[1]!.toLowerCase(), m[3] ?? m[2]!);
      if (!p.ok) return p;
      predicates.push(p.value);
    } else if ((m = /^([A-Za-z_][\w.-]*)\s*(<=|>=|!=|==|=|<|>)\s*$/.exec(rest))) {
      return fail('FILTER_INVALID', `"${m[0].trim()}" needs a value after "${m[2]}", e.g. ${m[1]} ${m[2]} 0.3.`);
    } else if ((m = word.exec(rest))) {
      const needle = (m[2] ?? m[1]!).toLowerCase();
      predicates.push((v) => matchesText(v, needle));
    } else {
      return fail('FILTER_INVALID', `Cannot read the filter at "${rest.slice(0, 20)}".`);
    }
    i += m[0].length;
  }
  return ok((v) => predicates.every((p) => p(v)));
}

function normalizeOp(op: string): Op {
  return op === '==' ? '=' : (op as Op);
}

function qualifierPredicate(key: string, value: string): Result<Predicate> {
  const v = value.toLowerCase();
  switch (key) {
    case 'alias':
      return ok((s) => s.aliases.some((a) => a.toLowerCase() === v));
    case 'tag':
      return ok((s) => s.tags.some((t) => t.toLowerCase() === v));
    case 'digest': {
      const prefix = v.replace(/^sha256:/, '');
      if (!/^[0-9a-f]{1,64}$/.test(prefix)) return fail('FILTER_INVALID', `digest:${value} is not a hex prefix.`);
      return ok((s) => s.digest.startsWith(prefix));
    }
    case 'id':
      return ok((s) => s.versionId.toLowerCase().startsWith(v));
    case 'is':
      if (v === 'pending') return ok((s) => s.number === null);
      if (v === 'deleted') return ok((s) => s.deleted);
      if (v === 'live') return ok((s) => !s.deleted);
      return fail('FILTER_INVALID', `is:${value} — use is:pending, is:deleted or is:live.`);
    case 'created': {
      const day = parseDay(value);
      if (day === undefined) return fail('FILTER_INVALID', `created:${value} — give a day like created:2026-05-03.`);
      return ok((s) => s.createdAt >= day && s.createdAt < day + 86_400_000);
    }
    default:
      // "optimizer:adam" reads naturally too: treat it as metadata equality.
      return comparisonPredicate(key, '=', value, true);
  }
}

function comparisonPredicate(key: string, op: Op, raw: string, quoted: boolean): Result<Predicate> {
  if (key.toLowerCase() === 'created') {
    const t = parseTime(raw);
    if (t === undefined) return fail('FILTER_INVALID', `created${op}${raw} — give a date like 2026-05-01 or 2026-05-01T12:00.`);
    return ok((s) => compare(s.createdAt, op, t));
  }
  const path = key.split('.');
  const number = quoted ? NaN : Number(raw);
  if (Number.isFinite(number)) {
    return ok((s) => {
      const value = lookup(s.metadata, path);
      return typeof value === 'number' && compare(value, op, number);
    });
  }
  if (op !== '=' && op !== '!=') return fail('FILTER_INVALID', `"${key} ${op} ${raw}" compares with a number; "${raw}" is not one.`);
  const wanted = raw.toLowerCase();
  return ok((s) => {
    const value = lookup(s.metadata, path);
    const equal = value !== undefined && value !== null && String(value).toLowerCase() === wanted;
    return op === '=' ? equal : !equal;
  });
}

function compare(a: number, op: Op, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '=':
      return a === b;
    case '!=':
      return a !== b;
  }
}

/** Metadata keys may be nested (`metrics.val_loss`) or contain dots themselves. */
export function lookup(metadata: { [key: string]: Json }, path: string[]): Json | undefined {
  const whole = metadata[path.join('.')];
  if (whole !== undefined) return whole;
  let cur: Json | undefined = metadata;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as { [key: string]: Json })[part];
  }
  return cur;
}

function matchesText(v: FilterSubject, needle: string): boolean {
  return (
    v.description.toLowerCase().includes(needle) ||
    v.tags.some((t) => t.toLowerCase().includes(needle)) ||
    v.aliases.some((a) => a.toLowerCase().includes(needle)) ||
    v.sourcePath.toLowerCase().includes(needle)
  );
}

function parseTime(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?Z?$/.test(text)) return undefined;
  const t = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text.endsWith('Z') ? text : `${text}Z`);
  return Number.isFinite(t) ? t : undefined;
}

function parseDay(text: string): number | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? parseTime(text) : undefined;
}
