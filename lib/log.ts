import { AsyncLocalStorage } from 'node:async_hooks';
import { getEnv } from '@/lib/env';
import { redact } from '@/lib/log-redact';

// Server logs of the web app and the worker: one JSON object per line on stdout (time, level,
// msg, then fields such as requestId, jobId, workerId, accountId), or one readable line each with
// LOG_FORMAT=pretty. Every line goes through the redactor. The fields of the current request or
// job come from an AsyncLocalStorage context, so code deep inside a request logs them too.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export type Logger = {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
};

const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const context = new AsyncLocalStorage<LogFields>();

/** Runs `fn` with `fields` added to every line logged inside it (a request, a job). */
export function withLogContext<T>(fields: LogFields, fn: () => T): T {
  return context.run({ ...context.getStore(), ...fields }, fn);
}

/** Adds fields to the current context once they are known (the account, after authentication). */
export function addLogContext(fields: LogFields): void {
  const store = context.getStore();
  if (store) Object.assign(store, fields);
}

type Settings = { format: 'json' | 'pretty'; minLevel: LogLevel };

function settings(): Settings {
  try {
    const env = getEnv();
    // Under the test runner only warnings and errors, unless LOG_LEVEL asks for more.
    return { format: env.LOG_FORMAT, minLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'warn' : 'info') };
  } catch {
    // A bad environment is itself reported through the log: fall back rather than throw again.
    return { format: 'json', minLevel: 'info' };
  }
}

function write(level: LogLevel, msg: string, bound: LogFields, fields: LogFields | undefined): void {
  const { format, minLevel } = settings();
  if (levelRank[level] < levelRank[minLevel]) return;
  const entry = redact({ ...context.getStore(), ...bound, ...fields }) as LogFields;
  const time = new Date().toISOString();
  const line = format === 'pretty' ? prettyLine(time, level, redact(msg) as string, entry) : JSON.stringify({ time, level, msg: redact(msg), ...entry });
  process.stdout.write(`${line}\n`);
}

const prettyLevels: Record<LogLevel, string> = { debug: 'DEBUG', info: 'INFO ', warn: 'WARN ', error: 'ERROR' };

function prettyLine(time: string, level: LogLevel, msg: string, fields: LogFields): string {
  const stacks: string[] = [];
  const pairs = Object.entries(fields).map(([key, value]) => {
    if (value && typeof value === 'object' && 'stack' in value && typeof value.stack === 'string') stacks.push(value.stack);
    return `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`;
  });
  return [`${time.slice(11, 23)} ${prettyLevels[level]} ${msg}`, ...pairs].join(' ') + stacks.map((stack) => `\n${stack}`).join('');
}

function createLogger(bound: LogFields): Logger {
  return {
    debug: (msg, fields) => write('debug', msg, bound, fields),
    info: (msg, fields) => write('info', msg, bound, fields),
    warn: (msg, fields) => write('warn', msg, bound, fields),
    error: (msg, fields) => write('error', msg, bound, fields),
    child: (fields) => createLogger({ ...bound, ...fields }),
  };
}

export const log: Logger = createLogger({});
