import type { Command } from 'commander';
import { action, clientFor, outputOption, type OutputFormat } from '../command-helpers';
import { formatBytes, keyValues, paint, print, printJson } from '../output';

// scrapifie storage: GET /api/v1/storage, and how many jobs the account keeps.

export function registerStorage(program: Command): void {
  program
    .command('storage')
    .description('how many jobs you have, and the bytes of results, screenshots and logs they keep on the server')
    .addOption(outputOption())
    .action(
      action(async (options: { output: OutputFormat }, command: Command) => {
        const client = clientFor(command);
        const [usage, jobs] = await Promise.all([client.storage(), client.jobs.list({ size: 25 })]);
        if (options.output === 'json') return printJson({ ...usage, totalJobs: jobs.total });
        print(paint().bold('Job storage'));
        print();
        print(
          keyValues([
            ['Server', client.baseUrl],
            ['Total jobs', jobs.total.toLocaleString('en-US')],
            ['Results', formatBytes(usage.resultsBytes)],
            ['Screenshots', formatBytes(usage.screenshotsBytes)],
            ['Logs', formatBytes(usage.logsBytes)],
            ['Total', formatBytes(usage.totalBytes)],
          ]),
        );
      }),
    );
}
