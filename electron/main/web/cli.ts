/**
 * `npm run web -- [--port N] [--data-dir D]`: serve Cairn to a browser on this machine.
 * Loopback only; prints the URL with its token on its own line, like Jupyter.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../data-dir';
import { openHost } from '../host-services';
import { newToken } from './access';
import { startWebServer } from './server';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const USAGE = `usage: npm run web -- [--port N] [--data-dir DIR]
  --port N        port on 127.0.0.1 (default 4460; 0 picks a free one)
  --data-dir DIR  where versions and settings live (default ${defaultDataDir()})`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4460' },
      'data-dir': { type: 'string' },
      'renderer-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return void console.log(USAGE);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0–65535, got "${values.port}"`);
  const rendererDir = path.resolve(values['renderer-dir'] ?? path.join(repoRoot, 'out', 'renderer'));
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`no built renderer in ${rendererDir}: run "npm run build:renderer" first (npm run web does it for you)`);
  }
  const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  const host = await openHost({ dataDir, version: pkg.version, shell: 'web', localSyncPublicUrl: '/sync' });
  const server = await startWebServer({ services: host.services, token: newToken(), rendererDir, port, uploadsDir: host.uploadsDir, ...(host.localSync ? { localSyncPort: host.localSync.port } : {}) }).catch((e) => {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`port ${port} on 127.0.0.1 is in use: pass --port N (0 picks a free one)`);
    }
    throw e;
  });
  console.log(`Data directory: ${dataDir}`);
  console.log(`Cairn web: ${server.loginUrl}`);
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await server.close();
    await host.close();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(`cairn web: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
