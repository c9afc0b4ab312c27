import { Option, type Command } from 'commander';
import { engines, resultFormats } from '@/lib/jobs';
import type { Batch, CreateJobRequest, Job, JobSummary, Scrapifie } from '@/packages/sdk/src/index';
import { cliErrorFrom } from '../client';
import { action, clientFor, collect, intervalOption, jsonObjectOrFile, outputOption, seconds, type OutputFormat } from '../command-helpers';
import { CliError, UsageError, exitCodes } from '../errors';
import { apiPriority, priorityChoices } from '../filters';
import { jobColumns, jobDetail, jobExitCode, jobRow, progressLine, shortId } from '../jobs';
import { colorLevel, formatTime, note, print, printJson, table } from '../output';
import { submissionFields } from '../server-features';

// scrapifie submit: one URL is a job (POST /api/v1/jobs); several are one batch
// (POST /api/v1/batches), as the RipTide CLI's `submit --url a --url b` is one job of N URLs.
// --wait follows them to the end; --stream also shows the job's log live, or the batch's N/M.

type SubmitOptions = {
  url: string[];
  engine?: string;
  strategy?: string;
  format?: string;
  method?: string;
  header: string[];
  screenshot?: boolean | string;
  selector?: string;
  proxyCountry?: string;
  jobTimeout?: number;
  name?: string;
  tags?: string;
  priority?: string;
  extract?: Record<string, unknown>;
  trackChanges?: boolean;
  wait?: boolean;
  stream?: boolean;
  waitTimeout?: number;
  interval: number;
  output: OutputFormat;
  quiet?: boolean;
};

/** Flags the API may not accept yet: sent only when the server's OpenAPI document lists the field. */
const optionalFields = [
  ['name', '--name'],
  ['tags', '--tags'],
  ['priority', '--priority'],
  ['extract', '--extract'],
  ['trackChanges', '--track-changes'],
] as const;

