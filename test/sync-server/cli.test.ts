import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../sync-server/close-codes';
import { connectClient, waitFor } from './support/clients';
import { ALL_TOKENS, PROJECT_ROOM, TOKENS } from './support/fixtures';
import { openRawSocket } from './support/raw-socket';
import { runSyncCli, startSyncCli as startCli, type SyncCliProcess } from './support/sync-cli-process';
import { makeDataDir } from './support/sync-test-server';

let dir: string;
let tokensFile: string;
beforeAll(async () => {
  dir = await makeDataDir();
  tokensFile = path.join(dir, 'tokens.json');
  await fs.writeFile(tokensFile, JSON.stringify(ALL_TOKENS));
});
const started: SyncCliProcess[] = [];
/** Starts the CLI and remembers it, so a failing test leaves no server running. */
async function startSyncCli(args: string[]): Promise<SyncCliProcess> {
  const server = await startCli(args);
  started.push(server);
  return server;
}
afterAll(async () => {
  for (const s of started) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  await fs.rm(dir, { recursive: true, force: true });
});

/** The one error line a failed start prints. */
function errorLine(output: string): { level: string; msg: string } {
  const lines = output.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as { level: string; msg: string };
}

describe('npm run sync-server', () => {
  it('prints its usage with --help', async () => {
    const { code, output } = await runSyncCli(['--help']);
    expect(code).toBe(0);
    expect(output).toContain('usage: npm run sync-server -- --data DIR --tokens FILE');
  });

  // Each case is a separate process that exits at once: run them side by side.
  it.concurrent.each([
    [['--tokens', 'x.json'], /--data DIR is required/],
    [['--data', 'd'], /--tokens FILE is required/],
    [['--data', 'd', '--tokens', 't', '--port', 'eighty'], /--port: /],
    [['--data', 'd', '--tokens', 't', '--port', '70000'], /--port: /],
    [['--bogus'], /Unknown option '--bogus'/],
    [['--data', 'd', '--tokens', '/nonexistent/tokens.json', '--port', '0'], /cannot read tokens file \/nonexistent\/tokens.json: ENOENT/],
  ])('refuses %j with one structured error line', async (args, message) => {
    const { code, output } = await runSyncCli(args);
    expect(code).toBe(1);
    const line = errorLine(output);
    expect(line.level).toBe('error');
    expect(line.msg).toMatch(message);
  });

  it.concurrent.each([
    ['not JSON', '{nope', /is not JSON/],
    ['not an array', '{"token":"x"}', /expected array/],
    ['a bad role', JSON.stringify([{ ...TOKENS.ann, role: 'owner' }]), /\[0\]\.role: /],
    ['a short token', JSON.stringify([{ ...TOKENS.ann, token: 'short' }]), /\[0\]\.token: must be at least 16 characters/],
    ['a bad workspace', JSON.stringify([{ ...TOKENS.ann, workspace: 'Acme Corp' }]), /\[0\]\.workspace: must match/],
    ['a duplicate token', JSON.stringify([TOKENS.ann, { ...TOKENS.ann, name: 'Other' }]), /\[1\]\.token: duplicates the token of entry 0/],
    ['an unknown field', JSON.stringify([{ ...TOKENS.ann, admin: true }]), /\[0\]: .*admin/],
  ])('validates the tokens file at start: %s', async (_label, content, message) => {
    const file = path.join(dir, `bad-${Math.random().toString(36).slice(2)}.json`);
    await fs.writeFile(file, content);
    const { code, output } = await runSyncCli(['--data', path.join(dir, 'unused'), '--tokens', file, '--port', '0']);
    expect(code).toBe(1);
    expect(errorLine(output).msg).toMatch(message);
  });

  it('stores what is pending on SIGTERM and exits 0; a second server on the same data dir is refused', async () => {
    const data = path.join(dir, 'sigterm');
    const server = await startSyncCli(['--data', data, '--tokens', tokensFile, '--port', '0']);
    const second = await runSyncCli(['--data', data, '--tokens', tokensFile, '--port', '0']);
    expect(second.code).toBe(1);
    expect(errorLine(second.output).msg).toMatch(/in use by another sync server/);

    const a = connectClient(server.url, PROJECT_ROOM, TOKENS.ann.token);
    await a.synced();
    a.doc.getMap('versions').set('v1', { digest: 'aa' });
    await waitFor('the server to log the room', () => server.logs().some((l) => l.msg === 'room loaded'));
    const b = connectClient(server.url, PROJECT_ROOM, TOKENS.bob.token);
    await waitFor('v1 forwarded', () => b.doc.getMap('versions').has('v1'));
    const closes: number[] = [];
    b.provider.on('connection-close', (e) => closes.push(e?.code ?? -1));
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(closes[0]).toBe(CloseCode.GOING_AWAY);
    expect(server.logs().map((l) => l.msg)).toContain('sync server stopped');
    a.destroy();
    b.destroy();

    const again = await startSyncCli(['--data', data, '--tokens', tokensFile, '--port', '0']);
    const c = connectClient(again.url, PROJECT_ROOM, TOKENS.cai.token);
    await waitFor('v1 after the restart', () => c.doc.getMap('versions').has('v1'));
    c.destroy();
    again.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(0);
  });

  it('reloads the tokens file on SIGHUP, closing revoked tokens and keeping the old set if the new one is invalid', async () => {
    const file = path.join(dir, 'reload.json');
    await fs.writeFile(file, JSON.stringify(ALL_TOKENS));
    const server = await startSyncCli(['--data', path.join(dir, 'sighup'), '--tokens', file, '--port', '0']);
    const whoami = async (token: string) => (await fetch(`${server.url.replace('ws:', 'http:')}/whoami?token=${token}`)).status;
    try {
      const rita = await openRawSocket(server.url, PROJECT_ROOM, TOKENS.rita.token);
      await fs.writeFile(file, '[{"token": "broken"');
      server.child.kill('SIGHUP');
      await waitFor('the reload error', () => server.logs().some((l) => l.msg === 'tokens not reloaded; keeping the previous ones'));
      expect(await whoami(TOKENS.rita.token)).toBe(200);

      await fs.writeFile(file, JSON.stringify(ALL_TOKENS.filter((t) => t.name !== 'Rita')));
      server.child.kill('SIGHUP');
      expect((await rita.closed).code).toBe(CloseCode.TOKEN_REVOKED);
      expect(await whoami(TOKENS.rita.token)).toBe(401);
      expect(await whoami(TOKENS.ann.token)).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
