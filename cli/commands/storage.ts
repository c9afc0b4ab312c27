import type { Command } from 'commander';
import type { StorageResponse } from '@/lib/schemas/responses';
import { action, clientFor, outputOption, type OutputFormat } from '../command-helpers';
import { formatBytes, keyValues, paint, print, printJson } from '../output';

// scrapifie storage: GET /api/v1/storage.

export function registerStorage(program: Command): void {
  program
    .command('storage')
    .description('bytes of results, screenshots and logs your jobs keep on the server')
    .addOption(outputOption())
    .action(
      action(async (options: { output: OutputFormat }, command: Command) => {
        const usage = await clientFor(command).get<StorageResponse>('/api/v1/storage', { feature: 'storage' });
        if (options.output === 'json') return printJson(usage);
        print(paint().bold('Job storage'));
        print();
        print(
          keyValues([
            ['Results', formatBytes(usage.resultsBytes)],
            ['Screenshots', formatBytes(usage.screenshotsBytes)],
            ['Logs', formatBytes(usage.logsBytes)],
            ['Total', formatBytes(usage.totalBytes)],
          ]),
        );
      }),
    );
}
