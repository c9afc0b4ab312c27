import type { Command } from 'commander';
import { action, clientFor, idOption, intervalOption, outputOption, requiredId, type OutputFormat } from '../command-helpers';
import { exitCodes } from '../errors';
import { jobDetail, jobExitCode, progressLine, resolveJobId, terminal, waitForJob } from '../jobs';
import { print, printJson } from '../output';

// scrapifie status: one job (GET /api/v1/jobs/{id}); --watch follows it to a terminal state on
// its live stream (or by polling where the server has none).

type StatusOptions = { id?: string; watch?: boolean; detailed?: boolean; interval: number; output: OutputFormat; exitStatus?: boolean };

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description("show a job's state, attempts, result and error")
    .argument('[id]', 'job id, or its first 8 characters')
    .addOption(idOption())
    .option('-d, --detailed', 'also its name, tags, priority and every attempt with its error')
    .option('-w, --watch', 'follow the job until it finishes, printing each change; exit 1 unless it completed')
    .option('--exit-status', 'exit 1 if the job failed, was cancelled or expired (implied by --watch)')
    .addOption(intervalOption())
    .addOption(outputOption())
    .addHelpText(
      'after',
      `
--watch uses the job's live stream when the server has one and otherwise polls every
--interval seconds.

Examples:
  $ scrapifie status 3f0c1c8e --detailed
  $ scrapifie status --id 3f0c1c8e --watch --interval 5
  $ scrapifie status 3f0c1c8e --watch && scrapifie results 3f0c1c8e --output page.html`,
    )
    .action(
      action(async (idArgument: string | undefined, options: StatusOptions, command: Command) => {
        const client = clientFor(command);
        const id = await resolveJobId(client, requiredId(idArgument, options));
        const job = options.watch
          ? await waitForJob(client, id, { onChange: options.output === 'table' ? progressLine : undefined })
          : await client.jobs.get(id);
        if (options.output === 'json') printJson(job);
        else print(jobDetail(job, { detailed: options.detailed }));
        if (!options.watch && !options.exitStatus) return exitCodes.ok;
        return terminal(job) ? jobExitCode([job]) : exitCodes.ok;
      }),
    );
}
