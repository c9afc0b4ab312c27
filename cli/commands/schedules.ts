import { Option, type Command } from 'commander';
import { uuidPattern } from '@/lib/jobs';
import type { CreateScheduleRequest, Schedule, ScheduleRun, Scrapifie } from '@/packages/sdk/src/index';
import { action, clientFor, outputOption, positiveWholeNumber, type OutputFormat } from '../command-helpers';
import { addCrawlOptions, addPageJobOptions, crawlBody, hasCrawlFlags, pageJobBody, type CrawlFlags, type PageJobFlags } from '../crawl-options';
import { CliError, UsageError, exitCodes } from '../errors';
import { shortId } from '../jobs';
import { colorStatus, formatTime, keyValues, note, paint, print, printJson, table } from '../output';

// scrapifie schedules list | create | show | pause | resume | delete | runs: /api/v1/schedules.
// A schedule starts a job (one URL), a batch (several) or a crawl (--crawl) on a cron expression.

export function registerSchedules(program: Command): void {
  const schedules = program.command('schedules').alias('schedule').description('schedules: a job, batch or crawl started on a cron expression');

  schedules
    .command('list')
    .alias('ls')
    .description('list schedules, newest first, with their next run and last outcome')
    .option('-n, --limit <n>', 'show at most n schedules', positiveWholeNumber, 25)
    .addOption(outputOption())
    .action(
      action(async (options: { limit: number; output: OutputFormat }, command: Command) => {
        const found = await allSchedules(clientFor(command), options.limit);
        if (options.output === 'json') return printJson(found);
        if (found.length === 0) return note('No schedules found.');
        print(
          table(
            [{ header: 'ID' }, { header: 'Name' }, { header: 'Cron' }, { header: 'Time zone' }, { header: 'Status' }, { header: 'Next run' }, { header: 'Last run' }],
            found.map((s) => [shortId(s.id), s.name, s.cron, s.timezone, colorStatus(s.status), formatTime(s.nextRunAt), s.lastRun ? s.lastRun.outcome : '-']),
          ),
        );
      }),
    );

  const create = schedules
    .command('create')
    .description('create a schedule: one URL makes a job per run, several make a batch, --crawl makes a crawl')
    .argument('<urls...>', 'the URL(s) each run scrapes; with --crawl, the one start URL')
    .requiredOption('--name <name>', "the schedule's name")
    .requiredOption('--cron <expression>', 'five fields: minute hour day-of-month month day-of-week, e.g. "0 6 * * *"')
    .option('--timezone <zone>', 'the IANA time zone the expression is read in', 'UTC')
    .addOption(new Option('--overlap <mode>', "skip a run while the previous one's job, batch or crawl is unfinished, or queue it").choices(['skip', 'queue']).default('skip'))
    .option('--paused', 'create it paused')
    .option('--crawl', 'each run crawls the site from the URL (with --max-pages and the crawl options below)');
  addPageJobOptions(create, { tagHelp: 'a tag for every job it makes (repeatable)' });
  addCrawlOptions(create)
    .addOption(outputOption())
    .addHelpText(
      'after',
      `
Examples:
  $ scrapifie schedules create https://example.com/prices --name "Prices" --cron "0 7 * * *" --timezone Europe/Paris -f markdown --track-changes
  $ scrapifie schedules create https://a.example https://b.example --name "Two pages" --cron "0 * * * *" --overlap queue
  $ scrapifie schedules create https://example.com/docs/ --crawl --max-pages 500 --max-depth 3 --include "/docs/**" --name "Docs nightly" --cron "0 3 * * *" --track-changes
  $ scrapifie schedules create https://shop.example/p/1 --name "Price" --cron "*/30 * * * *" --extract '{"price":".price"}'`,
    )
    .action(
      action(
        async (
          urls: string[],
          options: { name: string; cron: string; timezone: string; overlap: 'skip' | 'queue'; paused?: boolean; crawl?: boolean; output: OutputFormat } & PageJobFlags & CrawlFlags,
          command: Command,
        ) => {
          const { name, cron, timezone, overlap, paused, crawl, output, engine, format, tag, extract, trackChanges, ...crawlFlags } = options;
          const shared = pageJobBody({ engine, format, tag, extract, trackChanges });
          let target: Record<string, unknown>;
          if (crawl) {
            if (urls.length !== 1) throw new UsageError('--crawl takes one start URL.');
            if (crawlFlags.maxPages === undefined) throw new UsageError('--crawl needs --max-pages: the most pages each run fetches.');
            target = { type: 'crawl', url: urls[0], ...shared, ...crawlBody(crawlFlags) };
          } else {
            if (hasCrawlFlags(crawlFlags)) throw new UsageError('--max-pages and the other crawl options need --crawl.');
            target = urls.length === 1 ? { type: 'job', url: urls[0], ...shared } : { type: 'batch', urls, ...shared };
          }
          const body = { name, cron, timezone, overlap, paused: paused ?? false, target } as CreateScheduleRequest;
          const created = await clientFor(command).schedules.create(body);
          if (output === 'json') return printJson(created);
          print(scheduleDetail(created));
        },
      ),
    );

  schedules
    .command('show')
    .alias('status')
    .description('a schedule: its definition, next 5 runs and last run')
    .argument('<id>', 'schedule id, or its first 8 characters')
    .addOption(outputOption())
    .action(
      action(async (idArgument: string, options: { output: OutputFormat }, command: Command) => {
        const client = clientFor(command);
        const found = await client.schedules.get(await resolveScheduleId(client, idArgument));
        if (options.output === 'json') return printJson(found);
        print(scheduleDetail(found));
      }),
    );

  for (const [name, description] of [
    ['pause', 'pause a schedule: no runs until it is resumed'],
    ['resume', 'resume a schedule from its next time after now'],
  ] as const) {
    schedules
      .command(name)
      .description(description)
      .argument('<id>', 'schedule id, or its first 8 characters')
      .action(
        action(async (idArgument: string, _options: object, command: Command) => {
          const client = clientFor(command);
          const id = await resolveScheduleId(client, idArgument);
          const updated = name === 'pause' ? await client.schedules.pause(id) : await client.schedules.resume(id);
          print(`Schedule ${shortId(updated.id)} is ${updated.status}${updated.nextRunAt ? `; next run ${formatTime(updated.nextRunAt)}` : ''}.`);
        }),
      );
  }

  schedules
    .command('delete')
    .alias('rm')
    .description('delete a schedule and its run history (the jobs, batches and crawls it made stay)')
    .argument('<id>', 'schedule id, or its first 8 characters')
    .action(
      action(async (idArgument: string, _options: object, command: Command) => {
        const client = clientFor(command);
        const deleted = await client.schedules.delete(await resolveScheduleId(client, idArgument));
        print(`Deleted schedule ${shortId(deleted.id)}.`);
      }),
    );

  schedules
    .command('runs')
    .description("a schedule's run history, latest first: created, skipped (overlap) or refused, with the reason")
    .argument('<id>', 'schedule id, or its first 8 characters')
    .option('-n, --limit <n>', 'show at most n runs', positiveWholeNumber, 25)
    .addOption(outputOption())
    .action(
      action(async (idArgument: string, options: { limit: number; output: OutputFormat }, command: Command) => {
        const client = clientFor(command);
        const id = await resolveScheduleId(client, idArgument);
        const runs: ScheduleRun[] = [];
        for (let page = 1; runs.length < options.limit; page += 1) {
          const reply = await client.schedules.runs(id, { page, size: 100 });
          runs.push(...reply.data.slice(0, options.limit - runs.length));
          if (page >= reply.totalPages) break;
        }
        if (options.output === 'json') return printJson(runs);
        if (runs.length === 0) return note('No runs yet.');
        print(
          table(
            [{ header: 'Scheduled for' }, { header: 'Ran at' }, { header: 'Outcome' }, { header: 'Made' }, { header: 'Reason' }],
            runs.map((run) => [formatTime(run.scheduledFor), formatTime(run.ranAt), outcomeColor(run.outcome), made(run), run.reason ?? '']),
          ),
        );
      }),
    );
  schedules.addHelpText('after', "\nA run's job: scrapifie status <job id>; its batch: scrapifie batch status <batch id>; its crawl: scrapifie crawls show <crawl id>.");
}

