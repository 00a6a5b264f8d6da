/** The command line of `npm run sync-server`, validated with zod. */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_PORT } from './create-sync-server';
import type { SyncLimits } from './limits';

export const USAGE = `usage: npm run sync-server -- --data DIR --tokens FILE [options]
  --data DIR                        where the SQLite database lives (created if missing)
  --tokens FILE                     JSON: [{"token","workspace","role":"read"|"write"|"admin","name"}]; reloaded on SIGHUP
  --port N                          default ${DEFAULT_PORT}; 0 picks a free one
  --host ADDR                       default 127.0.0.1 (loopback); 0.0.0.0 serves the LAN (see sync-server/README.md)
  --fsync                           fsync every commit: survive power loss, not only a crash (slower)
  --max-message-bytes N             largest message a client may send (default 256 MiB)
  --max-connections-per-token N     (default 256)
  --max-connections-per-address N   (default 1024)
  --max-rooms N                     documents held in memory (default 500)
  --room-idle-seconds N             unload a room this long after its last client left (default 30)
  --log-level debug|info|warn|error default info`;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const cliSchema = z.object({
  data: z.string({ error: '--data DIR is required' }).min(1, '--data DIR is required'),
  tokens: z.string({ error: '--tokens FILE is required' }).min(1, '--tokens FILE is required'),
  port: int(0, 65535).default(DEFAULT_PORT),
  host: z.string().min(1).default('127.0.0.1'),
  fsync: z.boolean().default(false),
  'max-message-bytes': int(1024, 1024 ** 3).optional(),
  'max-connections-per-token': int(1, 1_000_000).optional(),
  'max-connections-per-address': int(1, 1_000_000).optional(),
  'max-rooms': int(1, 1_000_000).optional(),
  'room-idle-seconds': z.coerce.number().min(0).max(86_400).optional(),
  'log-level': z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type CliOptions = { help: true } | ServerCliOptions;

export interface ServerCliOptions {
  help: false;
  dataDir: string;
  tokensFile: string;
  port: number;
  host: string;
  fsync: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  limits: Partial<SyncLimits>;
}

/** Parses argv; throws an Error whose message is one line a person can act on. */
export function parseCliOptions(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      tokens: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      fsync: { type: 'boolean' },
      'max-message-bytes': { type: 'string' },
      'max-connections-per-token': { type: 'string' },
      'max-connections-per-address': { type: 'string' },
      'max-rooms': { type: 'string' },
      'room-idle-seconds': { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return { help: true };
  const parsed = cliSchema.safeParse(values);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => (i.path.length ? `--${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
  }
  const o = parsed.data;
  const limits: Partial<SyncLimits> = {};
  if (o['max-message-bytes'] !== undefined) limits.maxMessageBytes = o['max-message-bytes'];
  if (o['max-connections-per-token'] !== undefined) limits.maxConnectionsPerToken = o['max-connections-per-token'];
  if (o['max-connections-per-address'] !== undefined) limits.maxConnectionsPerAddress = o['max-connections-per-address'];
  if (o['max-rooms'] !== undefined) limits.maxRooms = o['max-rooms'];
  if (o['room-idle-seconds'] !== undefined) limits.roomIdleMs = o['room-idle-seconds'] * 1000;
  return { dataDir: o.data, tokensFile: o.tokens, port: o.port, host: o.host, fsync: o.fsync, logLevel: o['log-level'], limits, help: false };
}
