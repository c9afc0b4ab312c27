import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { isTextual } from '@/lib/jobs';
import { action, clientFor, idOption, requiredId } from '../command-helpers';
import { UsageError } from '../errors';
import { formatBytes, print, printJson } from '../output';
import { resolveJobId } from '../jobs';

// scrapifie results: GET /api/v1/jobs/{id}/result, to stdout, to a file, or as JSON.

type ResultsOptions = { id?: string; output?: string; o?: 'raw' | 'json' };

export function registerResults(program: Command): void {
  program
    .command('results')
    .alias('result')
    .description("download a completed job's result")
    .argument('[id]', 'job id, or its first 8 characters')
    .addOption(idOption())
    .option('--output <path>', "write it to this file, or into this directory under the server's file name")
    // `-o json` as in the RipTide CLI; --output stays the file, so the short flag stands alone.
    .addOption(new Option('-o <format>', 'raw (the content as it is), or json: the job, format, type, size and content in one JSON document').choices(['raw', 'json']).default('raw'))
    .addHelpText(
      'after',
      `
Without --output the content is written to stdout as is (binary content such as an image
is refused on a terminal: use --output). With -o json the content is text (utf8) or, for
binary content, base64.

Examples:
  $ scrapifie results 3f0c1c8e > page.html
  $ scrapifie results --id 3f0c1c8e --output results.json -o json
  $ scrapifie results 3f0c1c8e --output ./downloads/`,
    )
    .action(
      action(async (idArgument: string | undefined, options: ResultsOptions, command: Command) => {
        const client = clientFor(command);
        const id = await resolveJobId(client, requiredId(idArgument, options));
        const result = await client.jobs.result(id);
        const textual = isTextual(result.contentType);

        if (options.o === 'json') {
          const job = await client.jobs.get(id);
          const document = {
            jobId: id,
            url: job.url,
            status: job.status,
            format: job.result?.format ?? job.config.format,
            contentType: result.contentType,
            size: result.content.length,
            encoding: textual ? 'utf8' : 'base64',
            content: textual ? result.text() : Buffer.from(result.content).toString('base64'),
          };
          if (!options.output) return printJson(document);
          writeFileSync(options.output, `${JSON.stringify(document, null, 2)}\n`);
          return print(`Saved the result of ${id.slice(0, 8)} as JSON to ${options.output}`);
        }
        if (!options.output) {
          if (process.stdout.isTTY && !textual) {
            throw new UsageError(`The result is binary (${result.contentType}); write it to a file with --output <path>.`);
          }
          process.stdout.write(result.content);
          return;
        }
        const serverName = result.filename ?? `scrapifie-${id.slice(0, 8)}`;
        const intoDirectory = options.output.endsWith(path.sep) || (existsSync(options.output) && statSync(options.output).isDirectory());
        const file = intoDirectory ? path.join(options.output, path.basename(serverName)) : options.output;
        writeFileSync(file, result.content);
        print(`Saved ${formatBytes(result.content.length)} (${result.contentType}) to ${file}`);
      }),
    );
}
