import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode } from '../../../sync-server/close-codes';
import { connectClient } from '../support/clients';
import { PROJECT_ROOM, TOKENS } from '../support/fixtures';
import { openRawSocket, upgradeStatus } from '../support/raw-socket';
import { startTestServer, type TestServer } from '../support/sync-test-server';

let t: TestServer;
afterEach(() => t.close());

async function waitForHealth(check: (health: { rooms: number; connections: number }) => boolean): Promise<void> {
  let health: { rooms: number; connections: number } = { rooms: -1, connections: -1 };
  const poll = async () => {
    health = (await (await fetch(`${t.httpUrl}/healthz`)).json()) as typeof health;
  };
  await poll();
  for (let i = 0; i < 200 && !check(health); i++) {
    await new Promise((r) => setTimeout(r, 10));
    await poll();
  }
  expect(check(health), JSON.stringify(health)).toBe(true);
}

const path = (room: string, token?: string) => `/${room}${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`;

describe('the sync socket route (upgrade)', () => {
  it.each([
    ['no token', path(PROJECT_ROOM), 401, 'UNAUTHORIZED'],
    ['an unknown token', path(PROJECT_ROOM, 'nope-nope-nope-nope-nope'), 401, 'UNAUTHORIZED'],
    ['an unknown token on an invalid room (no hint about rooms)', path('..%2Fetc', 'nope-nope-nope-nope-nope'), 401, 'UNAUTHORIZED'],
    ['a token of another workspace (project doc)', path(PROJECT_ROOM, TOKENS.olga.token), 403, 'FORBIDDEN'],
    ['a token of another workspace (workspace doc)', path('acme', TOKENS.olga.token), 403, 'FORBIDDEN'],
    ['an empty room', path('', TOKENS.ann.token), 400, 'ROOM_INVALID'],
    ['a room of the wrong shape', path('acme/vision', TOKENS.ann.token), 400, 'ROOM_INVALID'],
    ['a room with a bad segment', path('acme/project/.hidden', TOKENS.ann.token), 400, 'ROOM_INVALID'],
    ['a room with an encoded slash', path('acme%2Fproject%2Fvision', TOKENS.ann.token), 400, 'ROOM_INVALID'],
    ['a room too deep', path('acme/project/vision/x', TOKENS.ann.token), 400, 'ROOM_INVALID'],
  ])('refuses %s before any WebSocket exists', async (_label, p, status, code) => {
    t = await startTestServer();
    const res = await upgradeStatus(t.url, p);
    expect(res.status).toBe(status);
    expect(JSON.parse(res.body).error.code).toBe(code);
    await waitForHealth((h) => h.rooms === 0 && h.connections === 0);
  });

  it.each([
    ['a workspace doc', 'acme'],
    ['a project doc', PROJECT_ROOM],
  ])('accepts %s with a token of its workspace', async (_label, room) => {
    t = await startTestServer();
    expect((await upgradeStatus(t.url, path(room, TOKENS.rita.token))).status).toBe(101);
  });

  it('caps connections per token (429) and frees the slot when one closes', async () => {
    t = await startTestServer({ limits: { maxConnectionsPerToken: 2 } });
    const a = await openRawSocket(t.url, PROJECT_ROOM, TOKENS.ann.token);
    const b = await openRawSocket(t.url, 'acme', TOKENS.ann.token);
    const third = await upgradeStatus(t.url, path('acme/project/speech', TOKENS.ann.token));
    expect(third.status).toBe(429);
    expect(JSON.parse(third.body).error.code).toBe('TOO_MANY_CONNECTIONS');
    expect((await upgradeStatus(t.url, path(PROJECT_ROOM, TOKENS.bob.token))).status).toBe(101); // other tokens unaffected
    a.ws.close();
    await waitForHealth((h) => h.connections === 1); // only b: a and the probe have gone
    expect((await upgradeStatus(t.url, path('acme/project/speech', TOKENS.ann.token))).status).toBe(101);
    b.ws.close();
  });

  it('caps connections per remote address', async () => {
    t = await startTestServer({ limits: { maxConnectionsPerAddress: 1 } });
    const a = await openRawSocket(t.url, PROJECT_ROOM, TOKENS.ann.token);
    expect((await upgradeStatus(t.url, path(PROJECT_ROOM, TOKENS.bob.token))).status).toBe(429);
    a.ws.close();
  });

  it('caps rooms in memory: unloads idle ones first, then answers 503', async () => {
    t = await startTestServer({ limits: { maxRooms: 1, roomIdleMs: 60_000 } });
    const idle = connectClient(t.url, 'acme', TOKENS.ann.token);
    await idle.synced();
    idle.destroy(); // 'acme' stays loaded (idle) until evicted
    await waitForHealth((h) => h.connections === 0 && h.rooms === 1);
    const busy = await openRawSocket(t.url, PROJECT_ROOM, TOKENS.ann.token); // evicts 'acme'
    const refused = await upgradeStatus(t.url, path('acme/project/speech', TOKENS.bob.token));
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body).error.code).toBe('ROOMS_FULL');
    // The loaded room itself still takes connections.
    expect((await upgradeStatus(t.url, path(PROJECT_ROOM, TOKENS.bob.token))).status).toBe(101);
    busy.ws.close();
  });

  it('reloading tokens closes connections whose token was revoked, with a final close code', async () => {
    t = await startTestServer();
    const rita = await openRawSocket(t.url, PROJECT_ROOM, TOKENS.rita.token);
    const ann = await openRawSocket(t.url, PROJECT_ROOM, TOKENS.ann.token);
    t.server.setTokens([TOKENS.ann, { ...TOKENS.bob, role: 'read' }]);
    expect(await rita.closed).toEqual({ code: CloseCode.TOKEN_REVOKED, reason: 'token revoked' });
    expect(ann.ws.readyState).toBe(ann.ws.OPEN);
    expect((await upgradeStatus(t.url, path(PROJECT_ROOM, TOKENS.rita.token))).status).toBe(401);
    ann.ws.close();
  });
});
