import { Option, type Command } from 'commander';
import type { JobSummary } from '@/packages/sdk/src/index';
import { action, clientFor, outputOption, positiveWholeNumber, type OutputFormat } from '../command-helpers';
import { addFilterOptions, filterQuery, requireLabelFilters, type FilterOptions } from '../filters';
import { jobColumns, jobRow } from '../jobs';
import { note, print, printJson, table } from '../output';

// scrapifie list: GET /api/v1/jobs, page by page up to --limit (the SDK's page iterator).

type ListOptions = FilterOptions & { sort?: string; order?: string; limit: number; output: OutputFormat };

export function registerList(program: Command): void {
  addFilterOptions(program.command('list').alias('ls').description('list jobs, newest first'))
    .option('--sort <column>', 'sort by status, engine, apiKey, credits, duration or createdAt')
    .addOption(new Option('--order <order>', 'sort order').choices(['asc', 'desc']))
    .option('-n, --limit <n>', 'show at most n jobs', positiveWholeNumber, 25)
    .addOption(outputOption())
    .addHelpText(
      'after',
      `
The table shows the first 8 characters of each id; every command accepts them. A job is one
URL, so its progress is 0/1 until it has ended and 1/1 after (batches: scrapifie batch list).
With -o json the output is an array of jobs as GET /api/v1/jobs returns them.

Examples:
  $ scrapifie list --status failed --limit 100
  $ scrapifie list --status running --priority high
  $ scrapifie list --engine browser --from 2026-03-01 -o json | jq -r '.[].id'
  $ scrapifie list --tag nightly,prices --priority high --name report`,
    )
    .action(
      action(async (options: ListOptions, command: Command) => {
        const client = clientFor(command);
        await requireLabelFilters(client, options, 'GET /api/v1/jobs');
        const size = options.limit <= 25 ? 25 : options.limit <= 50 ? 50 : 100;
        const jobs: JobSummary[] = [];
        let total = 0;
        const query = { ...filterQuery(options), sort: options.sort as 'createdAt' | undefined, order: options.order as 'asc' | 'desc' | undefined, size } as const;
        for await (const page of client.jobs.pages(query)) {
          jobs.push(...page.data.slice(0, options.limit - jobs.length));
          total = page.total;
          if (jobs.length >= options.limit) break;
        }

        if (options.output === 'json') return printJson(jobs);
        if (jobs.length === 0) return note('No jobs found.');
        print(table(jobColumns, jobs.map(jobRow)));
        if (total > jobs.length) note(`Showing ${jobs.length} of ${total} jobs (use --limit for more).`);
      }),
    );
}
