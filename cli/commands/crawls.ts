import { Option, type Command } from 'commander';
import { uuidPattern } from '@/lib/jobs';
import { crawlPageOutcomes, crawlSkipReasons } from '@/lib/schemas/crawls';
import type { Crawl, CrawlPage, CreateCrawlRequest, Scrapifie } from '@/packages/sdk/src/index';
import { action, clientFor, intervalOption, outputOption, positiveWholeNumber, wholeNumber, type OutputFormat } from '../command-helpers';
import { addCrawlOptions, addPageJobOptions, crawlBody, pageJobBody, type CrawlFlags, type PageJobFlags } from '../crawl-options';
import { CliError, UsageError, exitCodes } from '../errors';
import { shortId } from '../jobs';
import { colorStatus, formatTime, keyValues, note, print, printJson, table } from '../output';

// scrapifie crawls list | create | show | cancel | pages: /api/v1/crawls. A crawl fetches a site
// from a start URL within its limits; every page is an ordinary job (scrapifie list, status, logs).

export function registerCrawls(program: Command): void {
  const crawls = program.command('crawls').alias('crawl').description('crawls: a site fetched from a start URL, a job per page');

  crawls
    .command('list')
    .alias('ls')
    .description('list crawls, newest first, with their progress')
    .option('-n, --limit <n>', 'show at most n crawls', positiveWholeNumber, 25)
    .addOption(outputOption())
    .action(
      action(async (options: { limit: number; output: OutputFormat }, command: Command) => {
        const found = await allCrawls(clientFor(command), options.limit);
        if (options.output === 'json') return printJson(found);
        if (found.length === 0) return note('No crawls found.');
        print(
          table(
            [
              { header: 'ID' },
              { header: 'Name' },
              { header: 'Status' },
              { header: 'Pages', align: 'right' },
              { header: 'Skipped', align: 'right' },
              { header: 'Credits', align: 'right' },
              { header: 'Created' },
              { header: 'URL', shrink: true },
            ],
            found.map((c) => [shortId(c.id), c.name ?? '-', colorStatus(c.status), pagesDone(c), String(c.progress.skipped), String(c.creditsCharged + c.creditsReserved), formatTime(c.createdAt), c.url]),
          ),
        );
      }),
    );

  const create = crawls
    .command('create')
    .description('start a crawl from a URL: its links are followed within the limits, each page a job')
    .argument('<url>', 'the start URL (depth 0)')
    .option('--name <name>', 'a name for the crawl');
  addPageJobOptions(create, { tagHelp: 'a tag for every page job (repeatable)' });
  addCrawlOptions(create)
    .option('-w, --wait', 'wait until every page has finished; exit 1 if any page failed or the crawl stopped early')
    .addOption(intervalOption())
    .addOption(outputOption())
    .option('-q, --quiet', 'print only the crawl id')
    .addHelpText(
      'after',
      `
--max-pages is required: the crawl never fetches (or reserves credits for) more pages. Pages are
found from links (<a href>, canonical; the rendered page with a browser engine), normalised and
deduplicated; those not fetched are skipped with a reason (robots, pattern, depth, limit,
other_host), which \`scrapifie crawls pages <id> --outcome skipped\` lists.

Examples:
  $ scrapifie crawls create https://example.com/docs/ --max-pages 200 --max-depth 3 --include "/docs/**" --wait
  $ scrapifie crawls create https://example.com/ --max-pages 1000 --map --sitemap -q
  $ scrapifie crawls create https://shop.example/ --max-pages 50 --extract @rules.json --track-changes -f markdown`,
    )
    .action(
      action(
        async (
          url: string,
          options: { name?: string; wait?: boolean; output: OutputFormat; quiet?: boolean } & PageJobFlags & CrawlFlags,
          command: Command,
        ) => {
          const { name, wait, output, quiet, engine, format, tag, extract, trackChanges, ...crawlFlags } = options;
          if (crawlFlags.maxPages === undefined) throw new UsageError('--max-pages is required: the most pages the crawl may fetch.');
          const client = clientFor(command);
          const body = { url, ...(name ? { name } : {}), ...pageJobBody({ engine, format, tag, extract, trackChanges }), ...crawlBody(crawlFlags) } as CreateCrawlRequest;
          let crawl = await client.crawls.create(body);
          const chatty = output === 'table' && !quiet;
          if (chatty && wait) note(`Crawl ${crawl.id}: started at ${crawl.url}`);
          if (wait) crawl = await client.crawls.wait(crawl.id, { onUpdate: chatty ? progressLine : undefined });
          if (quiet) print(crawl.id);
          else if (output === 'json') printJson(crawl);
          else print(crawlDetail(crawl));
          return wait ? crawlExitCode(crawl) : exitCodes.ok;
        },
      ),
    );

  crawls
    .command('show')
    .alias('status')
    .description("a crawl's progress: pages per state, skipped URLs per reason, URLs per depth, credits")
    .argument('<id>', 'crawl id, or its first 8 characters')
    .option('-w, --watch', 'follow its progress until every page has finished; exit 1 if any page failed')
    .addOption(intervalOption())
    .addOption(outputOption())
    .action(
      action(async (idArgument: string, options: { watch?: boolean; output: OutputFormat }, command: Command) => {
        const client = clientFor(command);
        const id = await resolveCrawlId(client, idArgument);
        const crawl = options.watch ? await client.crawls.wait(id, { onUpdate: options.output === 'table' ? progressLine : undefined }) : await client.crawls.get(id);
        if (options.output === 'json') printJson(crawl);
        else print(crawlDetail(crawl));
        return options.watch ? crawlExitCode(crawl) : exitCodes.ok;
      }),
    );

  crawls
    .command('cancel')
    .description('cancel a crawl: discovery stops and its queued pages are cancelled at once (cancelled pages cost nothing)')
    .argument('<id>', 'crawl id, or its first 8 characters')
    .action(
      action(async (idArgument: string, _options: object, command: Command) => {
        const client = clientFor(command);
        const crawl = await client.crawls.cancel(await resolveCrawlId(client, idArgument));
        print(`Cancelled crawl ${shortId(crawl.id)}: ${crawl.progress.done} of ${crawl.progress.pages} pages done.`);
      }),
    );

  crawls
    .command('pages')
    .description("a crawl's ledger: every URL with its depth and outcome, the error type of a failed page, the reason a URL was skipped")
    .argument('<id>', 'crawl id, or its first 8 characters')
    .addOption(new Option('--outcome <outcome>', 'only URLs with this outcome').choices(crawlPageOutcomes))
    .addOption(new Option('--reason <reason>', 'only URLs skipped for this reason').choices(crawlSkipReasons))
    .option('--depth <n>', 'only URLs at this depth', wholeNumber)
    .option('--search <text>', 'only URLs containing this text')
    .option('-n, --limit <n>', 'show at most n URLs', positiveWholeNumber, 100)
    .addOption(outputOption())
    .addHelpText(
      'after',
      `
Examples:
  $ scrapifie crawls pages 5b1f8f3e --outcome failed
  $ scrapifie crawls pages 5b1f8f3e --outcome skipped --reason robots -o json`,
    )
    .action(
      action(
        async (
          idArgument: string,
          options: { outcome?: CrawlPage['outcome']; reason?: NonNullable<CrawlPage['skipReason']>; depth?: number; search?: string; limit: number; output: OutputFormat },
          command: Command,
        ) => {
          const client = clientFor(command);
          const id = await resolveCrawlId(client, idArgument);
          const filters = { outcome: options.outcome, reason: options.reason, depth: options.depth, q: options.search };
          const pages: CrawlPage[] = [];
          for (let page = 1; pages.length < options.limit; page += 1) {
            const reply = await client.crawls.pages(id, { ...filters, page, size: Math.min(1000, options.limit) });
            pages.push(...reply.data.slice(0, options.limit - pages.length));
            if (page >= reply.totalPages) break;
          }
          if (options.output === 'json') return printJson(pages);
          if (pages.length === 0) return note('No URLs match.');
          print(
            table(
              [{ header: 'Depth', align: 'right' }, { header: 'Outcome' }, { header: 'Reason / error' }, { header: 'Job' }, { header: 'URL', shrink: true }],
              pages.map((p) => [String(p.depth), colorStatus(p.outcome), p.skipReason ?? p.errorType ?? '', p.jobId ? shortId(p.jobId) : '-', p.url]),
            ),
          );
        },
      ),
    );
  crawls.addHelpText('after', '\nA page\'s job: scrapifie status <job id>; its log: scrapifie logs <job id>.');
}