export function registerSubmit(program: Command): void {
  program
    .command('submit')
    .description('submit URLs: one URL is a job, several are one batch (a job per URL)')
    .argument('[urls...]', 'URLs to scrape (or use --url)')
    .option('-u, --url <url>', 'a URL to scrape; repeat for several', collect, [])
    .addOption(new Option('-e, --engine <engine>', 'scraping engine (server default: http)').choices(engines))
    .addOption(new Option('--strategy <engine>', 'the same as --engine (auto: the server default)').choices([...engines, 'auto']))
    .addOption(new Option('-f, --format <format>', 'result format (server default: html)').choices(resultFormats))
    .option('--method <method>', 'HTTP method for the target (server default: GET)')
    .option('-H, --header <header>', 'a request header "Name: value"; repeat for several', collect, [])
    .option('--screenshot [mode]', 'take a screenshot (browser and stealth engines): viewport or fullPage')
    .option('--selector <css>', 'wait for this CSS selector (browser and stealth engines)')
    .option('--proxy-country <code>', 'two-letter proxy country, or auto')
    .option('--job-timeout <seconds>', 'how long the page may take to load', seconds)
    .option('--name <name>', 'a name for the job or batch')
    .option('--tags <tags>', 'comma-separated tags')
    .addOption(new Option('--priority <priority>', 'low, medium (= normal), high or critical (= urgent); normal and urgent work too').choices(priorityChoices))
    .option('--extract <json|@file>', 'extraction rules: field → CSS selector JSON, or a JSON Schema with x-selector (inline or @file.json)', jsonObjectOrFile)
    .option('--track-changes', 'compare the content with the previous run of the same URL: new, same, changed or removed')
    .option('-w, --wait', 'wait until every job has finished; exit 1 if any did not complete')
    .option('--stream', "like --wait, showing the job's log as it is written, or the batch's progress (N/M)")
    .option('--wait-timeout <seconds>', 'with --wait or --stream, give up after this long (exit 1)', seconds)
    .addOption(intervalOption())
    .addOption(outputOption())
    .option('-q, --quiet', 'print only the job ids, one per line')
    .addHelpText(
      'after',
      `
Several URLs make one batch: every job shares the options, name, tags and priority, and
\`scrapifie batch status <id>\` follows it. Priorities: low, medium, high and critical are the
API's low, normal, high and urgent (higher priorities are picked up first). --strategy is
--engine under the RipTide CLI's name. --stream and --wait follow the live stream when the
server has one, and otherwise poll every --interval seconds; the log (or progress) goes to
stderr, the jobs to stdout.

--extract reads fields from the page into the job's \`extracted\` document: a JSON object of
field → CSS selector ("h1"), or { "selector", "attr", "multiple", "fields" } for attributes,
lists and nested lists; a missing field fails the job with EXTRACTION_FAILED naming it.
--track-changes compares each run with the previous one of the same URL (the job's Change).

--name, --tags, --priority, --extract and --track-changes are sent only if this server's API
document (/api/v1/openapi.json) lists them; otherwise the command stops with exit code 2
before submitting anything.

With -o json the output is always an array of jobs, one per URL (a batch's as GET /api/v1/jobs
lists them).

Examples:
  $ scrapifie submit https://example.com --format markdown --wait
  $ scrapifie submit --url https://a.example --url https://b.example --strategy browser --name "my-extraction" --priority high --tags production,important --stream
  $ ID=$(scrapifie submit https://example.com -q) && scrapifie logs "$ID" --follow
  $ scrapifie submit https://shop.example/p/1 --extract '{"title":"h1","price":".price"}' --wait
  $ scrapifie submit https://shop.example/p/1 --extract @rules.json --track-changes -o json`,
    )
    .action(
      action(async (urls: string[], options: SubmitOptions, command: Command) => {
        const targets = [...urls, ...options.url];
        if (targets.length === 0) throw new UsageError('Give at least one URL: scrapifie submit <url> or --url <url>.');
        if (options.engine && options.strategy && options.strategy !== 'auto' && options.strategy !== options.engine) {
          throw new UsageError('--engine and --strategy name the same option; give one of them.');
        }
        const client = clientFor(command);
        const follow = options.wait || options.stream;
        const timeoutMs = options.waitTimeout && options.waitTimeout * 1000;
        const chatty = options.output === 'table' && !options.quiet;

        if (targets.length === 1) {
          const body = await requestBody(client, options, '/api/v1/jobs');
          let job = await client.jobs.submit({ ...body, url: targets[0] } as CreateJobRequest);
          if (options.stream) job = await streamJob(client, job, timeoutMs);
          else if (follow) job = await client.jobs.wait(job.id, { timeoutMs, onUpdate: chatty ? progressLine : undefined });
          if (options.quiet) print(job.id);
          else if (options.output === 'json') printJson([job]);
          else print(jobDetail(job));
          return follow ? jobExitCode([job]) : exitCodes.ok;
        }

        const body = await requestBody(client, options, '/api/v1/batches');
        let batch = await client.batches.create({ ...body, urls: targets } as Parameters<Scrapifie['batches']['create']>[0]);
        if (chatty) note(`Batch ${batch.id}: ${batch.total} jobs`);
        if (follow) {
          const controller = new AbortController();
          const timer = timeoutMs ? setTimeout(() => controller.abort(new CliError(`Gave up waiting: batch ${batch.id} is still active after ${Math.round(timeoutMs / 1000)} s`)), timeoutMs) : undefined;
          try {
            batch = await client.batches.wait(batch.id, { signal: controller.signal, onUpdate: options.stream && chatty ? progressOf : undefined });
          } catch (error) {
            throw controller.signal.aborted ? controller.signal.reason : cliErrorFrom(error, 'batches');
          } finally {
            clearTimeout(timer);
          }
        }
        const jobs = inUrlOrder(await batchJobs(client, batch.id), targets);
        if (options.quiet) jobs.forEach((job) => print(job.id));
        else if (options.output === 'json') printJson(jobs);
        else print(table(jobColumns, jobs.map(jobRow)));
        if (!follow) return exitCodes.ok;
        const code = jobExitCode(jobs);
        if (code !== exitCodes.ok && chatty) note(`${jobs.filter((job) => job.status !== 'completed').length} of ${jobs.length} jobs did not complete.`);
        return code;
      }),
    );
}

