import { createInterface } from 'node:readline/promises';
import { Option, type Command } from 'commander';
import { jobStatuses } from '@/lib/jobs';
import type { BulkDeleteResponse } from '@/lib/schemas/responses';
import { action, clientFor, outputOption, positiveWholeNumber, type OutputFormat } from '../command-helpers';
import { exitCodes } from '../errors';
import { addLabelFilterOptions, labelFilterQuery, requireLabelFilters, type LabelFilterOptions } from '../filters';
import { print, printJson, plural } from '../output';

// scrapifie cleanup: POST /api/v1/jobs/delete with `to` = the local date N days ago.

type CleanupOptions = LabelFilterOptions & { days: number; dryRun?: boolean; status?: string; yes?: boolean; output: OutputFormat };

export function registerCleanup(program: Command): void {
  addLabelFilterOptions(
    program
      .command('cleanup')
      .description('delete every job created N or more days ago (by calendar day, in your timezone)')
      // At least 1: `--days 0` reached today, so one slip of a digit deleted every job.
      .requiredOption('-d, --days <n>', 'age in days (1 or more): jobs created on or before the date N days ago', positiveWholeNumber)
      .option('--dry-run', 'only count the jobs that would be deleted')
      .addOption(new Option('-s, --status <status>', 'only jobs in this state').choices(jobStatuses)),
  )
    .option('-y, --yes', 'do not ask for confirmation (it is only asked on a terminal)')
    .addOption(outputOption())
    .addHelpText(
      'after',
      `
--days 1 means every job created before today. A job still queued or processing is cancelled
before it is deleted. Deleted jobs' results and logs are removed; their charges stay in the ledger.

Examples:
  $ scrapifie cleanup --days 30 --dry-run
  $ scrapifie cleanup --days 30 --yes
  $ scrapifie cleanup --days 7 --tag smoke-test --dry-run`,
    )
    .action(
      action(async (options: CleanupOptions, command: Command) => {
        const client = clientFor(command);
        await requireLabelFilters(client, options, 'POST /api/v1/jobs/delete');
        const to = localDateDaysAgo(options.days);
        const filters = { to, tz: new Date().getTimezoneOffset(), status: options.status, ...labelFilterQuery(options) };
        const send = (dryRun: boolean) => client.post<BulkDeleteResponse>('/api/v1/jobs/delete', { ...filters, dryRun }, { feature: 'cleanup' });
        const scope = `created on or before ${to}${options.status ? ` with status ${options.status}` : ''}${labelScope(options)}`;

        if (options.dryRun) {
          const counted = await send(true);
          if (options.output === 'json') return printJson({ ...counted, to });
          const active = counted.active ? ` (${counted.active} still active: they would be cancelled)` : '';
          return print(`Would delete ${plural(counted.count, 'job')} ${scope}${active}.`);
        }
        if (!options.yes && process.stdin.isTTY && process.stdout.isTTY) {
          const counted = await send(true);
          if (counted.count === 0) return print(`No jobs ${scope}.`);
          if (!(await confirm(`Delete ${plural(counted.count, 'job')} ${scope}? [y/N] `))) {
            print('Nothing deleted.');
            return exitCodes.failure;
          }
        }
        const deleted = await send(false);
        if (options.output === 'json') return printJson({ ...deleted, to });
        const cancelled = deleted.cancelled ? `, ${deleted.cancelled} of them cancelled first` : '';
        print(`Deleted ${plural(deleted.count, 'job')} ${scope}${cancelled}.`);
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

async function confirm(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}
