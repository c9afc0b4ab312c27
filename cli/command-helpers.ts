import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Scrapifie } from '@/packages/sdk/src/index';
import { cliErrorFrom, connectedClient } from './client';
import { UsageError } from './errors';

// What every command shares: the SDK client from the global flags, option parsers whose errors
// commander reports as usage errors (exit 2), and the action wrapper that sets the exit code.

export function clientFor(command: Command): Scrapifie {
  const { apiUrl, interval } = command.optsWithGlobals<{ apiUrl?: string; interval?: number }>();
  return connectedClient({ apiUrl, pollIntervalMs: interval === undefined ? undefined : interval * 1000 });
}

/**
 * Runs a command body; a returned number is the exit code. Thrown errors reach cli/index.ts as
 * CliErrors; a server without an endpoint is named by the command (`stats` → "does not support stats").
 */
export function action<A extends unknown[]>(body: (...args: A) => Promise<number | void>) {
  return async (...args: A): Promise<void> => {
    const command = args.at(-1);
    try {
      const code = await body(...args);
      if (typeof code === 'number') process.exitCode = code;
    } catch (error) {
      throw cliErrorFrom(error, command instanceof Command ? command.name() : 'this command');
    }
  };
}

/** A job id given as the argument or, as in the RipTide CLI, with `--id`. */
export function idOption(): Option {
  return new Option('--id <id>', 'the job id (or its first 8 characters), instead of the argument');
}

export function requiredId(argument: string | undefined, options: { id?: string }, name = 'id'): string {
  const id = argument ?? options.id;
  if (!id) throw new UsageError(`missing required argument '${name}' (give it, or --id <${name}>)`);
  return id;
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

/** `--extract`: extraction rules as inline JSON, or `@path` to read them from a file. */
export function jsonObjectOrFile(value: string): Record<string, unknown> {
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = readFileSync(value.slice(1), 'utf8');
    } catch (error) {
      throw new InvalidArgumentError(`cannot read ${value.slice(1)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError(`expected a JSON object (or @file.json): ${(error as Error).message}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InvalidArgumentError('expected a JSON object of field → CSS selector (or a JSON Schema).');
  return parsed as Record<string, unknown>;
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
