import { createInterface } from 'node:readline/promises';
import { Option, type Command } from 'commander';
import { jobStatuses } from '@/lib/jobs';
import type { DeleteJobsRequest } from '@/packages/sdk/src/index';
import { action, clientFor, outputOption, wholeNumber, type OutputFormat } from '../command-helpers';
import { exitCodes } from '../errors';
import { addLabelFilterOptions, apiStatus, labelFilterQuery, requireLabelFilters, type LabelFilterOptions } from '../filters';
import { note, print, printJson, plural } from '../output';

// scrapifie cleanup: POST /api/v1/jobs/delete for the completed jobs (or --status) created on
// or before the local date N days ago. It always asks first, in a pipe too (the answer is read
// from stdin), unless --yes: a script that deletes must say so.

type CleanupOptions = LabelFilterOptions & { days: number; dryRun?: boolean; status: string; yes?: boolean; output: OutputFormat };

export function registerCleanup(program: Command): void {
  addLabelFilterOptions(
    program
      .command('cleanup')
      .description('delete the completed jobs (or those of --status) created N or more days ago, by calendar day in your timezone')
      .requiredOption('-d, --days <n>', 'age in days: jobs created on or before the date N days ago (0: up to today)', wholeNumber)
      .option('--dry-run', 'only count the jobs that would be deleted')
      .addOption(
        new Option('-s, --status <status>', 'which jobs: completed (the default), another state, or all').choices([...jobStatuses, 'running', 'pending', 'all']).default('completed'),
      ),
  )
    .option('-y, --yes', 'delete without asking (otherwise the command asks, also in a pipe, and reads the answer from stdin)')
    .addOption(outputOption())
    .addHelpText(
      'after',
      `
--days 1 means every job created before today, --days 0 up to today. Only completed jobs
unless --status says otherwise (--status all: every state; a job still queued or processing is
cancelled before it is deleted). Deleted jobs' results and logs are removed; their charges stay
in the ledger.

Examples:
  $ scrapifie cleanup --days 30 --dry-run
  $ scrapifie cleanup --days 30 --yes
  $ scrapifie cleanup --days 7 --status failed --tag smoke-test`,
    )
    .action(
      action(async (options: CleanupOptions, command: Command) => {
        const client = clientFor(command);
        await requireLabelFilters(client, options, 'POST /api/v1/jobs/delete');
        const to = localDateDaysAgo(options.days);
        const status = options.status === 'all' ? undefined : (apiStatus(options.status) as DeleteJobsRequest['status']);
        const filters = { to, tz: new Date().getTimezoneOffset(), status, ...labelFilterQuery(options) };
        const send = (dryRun: boolean) => client.jobs.deleteMany({ ...filters, dryRun });
        const noun = status ? `${status} job` : 'job';
        const scope = `created on or before ${to}${labelScope(options)}`;

        const counted = await send(true);
        if (options.dryRun) {
          if (options.output === 'json') return printJson({ ...counted, to });
          const active = counted.active ? ` (${counted.active} still active: they would be cancelled)` : '';
          return print(`Would delete ${plural(counted.count, noun)} ${scope}${active}.`);
        }
        if (counted.count === 0) {
          if (options.output === 'json') return printJson({ ...counted, dryRun: false, to });
          return print(`No ${noun}s ${scope}.`);
        }
        if (!options.yes && !(await confirm(`Delete ${plural(counted.count, noun)} ${scope}? [y/N] `))) {
          note('Nothing deleted.');
          return exitCodes.failure;
        }
        const deleted = await send(false);
        if (options.output === 'json') return printJson({ ...deleted, to });
        const cancelled = deleted.cancelled ? `, ${deleted.cancelled} of them cancelled first` : '';
        print(`Deleted ${plural(deleted.count, noun)} ${scope}${cancelled}.`);
      }),
    );
}

/** The label filters in words, for the confirmation and the summary: ` tagged a or b`. */
function labelScope(options: LabelFilterOptions): string {
  const parts = [
    options.name && ` named like "${options.name}"`,
    options.tag && ` tagged ${options.tag.join(' or ')}`,
    options.priority && ` of ${options.priority} priority`,
    options.batch && ` in batch ${options.batch}`,
  ];
  return parts.filter(Boolean).join('');
}

/** YYYY-MM-DD of the local date `days` ago. */
export function localDateDaysAgo(days: number, now = new Date()): string {
  const date = new Date(now.getFullYear(), now.getMonth(), now.getDate() - days);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** Asks on stderr (stdout stays the command's output) and reads one line; no answer is a no. */
async function confirm(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr, terminal: Boolean(process.stdin.isTTY) });
  process.stderr.write(question);
  try {
    const answer = await new Promise<string>((resolve) => {
      prompt.once('line', resolve);
      prompt.once('close', () => resolve(''));
    });
    if (!process.stdin.isTTY) process.stderr.write('\n');
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}
