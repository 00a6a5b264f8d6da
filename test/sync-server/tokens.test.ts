import { describe, expect, it } from 'vitest';
import { parseTokens, TokenRegistry, TokensError } from '../../sync-server/tokens';
import { ALL_TOKENS, TOKENS } from './support/fixtures';

describe('tokens', () => {
  it('looks up a token to its grant, without the secret', () => {
    const registry = new TokenRegistry(ALL_TOKENS);
    const grant = registry.lookup(TOKENS.rita.token);
    expect(grant).toMatchObject({ workspace: 'acme', role: 'read', name: 'Rita' });
    expect(JSON.stringify(grant)).not.toContain(TOKENS.rita.token);
    expect(registry.lookup(TOKENS.ann.token)?.id).not.toBe(grant?.id);
  });

  it.each([null, undefined, '', 'x', TOKENS.ann.token.slice(0, -1), `${TOKENS.ann.token} `, TOKENS.ann.token.toUpperCase()])('finds nothing for %j', (token) => {
    expect(new TokenRegistry(ALL_TOKENS).lookup(token)).toBeNull();
  });

  it('reports every problem with its path', () => {
    expect(() => parseTokens([{ ...TOKENS.ann, role: 'root' }, { ...TOKENS.bob, workspace: '../x' }], 'tokens.json')).toThrowError(TokensError);
    try {
      parseTokens([{ ...TOKENS.ann, role: 'root' }, { ...TOKENS.bob, workspace: '../x' }], 'tokens.json');
    } catch (e) {
      expect((e as Error).message).toMatch(/tokens\.json\[0\]\.role: .*; tokens\.json\[1\]\.workspace: must match/);
    }
  });

  it('accepts an empty list (a server nobody can use yet)', () => {
    expect(new TokenRegistry([]).size).toBe(0);
  });
});
