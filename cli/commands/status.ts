import type { Command } from 'commander';
import { action, clientFor, intervalOption, outputOption, type OutputFormat } from '../command-helpers';
import { exitCodes } from '../errors';
import { getJob, jobDetail, jobExitCode, progressLine, resolveJobId, terminal, waitForJob } from '../jobs';
import { print, printJson } from '../output';

// scrapifie status: one job (GET /api/v1/jobs/{id}); --watch follows it to a terminal state.

type StatusOptions = { watch?: boolean; interval: number; output: OutputFormat; exitStatus?: boolean };

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description("show a job's state, attempts, result and error")
    .argument('<id>', 'job id, or its first 8 characters')
    .option('-w, --watch', 'poll until the job finishes, printing each change; exit 1 unless it completed')
    .option('--exit-status', 'exit 1 if the job failed, was cancelled or expired (implied by --watch)')
    .addOption(intervalOption())
    .addOption(outputOption())
    .addHelpText(
      'after',
      `
Examples:
  $ scrapifie status 3f0c1c8e
  $ scrapifie status 3f0c1c8e --watch && scrapifie results 3f0c1c8e --output page.html`,
    )
    .action(
      action(async (idArgument: string, options: StatusOptions, command: Command) => {
        const client = clientFor(command);
        const id = await resolveJobId(client, idArgument);
        const job = options.watch
          ? await waitForJob(client, id, { intervalMs: options.interval * 1000, onChange: options.output === 'table' ? progressLine : undefined })
          : await getJob(client, id);
        if (options.output === 'json') printJson(job);
        else print(jobDetail(job));
        if (!options.watch && !options.exitStatus) return exitCodes.ok;
        return terminal(job) ? jobExitCode([job]) : exitCodes.ok;
      }),
    );
}