/** The job's log on stderr as it is written, then the job as it ended. */
async function streamJob(client: Scrapifie, job: Job, timeoutMs: number | undefined): Promise<Job> {
  const signal = timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined;
  try {
    for await (const update of client.jobs.follow(job.id, { signal })) {
      if (update.type === 'log') note(`${formatTime(update.entry.timestamp)} ${colorLevel(update.entry.level)} ${update.entry.message}`);
      if (update.type === 'end') return update.job;
    }
  } catch (error) {
    if (signal?.aborted) throw new CliError(`Gave up waiting: job ${job.id} did not finish within ${Math.round(timeoutMs! / 1000)} s`, exitCodes.failure);
    throw error;
  }
  return client.jobs.get(job.id);
}

/** `3f0c1c8e  12/100 (12%)  80 queued, 8 processing, 11 completed, 1 failed` on stderr. */
function progressOf(batch: Batch): void {
  const counts = Object.entries(batch.counts)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  note(`${formatTime(new Date().toISOString()).slice(11)}  batch ${shortId(batch.id)}  ${batch.finished}/${batch.total} (${Math.round(batch.percent)}%)  ${counts}`);
}

async function batchJobs(client: Scrapifie, batchId: string): Promise<JobSummary[]> {
  const jobs: JobSummary[] = [];
  for await (const job of client.jobs.all({ batch: batchId, size: 100 })) jobs.push(job);
  return jobs;
}

/** The batch's jobs in the order their URLs were given. */
function inUrlOrder(jobs: JobSummary[], urls: string[]): JobSummary[] {
  const left = [...jobs].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  const ordered: JobSummary[] = [];
  for (const url of urls) {
    const index = left.findIndex((job) => job.url === url.trim());
    if (index >= 0) ordered.push(...left.splice(index, 1));
  }
  return [...ordered, ...left];
}

async function requestBody(client: Scrapifie, options: SubmitOptions, path: '/api/v1/jobs' | '/api/v1/batches'): Promise<Record<string, unknown>> {
  const body: Record<string, unknown> = {};
  const engine = options.engine ?? (options.strategy === 'auto' ? undefined : options.strategy);
  if (engine) body.engine = engine;
  if (options.format) body.format = options.format;
  if (options.method) body.method = options.method.toUpperCase();
  if (options.header.length) body.headers = Object.fromEntries(options.header.map(parseHeader));
  if (options.screenshot !== undefined) body.screenshot = options.screenshot === true ? true : options.screenshot;
  if (options.selector) body.waitForSelector = options.selector;
  if (options.proxyCountry) body.proxyCountry = options.proxyCountry;
  if (options.jobTimeout) body.timeoutMs = Math.round(options.jobTimeout * 1000);

  const requested = optionalFields.filter(([field]) => options[field] !== undefined);
  if (requested.length === 0) return body;
  const fields = await submissionFields(client, path);
  for (const [field, flag] of requested) {
    if (!fields[field]) {
      throw new UsageError(`This server does not support ${flag} yet: POST ${path} has no "${field}" field in its API document.`);
    }
    const value = options[field]!;
    if (field === 'tags' && typeof value === 'string') body.tags = value.split(',').map((tag) => tag.trim()).filter(Boolean);
    else if (field === 'priority' && typeof value === 'string') body.priority = apiPriority(value);
    else body[field] = value;
  }
  return body;
}

function parseHeader(header: string): [string, string] {
  const index = header.indexOf(':');
  if (index <= 0) throw new UsageError(`Invalid header "${header}": expected "Name: value".`);
  return [header.slice(0, index).trim(), header.slice(index + 1).trim()];
}

