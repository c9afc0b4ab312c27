import { Option, type Command } from 'commander';
import { engines, resultFormats, uuidPattern } from '@/lib/jobs';
import type { CreateScheduleRequest, Schedule, ScheduleRun, Scrapifie } from '@/packages/sdk/src/index';
import { action, clientFor, collect, outputOption, positiveWholeNumber, type OutputFormat } from '../command-helpers';
import { CliError, UsageError, exitCodes } from '../errors';
import { shortId } from '../jobs';
import { colorStatus, formatTime, keyValues, note, paint, print, printJson, table } from '../output';

// scrapifie schedules list | create | show | pause | resume | delete | runs: /api/v1/schedules.
// A schedule starts a job (one URL) or a batch (several) on a cron expression.

export function registerSchedules(program: Command): void {
  const schedules = program.command('schedules').alias('schedule').description('schedules: a job or batch started on a cron expression');

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

  schedules
    .command('create')
    .description('create a schedule: one URL makes a job per run, several make a batch')
    .argument('<urls...>', 'the URL(s) each run scrapes')
    .requiredOption('--name <name>', "the schedule's name")
    .requiredOption('--cron <expression>', 'five fields: minute hour day-of-month month day-of-week, e.g. "0 6 * * *"')
    .option('--timezone <zone>', 'the IANA time zone the expression is read in', 'UTC')
    .addOption(new Option('--overlap <mode>', "skip a run while the previous one's job is unfinished, or queue it").choices(['skip', 'queue']).default('skip'))
    .addOption(new Option('-e, --engine <engine>', 'scraping engine (server default: http)').choices(engines))
    .addOption(new Option('-f, --format <format>', 'result format (server default: html)').choices(resultFormats))
    .option('-t, --tag <tag>', 'a tag for every job it makes (repeatable)', collect)
    .option('--paused', 'create it paused')
    .addOption(outputOption())
    .action(
      action(
        async (
          urls: string[],
          options: { name: string; cron: string; timezone: string; overlap: 'skip' | 'queue'; engine?: string; format?: string; tag?: string[]; paused?: boolean; output: OutputFormat },
          command: Command,
        ) => {
          const shared = { ...(options.engine ? { engine: options.engine } : {}), ...(options.format ? { format: options.format } : {}), ...(options.tag ? { tags: options.tag } : {}) };
          const target = urls.length === 1 ? { type: 'job', url: urls[0], ...shared } : { type: 'batch', urls, ...shared };
          const body = { name: options.name, cron: options.cron, timezone: options.timezone, overlap: options.overlap, paused: options.paused ?? false, target } as CreateScheduleRequest;
          const created = await clientFor(command).schedules.create(body);
          if (options.output === 'json') return printJson(created);
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
    .description('delete a schedule and its run history (the jobs and batches it made stay)')
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
  schedules.addHelpText('after', '\nA run\'s job: scrapifie status <job id>; its batch: scrapifie batch status <batch id>.');
}

function made(run: ScheduleRun): string {
  if (run.jobId) return `job ${run.jobId}`;
  if (run.batchId) return `batch ${run.batchId}`;
  return '-';
}

function outcomeColor(outcome: ScheduleRun['outcome']): string {
  const c = paint();
  if (outcome === 'created') return c.green(outcome);
  return outcome === 'refused' ? c.red(outcome) : c.yellow(outcome);
}

function scheduleDetail(schedule: Schedule): string {
  const target = schedule.target.type === 'job' ? `job ${schedule.target.url}` : `batch of ${schedule.target.urls.length} URLs`;
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
