/**
 * `npm run sync-server -- --port 4455 --data ./sync-data --tokens tokens.json [--host 127.0.0.1]`
 * Logs JSON lines; SIGTERM/SIGINT store what is pending and exit 0; SIGHUP reloads the tokens.
 */
import path from 'node:path';
import { assignNumbers } from '../renderer/src/registry/sequencer';
import { parseCliOptions, USAGE } from './cli-options';
import { createSyncServer } from './create-sync-server';
import { jsonLogger } from './logger';
import { readTokensFile } from './tokens';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

async function main(): Promise<void> {
  let logger = jsonLogger();
  try {
    const options = parseCliOptions(process.argv.slice(2));
    if (options.help) return void process.stdout.write(`${USAGE}\n`);
    logger = jsonLogger(options.logLevel);
    const tokensFile = path.resolve(options.tokensFile);
    const server = await createSyncServer({
      host: options.host,
      port: options.port,
      dataDir: path.resolve(options.dataDir),
      fsync: options.fsync,
      tokens: readTokensFile(tokensFile),
      limits: options.limits,
      logger,
      // The registry's sequencer: every version and link gets its permanent number here.
      sequencer: ({ doc }) => void assignNumbers(doc),
    });
    if (!LOOPBACK.has(options.host)) {
      logger.warn('serving beyond loopback: tokens travel in the URL, so outside a trusted LAN put TLS (a reverse proxy) or an SSH tunnel in front', { host: options.host });
    }
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info('stopping', { signal });
      server.close().then(
        () => process.exit(0),
        (e: unknown) => {
          logger.error('unclean stop', { err: e });
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGHUP', () => {
      try {
        server.setTokens(readTokensFile(tokensFile));
      } catch (e) {
        logger.error('tokens not reloaded; keeping the previous ones', { err: e });
      }
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message = code === 'EADDRINUSE' ? `the port is in use: pass --port N (0 picks a free one)` : (e as Error).message;
    logger.error(`cannot start: ${message}`, code ? { code } : {});
    process.exitCode = 1;
  }
}

void main();