function pagesDone(crawl: Crawl): string {
  return `${crawl.progress.done}/${crawl.progress.pages} (${Math.round(crawl.progress.percent)}%)`;
}

/** `10:30:02  5b1f8f3e  95/160 (59%)  60 queued, 2 processing, 3 failed, 20 skipped` on stderr. */
function progressLine(crawl: Crawl): void {
  const { queued, processing, failed, skipped } = crawl.progress;
  const counts = Object.entries({ queued, processing, failed, skipped })
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${n} ${state}`)
    .join(', ');
  note(`${formatTime(new Date().toISOString()).slice(11)}  ${shortId(crawl.id)}  ${pagesDone(crawl)}${counts ? `  ${counts}` : ''}`);
}

function crawlExitCode(crawl: Crawl): number {
  return crawl.status === 'completed' && crawl.progress.failed === 0 && !crawl.stopReason ? exitCodes.ok : exitCodes.failure;
}

function crawlDetail(crawl: Crawl): string {
  const { progress } = crawl;
  const skipped = Object.entries(crawl.skipReasons).map(([reason, n]) => `${n} ${reason}`).join(', ');
  return keyValues([
    ['Crawl', crawl.id],
    ['Name', crawl.name ?? undefined],
    ['Status', colorStatus(crawl.status)],
    ['Stopped', crawl.stopReason ?? undefined],
    ['URL', crawl.url],
    ['Mode', crawl.mode],
    ['Engine', crawl.engine],
    ['Limits', `${crawl.options.maxPages} pages, depth ${crawl.options.maxDepth}`],
    ['Progress', pagesDone(crawl)],
    ['Pages', `${progress.queued} queued, ${progress.processing} processing, ${progress.done} done, ${progress.failed} failed`],
    ['Discovered', String(progress.discovered)],
    ['Skipped', skipped ? `${progress.skipped} (${skipped})` : String(progress.skipped)],
    ['Depths', crawl.depths.map((d) => `${d.depth}: ${d.fetched}${d.skipped ? ` (+${d.skipped} skipped)` : ''}`).join(', ') || '-'],
    ['Credits', `${crawl.creditsCharged} charged, ${crawl.creditsReserved} reserved`],
    ['Schedule', crawl.scheduleId ?? undefined],
    ['Created', formatTime(crawl.createdAt)],
    ['Completed', crawl.completedAt && !crawl.cancelledAt ? formatTime(crawl.completedAt) : undefined],
    ['Cancelled', crawl.cancelledAt ? formatTime(crawl.cancelledAt) : undefined],
  ]);
}

async function allCrawls(client: Scrapifie, limit: number): Promise<Crawl[]> {
  const found: Crawl[] = [];
  for (let page = 1; found.length < limit; page += 1) {
    const reply = await client.crawls.list({ page, size: 100 });
    found.push(...reply.data.slice(0, limit - found.length));
    if (page >= reply.totalPages) break;
  }
  return found;
}

async function resolveCrawlId(client: Scrapifie, value: string): Promise<string> {
  const id = value.trim().toLowerCase();
  if (uuidPattern.test(id)) return id;
  if (!/^[0-9a-f-]{4,35}$/.test(id)) throw new UsageError(`"${value}" is not a crawl id (a UUID, or its first 8 characters as \`crawls list\` shows)`);
  const matches = (await allCrawls(client, Number.MAX_SAFE_INTEGER)).filter((c) => c.id.startsWith(id));
  if (matches.length > 1) throw new UsageError(`"${id}" matches ${matches.length} crawls; give more of the id`);
  if (matches.length === 1) return matches[0].id;
  throw new CliError(`No crawl with an id starting with ${id}`, exitCodes.notFound);
}
