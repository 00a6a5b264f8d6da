import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../sync-server/http-replies';
import { TOKENS } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/sync-test-server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

describe('GET /whoami', () => {
  it.each([
    ['a write token', TOKENS.ann, { workspace: 'acme', role: 'write', name: 'Ann' }],
    ['a read token', TOKENS.rita, { workspace: 'acme', role: 'read', name: 'Rita' }],
    ['a token of another workspace', TOKENS.olga, { workspace: 'globex', role: 'write', name: 'Olga' }],
  ])('tells %s its workspace, role and name', async (_label, entry, expected) => {
    const res = await fetch(`${t.httpUrl}/whoami?token=${encodeURIComponent(entry.token)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.json()).toEqual(expected);
  });

  it('accepts the token as a bearer header too', async () => {
    const res = await fetch(`${t.httpUrl}/whoami`, { headers: { Authorization: `Bearer ${TOKENS.cai.token}` } });
    expect(await res.json()).toEqual({ workspace: 'acme', role: 'admin', name: 'Cai' });
  });

  it.each([
    ['no token', '/whoami'],
    ['an unknown token', '/whoami?token=not-a-token-at-all-xxxx'],
    ['a token prefix', `/whoami?token=${TOKENS.ann.token.slice(0, 10)}`],
    ['a token with a suffix', `/whoami?token=${TOKENS.ann.token}x`],
  ])('answers 401 to %s', async (_label, path) => {
    const res = await fetch(`${t.httpUrl}${path}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await res.json()) as ErrorBody).error.code).toBe('UNAUTHORIZED');
  });

  it('answers a CORS preflight for the Authorization header', async () => {
    const res = await fetch(`${t.httpUrl}/whoami`, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toBe('Authorization');
  });
});
