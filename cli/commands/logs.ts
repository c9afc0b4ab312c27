import { InvalidArgumentError, Option, type Command } from 'commander';
import { logLevels, type LogLevel } from '@/lib/jobs';
import type { LogEntryResponse, LogListResponse } from '@/lib/schemas/responses';
import type { ApiClient } from '../api-client';
import { action, clientFor, intervalOption, wholeNumber } from '../command-helpers';
import { UsageError } from '../errors';
import { getJob, resolveJobId, terminal } from '../jobs';
import { colorLevel, formatTime, note, print } from '../output';

// scrapifie logs: a job's log (GET /api/v1/jobs/{id}/logs); --follow polls for newer entries
// with ?after=<last seq> until the job has finished.

type LogsOptions = { follow?: boolean; level?: LogLevel; grep?: string; ignoreCase?: boolean; lines: number; interval: number; output: 'text' | 'json' };

export function registerLogs(program: Command): void {
  program
    .command('logs')
    .description("print a job's log entries")
    .argument('<id>', 'job id, or its first 8 characters')
    .option('-f, --follow', 'keep printing new entries until the job finishes')
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
Log messages contain the URL as it was submitted: the engine does not sanitize URLs.

Examples:
  $ scrapifie logs 3f0c1c8e --level warn
  $ scrapifie logs 3f0c1c8e --grep "retry|timeout" -i --lines 0
  $ scrapifie logs 3f0c1c8e --follow`,
    )
    .action(
      action(async (idArgument: string, options: LogsOptions, command: Command) => {
        const matches = entryFilter(options);
        const client = clientFor(command);
        const id = await resolveJobId(client, idArgument);
        const show = (entry: LogEntryResponse) => print(options.output === 'json' ? JSON.stringify(entry) : formatEntry(entry));

        // Read the state before the entries: once a job is terminal its last entries are written.
        let finished = terminal(await getJob(client, id));
        const { data: first, purged, message } = await readLogPage(client, id);
        if (purged) note(message ?? 'The log of this job was removed by retention.');
        const shown = first.filter(matches);
        (options.lines === 0 ? shown : shown.slice(-options.lines)).forEach(show);
        if (!options.follow) return;

        let after = first.at(-1)?.seq ?? 0;
        while (!finished) {
          await new Promise((resolve) => setTimeout(resolve, options.interval * 1000));
          finished = terminal(await getJob(client, id));
          const entries = await readLogs(client, id, after);
          entries.filter(matches).forEach(show);
          after = entries.at(-1)?.seq ?? after;
        }
      }),
    );
}

function parseLevel(value: string): LogLevel {
  const level = value.toUpperCase() as LogLevel;
  if (!logLevels.includes(level)) throw new InvalidArgumentError(`expected one of ${logLevels.map((l) => l.toLowerCase()).join(', ')}.`);
  return level;
}

function entryFilter(options: LogsOptions): (entry: LogEntryResponse) => boolean {
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

function readLogPage(client: ApiClient, id: string, after?: number): Promise<LogListResponse> {
  return client.get<LogListResponse>(`/api/v1/jobs/${encodeURIComponent(id)}/logs`, { query: { after } });
}

async function readLogs(client: ApiClient, id: string, after: number): Promise<LogEntryResponse[]> {
  return (await readLogPage(client, id, after)).data;
}

function formatEntry(entry: LogEntryResponse): string {
  return `${formatTime(entry.timestamp)} ${colorLevel(entry.level)} ${entry.message}`;
}
