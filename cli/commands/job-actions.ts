import type { Command } from 'commander';
import { action, clientFor, intervalOption, outputOption, type OutputFormat } from '../command-helpers';
import { cliErrorFrom } from '../client';
import { CliError, UsageError, exitCodes } from '../errors';
import { jobDetail, jobExitCode, progressLine, resolveJobId, shortId, waitForJob } from '../jobs';
import { print, printError, printJson } from '../output';

// scrapifie cancel | retry | delete: POST /api/v1/jobs/{id}/cancel, POST .../retry, DELETE /api/v1/jobs/{id}.

export function registerJobActions(program: Command): void {
  program
    .command('cancel')
    .description('cancel queued or processing jobs (nothing is charged)')
    .argument('[ids...]', 'job ids, or their first 8 characters')
    .option('--id <id>', 'a job id (as the RipTide CLI takes it), instead of the arguments')
    .addHelpText(
      'after',
      `
Exits 1 if a job could not be cancelled: it had already finished (or finished while the
cancel was processed, in which case it keeps its result and its charge).

Example:
  $ scrapifie cancel 3f0c1c8e 9a1b2c3d`,
    )
    .action(
      action(async (ids: string[], options: { id?: string }, command: Command) => {
        const client = clientFor(command);
        return forEachJob(idsOf(ids, options), 'cancel', async (idArgument) => {
          const id = await resolveJobId(client, idArgument);
          const job = await client.jobs.cancel(id);
          if (job.status !== 'cancelled') throw new CliError(`${shortId(id)} was not cancelled: it ${job.status} first.`, exitCodes.failure);
          print(`Cancelled ${shortId(id)}  ${job.url}`);
        });
      }),
    );

  program
    .command('retry')
    .description('submit a finished job again, as a new job linked to it')
    .argument('<id>', 'job id, or its first 8 characters')
    .option('-w, --wait', 'wait until the new job has finished; exit 1 unless it completed')
    .addOption(intervalOption())
    .addOption(outputOption())
    .addHelpText('after', '\nExample:\n  $ scrapifie retry 3f0c1c8e --wait')
    .action(
      action(async (idArgument: string, options: { wait?: boolean; interval: number; output: OutputFormat }, command: Command) => {
        const client = clientFor(command);
        const id = await resolveJobId(client, idArgument);
        let job = await client.jobs.retry(id);
        if (options.output === 'table') print(`Retrying ${shortId(id)} as ${job.id}`);
        if (options.wait) job = await waitForJob(client, job.id, { onChange: options.output === 'table' ? progressLine : undefined });
        if (options.output === 'json') printJson(job);
        else if (options.wait) print(jobDetail(job));
        return options.wait ? jobExitCode([job]) : exitCodes.ok;
      }),
    );

  program
    .command('delete')
    .alias('rm')
    .description('delete jobs (an active job is cancelled first); their results and logs are removed')
    .argument('[ids...]', 'job ids, or their first 8 characters')
    .option('--id <id>', 'a job id, instead of the arguments')
    .addHelpText('after', '\nExample:\n  $ scrapifie delete 3f0c1c8e')
    .action(
      action(async (ids: string[], options: { id?: string }, command: Command) => {
        const client = clientFor(command);
        return forEachJob(idsOf(ids, options), 'deleting jobs', async (idArgument) => {
          const id = await resolveJobId(client, idArgument);
          const deleted = await client.jobs.delete(id);
          print(`Deleted ${shortId(deleted.id)} (${deleted.status})`);
        });
      }),
    );
}

/**
 * Runs the action for every id, reporting each failure and going on with the others; the exit
 * code is the first failure's. A refused key or an unreachable server stops at once.
 */
async function forEachJob(ids: string[], feature: string, run: (id: string) => Promise<void>): Promise<number> {
  if (ids.length === 1) {
    await run(ids[0]);
    return exitCodes.ok;
  }
  let code: number = exitCodes.ok;
  for (const id of ids) {
    try {
      await run(id);
    } catch (thrown) {
      const error = cliErrorFrom(thrown, feature);
      if (!(error instanceof CliError) || error.exitCode === exitCodes.auth || error.exitCode === exitCodes.network) throw error;
      printError(`${id}: ${error.message}`, error.details);
      if (code === exitCodes.ok) code = error.exitCode;
    }
  }
  return code;
}

function idsOf(ids: string[], options: { id?: string }): string[] {
  const all = [...ids, ...(options.id ? [options.id] : [])];
  if (all.length === 0) throw new UsageError("missing required argument 'ids' (give one or more, or --id <id>)");
  return all;
}
