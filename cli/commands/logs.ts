import { InvalidArgumentError, Option, type Command } from 'commander';
import { logLevels, type LogLevel } from '@/lib/jobs';
import type { LogEntry } from '@/packages/sdk/src/index';
import { action, clientFor, idOption, intervalOption, requiredId, wholeNumber } from '../command-helpers';
import { UsageError } from '../errors';
import { resolveJobId } from '../jobs';
import { colorLevel, formatTime, note, print } from '../output';

// scrapifie logs: a job's log (GET /api/v1/jobs/{id}/logs); --follow follows the job's live
// stream (the SDK's, with reconnection), or polls for newer entries where the server has none,
// until the job has finished.

type LogsOptions = {
  id?: string;
  follow?: boolean;
  level?: LogLevel;
  grep?: string;
  ignoreCase?: boolean;
  lines: number;
  interval: number;
  output: 'text' | 'json';
};

export function registerLogs(program: Command): void {
  program
    .command('logs')
    .description("print a job's log entries")
    .argument('[id]', 'job id, or its first 8 characters')
    .addOption(idOption())
    .option('-f, --follow', 'keep printing new entries as they are written, until the job finishes')
    .addOption(
      new Option('-l, --level <level>', 'only entries of this level or more severe (debug, info, warn, error)').argParser(parseLevel),
    )
    .option('-g, --grep <pattern>', 'only entries whose message matches this regular expression')
    .option('-i, --ignore-case', 'with --grep, ignore case')
    .option('-n, --lines <n>', 'print the last n matching entries (0 for all); --follow then prints every new one', wholeNumber, 100)
    .addOption(intervalOption())
    .addOption(new Option('-o, --output <format>', 'text, or json (one JSON object per line)').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
--follow uses the job's live stream when the server has one (reconnecting by itself, without
gaps or repeats) and otherwise polls every --interval seconds.
Log messages contain the URL as it was submitted: the engine does not sanitize URLs.

Examples:
  $ scrapifie logs 3f0c1c8e --level warn
  $ scrapifie logs --id 3f0c1c8e --grep "extraction failed" --lines 200
  $ scrapifie logs 3f0c1c8e --follow`,
    )
    .action(
      action(async (idArgument: string | undefined, options: LogsOptions, command: Command) => {
        const matches = entryFilter(options);
        const client = clientFor(command);
        const id = await resolveJobId(client, requiredId(idArgument, options));
        const show = (entry: LogEntry) => print(options.output === 'json' ? JSON.stringify(entry) : formatEntry(entry));

        const { data: first, purged, message } = await client.jobs.logs(id);
        if (purged) note(message ?? 'The log of this job was removed by retention.');
        const shown = first.filter(matches);
        (options.lines === 0 ? shown : shown.slice(-options.lines)).forEach(show);
        if (!options.follow) return;

        for await (const entry of client.jobs.logEntries(id, { follow: true, after: first.at(-1)?.seq ?? 0 })) {
          if (matches(entry)) show(entry);
        }
      }),
    );
}

function parseLevel(value: string): LogLevel {
  const level = value.toUpperCase() as LogLevel;
  if (!logLevels.includes(level)) throw new InvalidArgumentError(`expected one of ${logLevels.map((l) => l.toLowerCase()).join(', ')}.`);
  return level;
}

function entryFilter(options: LogsOptions): (entry: LogEntry) => boolean {
  const minimum = options.level ? logLevels.indexOf(options.level) : 0;
  let pattern: RegExp | undefined;
  if (options.grep !== undefined) {
    try {
      pattern = new RegExp(options.grep, options.ignoreCase ? 'i' : '');
    } catch (error) {
      throw new UsageError(`Invalid --grep pattern: ${(error as Error).message}`);
    }
  }
  return (entry) => logLevels.indexOf(entry.level) >= minimum && (!pattern || pattern.test(entry.message));
}

function formatEntry(entry: LogEntry): string {
  return `${formatTime(entry.timestamp)} ${colorLevel(entry.level)} ${entry.message}`;
}
