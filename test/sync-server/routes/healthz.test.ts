import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../sync-server/http-replies';
import { startTestServer, type TestServer } from '../support/sync-test-server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

describe('GET /healthz', () => {
  it('answers 200 with a JSON status, readable cross-origin', async () => {
    const res = await fetch(`${t.httpUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.json()).toMatchObject({ status: 'ok', rooms: 0, connections: 0, storage: 'sqlite' });
  });

  it('answers 404 for unknown paths and 405 for writes', async () => {
    expect((await fetch(`${t.httpUrl}/nope`)).status).toBe(404);
    const post = await fetch(`${t.httpUrl}/healthz`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(((await post.json()) as ErrorBody).error.code).toBe('METHOD_NOT_ALLOWED');
  });
});
