import { Option, type Command } from 'commander';
import { engines, resultFormats } from '@/lib/jobs';
import type { JobResponse } from '@/lib/schemas/responses';
import type { ApiClient } from '../api-client';
import { action, clientFor, collect, intervalOption, outputOption, seconds, type OutputFormat } from '../command-helpers';
import { CliError, UsageError, exitCodes } from '../errors';
import { jobColumns, jobDetail, jobExitCode, jobRow, progressLine, waitForJob } from '../jobs';
import { note, print, printError, printJson, table } from '../output';
import { submissionFields } from '../server-features';

// scrapifie submit: one job per URL (POST /api/v1/jobs), optionally waiting for them to finish.

type SubmitOptions = {
  url: string[];
  engine?: string;
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
  wait?: boolean;
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
] as const;

export function registerSubmit(program: Command): void {
  program
    .command('submit')
    .description('submit one job per URL')
    .argument('[urls...]', 'URLs to scrape (or use --url)')
    .option('-u, --url <url>', 'a URL to scrape; repeat for several', collect, [])
    .addOption(new Option('-e, --engine <engine>', 'scraping engine (server default: http)').choices(engines))
    .addOption(new Option('-f, --format <format>', 'result format (server default: html)').choices(resultFormats))
    .option('--method <method>', 'HTTP method for the target (server default: GET)')
    .option('-H, --header <header>', 'a request header "Name: value"; repeat for several', collect, [])
    .option('--screenshot [mode]', 'take a screenshot (browser and stealth engines): viewport or fullPage')
    .option('--selector <css>', 'wait for this CSS selector (browser and stealth engines)')
    .option('--proxy-country <code>', 'two-letter proxy country, or auto')
    .option('--job-timeout <seconds>', 'how long the page may take to load', seconds)
    .option('--name <name>', 'a name for the job (if the server supports it)')
    .option('--tags <tags>', 'comma-separated tags (if the server supports them)')
    .option('--priority <priority>', 'job priority (if the server supports it)')
    .option('-w, --wait', 'wait until every job has finished; exit 1 if any did not complete')
    .option('--wait-timeout <seconds>', 'with --wait, give up after this long (exit 1)', seconds)
    .addOption(intervalOption())
    .addOption(outputOption())
    .option('-q, --quiet', 'print only the job ids, one per line')
    .addHelpText(
      'after',
      `
--name, --tags and --priority are sent only if this server's API document
(/api/v1/openapi.json) lists them for POST /api/v1/jobs; otherwise the command stops
with exit code 2 before submitting anything.

With -o json the output is always an array of jobs, one per URL.

Examples:
  $ scrapifie submit https://example.com --format markdown --wait
  $ scrapifie submit --url https://a.example --url https://b.example --engine browser -o json
  $ ID=$(scrapifie submit https://example.com -q) && scrapifie logs "$ID" --follow`,
    )
    .action(
      action(async (urls: string[], options: SubmitOptions, command: Command) => {
        const targets = [...urls, ...options.url];
        if (targets.length === 0) throw new UsageError('Give at least one URL: scrapifie submit <url> or --url <url>.');
        const client = clientFor(command);
        const body = await requestBody(client, options);

        const submitted: JobResponse[] = [];
        let failure: CliError | undefined;
        for (const url of targets) {
          try {
            submitted.push(await client.post<JobResponse>('/api/v1/jobs', { url, ...body }, { feature: 'submitting jobs' }));
          } catch (error) {
            if (!(error instanceof CliError)) throw error;
            // Without a key or a server, the other URLs would meet the same answer.
            if (error.exitCode === exitCodes.auth || error.exitCode === exitCodes.network || targets.length === 1) throw error;
            printError(`${url}: ${error.message}`, error.details);
            failure ??= error;
          }
        }

        const jobs = options.wait
          ? await Promise.all(
              submitted.map((job) =>
                waitForJob(client, job.id, {
                  intervalMs: options.interval * 1000,
                  timeoutMs: options.waitTimeout && options.waitTimeout * 1000,
                  onChange: options.output === 'table' && !options.quiet ? progressLine : undefined,
                }),
              ),
            )
          : submitted;

        if (options.quiet) jobs.forEach((job) => print(job.id));
        else if (options.output === 'json') printJson(jobs);
        else if (jobs.length === 1) print(jobDetail(jobs[0]));
        else if (jobs.length > 0) print(table(jobColumns, jobs.map(jobRow)));

        if (failure) return failure.exitCode;
        if (!options.wait) return exitCodes.ok;
        const code = jobExitCode(jobs);
        if (code !== exitCodes.ok && options.output === 'table' && !options.quiet && jobs.length > 1) {
          note(`${jobs.filter((job) => job.status !== 'completed').length} of ${jobs.length} jobs did not complete.`);
        }
        return code;
      }),
    );
}

async function requestBody(client: ApiClient, options: SubmitOptions): Promise<Record<string, unknown>> {
  const body: Record<string, unknown> = {};
  if (options.engine) body.engine = options.engine;
  if (options.format) body.format = options.format;
  if (options.method) body.method = options.method.toUpperCase();
  if (options.header.length) body.headers = Object.fromEntries(options.header.map(parseHeader));
  if (options.screenshot !== undefined) body.screenshot = options.screenshot === true ? true : options.screenshot;
  if (options.selector) body.waitForSelector = options.selector;
  if (options.proxyCountry) body.proxyCountry = options.proxyCountry;
  if (options.jobTimeout) body.timeoutMs = Math.round(options.jobTimeout * 1000);

  const requested = optionalFields.filter(([field]) => options[field] !== undefined);
  if (requested.length === 0) return body;
  const fields = await submissionFields(client);
  for (const [field, flag] of requested) {
    const schema = fields[field];
    if (!schema) {
      throw new UsageError(`This server does not support ${flag} yet: POST /api/v1/jobs has no "${field}" field in its API document.`);
    }
    const value = options[field]!;
    if (schema.type === 'array') body[field] = value.split(',').map((tag) => tag.trim()).filter(Boolean);
    else if (schema.type === 'integer' || schema.type === 'number') {
      if (!Number.isFinite(Number(value))) throw new UsageError(`${flag} must be a number on this server.`);
      body[field] = Number(value);
    } else body[field] = value;
  }
  return body;
}

function parseHeader(header: string): [string, string] {
  const index = header.indexOf(':');
  if (index <= 0) throw new UsageError(`Invalid header "${header}": expected "Name: value".`);
  return [header.slice(0, index).trim(), header.slice(index + 1).trim()];
}
