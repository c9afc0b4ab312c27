import { InvalidArgumentError, Option, type Command } from 'commander';
import { ApiClient } from './api-client';
import { resolveConnection } from './config';

// What every command shares: the API client from the global flags, option parsers whose errors
// commander reports as usage errors (exit 2), and the action wrapper that sets the exit code.

export function clientFor(command: Command): ApiClient {
  const { apiUrl } = command.optsWithGlobals<{ apiUrl?: string }>();
  return new ApiClient(resolveConnection({ apiUrl }));
}

/** Runs a command body; a returned number is the exit code. Thrown errors reach cli/index.ts. */
export function action<A extends unknown[]>(body: (...args: A) => Promise<number | void>) {
  return async (...args: A): Promise<void> => {
    const code = await body(...args);
    if (typeof code === 'number') process.exitCode = code;
  };
}

export function wholeNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a whole number (0 or more).');
  return n;
}

export function positiveWholeNumber(value: string): number {
  const n = wholeNumber(value);
  if (n < 1) throw new InvalidArgumentError('expected a whole number of 1 or more.');
  return n;
}

/** Seconds as a number, fractions allowed: `--interval 0.5`. */
export function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number of seconds greater than 0.');
  return n;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export type OutputFormat = 'table' | 'json';

export function outputOption(formats: readonly string[] = ['table', 'json']): Option {
  return new Option('-o, --output <format>', 'output format').choices(formats).default(formats[0]);
}

export function intervalOption(): Option {
  return new Option('--interval <seconds>', 'seconds between polls').argParser(seconds).default(1);
}
