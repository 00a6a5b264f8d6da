/**
 * Structured logs: one JSON object per line, `{"t","level","msg",…fields}`.
 * Info and debug go to stdout, warnings and errors to stderr. Tests pass
 * `silentLogger` or a `memoryLogger()` to read what was logged.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

export interface LogRecord extends LogFields {
  t: string;
  level: LogLevel;
  msg: string;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(
  write: (record: LogRecord) => void,
  { level = 'info', base = {} }: { level?: LogLevel; base?: LogFields } = {},
): Logger {
  const log = (lvl: LogLevel, msg: string, fields?: LogFields) => {
    if (RANK[lvl] < RANK[level]) return;
    write({ t: new Date().toISOString(), level: lvl, msg, ...base, ...fields });
  };
  return {
    debug: (msg, fields) => log('debug', msg, fields),
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
    error: (msg, fields) => log('error', msg, fields),
    child: (fields) => createLogger(write, { level, base: { ...base, ...fields } }),
  };
}

/** JSON lines on stdout (debug, info) and stderr (warn, error). */
export function jsonLogger(level: LogLevel = 'info'): Logger {
  return createLogger(
    (record) => {
      const line = `${JSON.stringify(record, jsonSafe)}\n`;
      (RANK[record.level] >= RANK.warn ? process.stderr : process.stdout).write(line);
    },
    { level },
  );
}

export const silentLogger: Logger = createLogger(() => {}, { level: 'error' });

/** Keeps every record in memory, for tests. */
export function memoryLogger(level: LogLevel = 'debug'): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  return { logger: createLogger((r) => records.push(r), { level }), records };
}

/** Errors serialise as their message and code; bigints as strings. */
function jsonSafe(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { message: value.message, ...(typeof (value as NodeJS.ErrnoException).code === 'string' ? { code: (value as NodeJS.ErrnoException).code } : {}) };
  if (typeof value === 'bigint') return value.toString();
  return value;
}