function made(run: ScheduleRun): string {
  if (run.jobId) return `job ${run.jobId}`;
  if (run.batchId) return `batch ${run.batchId}`;
  if (run.crawlId) return `crawl ${run.crawlId}`;
  return '-';
}

function outcomeColor(outcome: ScheduleRun['outcome']): string {
  const c = paint();
  if (outcome === 'created') return c.green(outcome);
  return outcome === 'refused' ? c.red(outcome) : c.yellow(outcome);
}

function describeTarget(target: Schedule['target']): string {
  if (target.type === 'job') return `job ${target.url}`;
  if (target.type === 'batch') return `batch of ${target.urls.length} URLs`;
  return `crawl from ${target.url} (up to ${target.maxPages} pages, depth ${target.maxDepth})`;
}

function scheduleDetail(schedule: Schedule): string {
  const target = describeTarget(schedule.target);
  return keyValues([
    ['Schedule', schedule.id],
    ['Name', schedule.name],
    ['Status', colorStatus(schedule.status)],
    ['Cron', schedule.description ? `${schedule.cron} (${schedule.description})` : schedule.cron],
    ['Time zone', schedule.timezone],
    ['Overlap', schedule.overlap],
    ['Target', `${target}, ${schedule.target.engine} engine, ${schedule.target.format}`],
    ['Next runs', schedule.nextRuns.length ? schedule.nextRuns.map(formatTime).join('\n' + ' '.repeat(12)) : '-'],
    ['Last run', schedule.lastRun ? `${schedule.lastRun.outcome} at ${formatTime(schedule.lastRun.ranAt)}${schedule.lastRun.reason ? `: ${schedule.lastRun.reason}` : ''}` : '-'],
    ['Created', formatTime(schedule.createdAt)],
  ]);
}

async function allSchedules(client: Scrapifie, limit: number): Promise<Schedule[]> {
  const found: Schedule[] = [];
  for (let page = 1; found.length < limit; page += 1) {
    const reply = await client.schedules.list({ page, size: 100 });
    found.push(...reply.data.slice(0, limit - found.length));
    if (page >= reply.totalPages) break;
  }
  return found;
}

async function resolveScheduleId(client: Scrapifie, value: string): Promise<string> {
  const id = value.trim().toLowerCase();
  if (uuidPattern.test(id)) return id;
  if (!/^[0-9a-f-]{4,35}$/.test(id)) throw new UsageError(`"${value}" is not a schedule id (a UUID, or its first 8 characters as \`schedules list\` shows)`);
  const matches = (await allSchedules(client, Number.MAX_SAFE_INTEGER)).filter((s) => s.id.startsWith(id));
  if (matches.length > 1) throw new UsageError(`"${id}" matches ${matches.length} schedules; give more of the id`);
  if (matches.length === 1) return matches[0].id;
  throw new CliError(`No schedule with an id starting with ${id}`, exitCodes.notFound);
}
