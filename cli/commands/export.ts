import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Option, type Command } from 'commander';
import { action, clientFor } from '../command-helpers';
import { addFilterOptions, filterQuery, requireLabelFilters, type FilterOptions } from '../filters';
import { note, print } from '../output';

// scrapifie export: GET /api/v1/jobs/export, streamed to a file or stdout.

type ExportOptions = FilterOptions & { format: 'csv' | 'json'; output?: string };

export function registerExport(program: Command): void {
  addFilterOptions(program.command('export').description('export the jobs matching the filters as CSV or JSON (at most 10,000, 5 exports an hour)'))
    .addOption(new Option('--format <format>', 'file format').choices(['csv', 'json']).default('csv'))
    .option('--output <file>', 'write to this file instead of stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ scrapifie export --status failed --output failed.csv
  $ scrapifie export --format json --from 2026-03-01 | jq length
  $ scrapifie export --batch 3f0c1c8e-5b8a-4c1e-9d2a-0b6f4e7a1c2d --output batch.csv`,
    )
    .action(
      action(async (options: ExportOptions, command: Command) => {
        const client = clientFor(command);
        await requireLabelFilters(client, options, 'GET /api/v1/jobs/export');
        const { status, ...filters } = filterQuery(options);
        const exported = await client.jobs.export({ ...filters, status: status as 'queued' | undefined, format: options.format });
        if (exported.warning) note(exported.warning);
        const body = Readable.fromWeb(exported.body as WebReadableStream<Uint8Array>);
        if (!options.output) return pipeline(body, process.stdout, { end: false });
        await pipeline(body, createWriteStream(options.output));
        print(`Exported ${exported.rows ?? 'the'} jobs to ${options.output}`);
      }),
    );
}
