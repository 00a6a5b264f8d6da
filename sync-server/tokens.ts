/**
 * Access tokens: `[{"token","workspace","role","name"}]`, validated with zod.
 * Lookup is constant-time: the presented token is hashed and compared with every
 * known token's hash, so neither a prefix nor the number of matching bytes leaks.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod';
import { NAME_PATTERN } from './room-names';

export const ROLES = ['read', 'write', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Shorter tokens are refused: they could be guessed by trying. */
export const MIN_TOKEN_LENGTH = 16;

export const tokenEntrySchema = z
  .object({
    token: z
      .string()
      .min(MIN_TOKEN_LENGTH, `must be at least ${MIN_TOKEN_LENGTH} characters (e.g. openssl rand -base64 24)`)
      .max(512)
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
    workspace: z.string().regex(NAME_PATTERN, `must match ${NAME_PATTERN}`),
    role: z.enum(ROLES),
    name: z.string().trim().min(1).max(128),
  })
  .strict();

export const tokensSchema = z
  .array(tokenEntrySchema)
  .superRefine((entries, ctx) => {
    const seen = new Map<string, number>();
    entries.forEach((entry, i) => {
      const first = seen.get(entry.token);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'token'], message: `duplicates the token of entry ${first}` });
      else seen.set(entry.token, i);
    });
  });

export type TokenEntry = z.infer<typeof tokenEntrySchema>;

/** What a connection or request is allowed to do, without the secret itself. */
export interface Grant {
  readonly workspace: string;
  readonly role: Role;
  readonly name: string;
  /** Stable per token while it exists, for per-token connection caps; never the token itself. */
  readonly id: string;
}

export class TokensError extends Error {
  readonly code = 'TOKENS_INVALID';
}

/** Validates tokens, with every problem on one readable line each. */
export function parseTokens(value: unknown, source = 'tokens'): TokenEntry[] {
  const result = tokensSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${source}${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${issue.message}`);
  throw new TokensError(problems.join('; '));
}

export function readTokensFile(file: string): TokenEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new TokensError(`cannot read tokens file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new TokensError(`tokens file ${file} is not JSON: ${(e as Error).message}`);
  }
  return parseTokens(json, file);
}

const hash = (token: string) => crypto.createHash('sha256').update(token, 'utf8').digest();

export class TokenRegistry {
  private readonly entries: Array<{ digest: Buffer; grant: Grant }>;

  constructor(tokens: readonly TokenEntry[]) {
    const valid = parseTokens(tokens);
    this.entries = valid.map((t) => {
      const digest = hash(t.token);
      return { digest, grant: { workspace: t.workspace, role: t.role, name: t.name, id: digest.subarray(0, 8).toString('hex') } };
    });
  }

  get size(): number {
    return this.entries.length;
  }

  /** The grant for `token`, or null. Always compares against every entry. */
  lookup(token: string | null | undefined): Grant | null {
    if (!token) return null;
    const digest = hash(token);
    let found: Grant | null = null;
    for (const entry of this.entries) {
      if (crypto.timingSafeEqual(entry.digest, digest)) found = entry.grant;
    }
    return found;
  }
}
