import type { Command } from 'commander';
import { uuidPattern } from '@/lib/jobs';
import type { Batch, Scrapifie } from '@/packages/sdk/src/index';
import { action, clientFor, intervalOption, outputOption, positiveWholeNumber, type OutputFormat } from '../command-helpers';
import { CliError, UsageError, exitCodes } from '../errors';
import { shortId } from '../jobs';
import { colorStatus, formatTime, keyValues, note, print, printJson, table } from '../output';

// scrapifie batch list | status | cancel: /api/v1/batches. A batch is what `submit` makes of
// several URLs; `status --watch` follows its N/M progress on the batch's live stream (or by polling).

export function registerBatches(program: Command): void {
  const batch = program.command('batch').alias('batches').description('batches: several URLs submitted together, a job each');

  batch
    .command('list')
    .alias('ls')
    .description('list batches, newest first, with their progress')
    .option('-n, --limit <n>', 'show at most n batches', positiveWholeNumber, 25)
    .addOption(outputOption())
    .action(
      action(async (options: { limit: number; output: OutputFormat }, command: Command) => {
        const client = clientFor(command);
        const batches: Batch[] = [];
        for await (const page of client.batches.pages({ size: 100 })) {
          batches.push(...page.data.slice(0, options.limit - batches.length));
          if (batches.length >= options.limit) break;
        }
        if (options.output === 'json') return printJson(batches);
        if (batches.length === 0) return note('No batches found.');
        print(
          table(
            [{ header: 'ID' }, { header: 'Name' }, { header: 'Status' }, { header: 'Priority' }, { header: 'Progress', align: 'right' }, { header: 'Credits', align: 'right' }, { header: 'Created' }],
            batches.map((b) => [shortId(b.id), b.name ?? '-', colorStatus(b.status), b.priority, progress(b), String(b.creditsCharged + b.creditsReserved), formatTime(b.createdAt)]),
          ),
        );
      }),
    );

  batch
    .command('status')
    .description("a batch's progress: its jobs per state, credits, and status")
    .argument('<id>', 'batch id, or its first 8 characters')
    .option('-w, --watch', 'follow its progress until every job has finished; exit 1 unless all completed')
    .addOption(intervalOption())
    .addOption(outputOption())
    .action(
      action(async (idArgument: string, options: { watch?: boolean; output: OutputFormat }, command: Command) => {
        const client = clientFor(command);
        const id = await resolveBatchId(client, idArgument);
        const found = options.watch
          ? await client.batches.wait(id, { onUpdate: options.output === 'table' ? (b) => note(`${formatTime(new Date().toISOString()).slice(11)}  ${progress(b)}`) : undefined })
          : await client.batches.get(id);
        if (options.output === 'json') printJson(found);
        else print(batchDetail(found));
        if (!options.watch) return exitCodes.ok;
        return found.counts.completed === found.total ? exitCodes.ok : exitCodes.failure;
      }),
    );

  batch
    .command('cancel')
    .description('cancel every unfinished job of a batch (cancelled jobs cost nothing)')
    .argument('<id>', 'batch id, or its first 8 characters')
    .action(
      action(async (idArgument: string, _options: object, command: Command) => {
        const client = clientFor(command);
        const cancelled = await client.batches.cancel(await resolveBatchId(client, idArgument));
        print(`Cancelled batch ${shortId(cancelled.id)}: ${cancelled.counts.cancelled} of ${cancelled.total} jobs cancelled.`);
      }),
    );
  batch.addHelpText('after', '\nIts jobs: scrapifie list --batch <id> (and export, cleanup take --batch too).');
}

function progress(batch: Batch): string {
  return `${batch.finished}/${batch.total} (${Math.round(batch.percent)}%)`;
}

function batchDetail(batch: Batch): string {
  const counts = Object.entries(batch.counts).map(([status, n]) => `${n} ${status}`).join(', ');
  return keyValues([
    ['Batch', batch.id],
    ['Name', batch.name ?? '-'],
    ['Status', colorStatus(batch.status)],
    ['Priority', batch.priority],
    ['Tags', batch.tags.join(', ') || '-'],
    ['Engine', batch.engine],
    ['Progress', progress(batch)],
    ['Jobs', counts],
    ['Credits', `${batch.creditsCharged} charged, ${batch.creditsReserved} reserved`],
    ['Created', formatTime(batch.createdAt)],
    ['Completed', batch.completedAt ? formatTime(batch.completedAt) : undefined],
    ['Cancelled', batch.cancelledAt ? formatTime(batch.cancelledAt) : undefined],
  ]);
}

async function resolveBatchId(client: Scrapifie, value: string): Promise<string> {
  const id = value.trim().toLowerCase();
  if (uuidPattern.test(id)) return id;
  if (!/^[0-9a-f-]{4,35}$/.test(id)) throw new UsageError(`"${value}" is not a batch id (a UUID, or its first 8 characters as \`batch list\` shows)`);
  for await (const page of client.batches.pages({ size: 100 })) {
    const matches = page.data.filter((b) => b.id.startsWith(id));
    if (matches.length > 1) throw new UsageError(`"${id}" matches ${matches.length} batches; give more of the id`);
    if (matches.length === 1) return matches[0].id;
  }
  throw new CliError(`No batch with an id starting with ${id}`, exitCodes.notFound);
}
