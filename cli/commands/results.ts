import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { isTextual } from '@/lib/jobs';
import { action, clientFor } from '../command-helpers';
import { UsageError } from '../errors';
import { formatBytes, print } from '../output';
import { resolveJobId } from '../jobs';

// scrapifie results: GET /api/v1/jobs/{id}/result, to stdout or to a file.

export function registerResults(program: Command): void {
  program
    .command('results')
    .alias('result')
    .description("download a completed job's result")
    .argument('<id>', 'job id, or its first 8 characters')
    .option('--output <path>', "write it to this file, or into this directory under the server's file name")
    .addHelpText(
      'after',
      `
Without --output the content is written to stdout as is (binary content such as an image
is refused on a terminal: use --output).

Examples:
  $ scrapifie results 3f0c1c8e > page.html
  $ scrapifie results 3f0c1c8e --output ./downloads/`,
    )
    .action(
      action(async (idArgument: string, options: { output?: string }, command: Command) => {
        const client = clientFor(command);
        const id = await resolveJobId(client, idArgument);
        const response = await client.send('GET', `/api/v1/jobs/${id}/result`, { feature: 'results' });
        const contentType = response.headers.get('content-type') ?? 'application/octet-stream';
        const content = Buffer.from(await response.arrayBuffer());

        if (!options.output) {
          if (process.stdout.isTTY && !isTextual(contentType)) {
            throw new UsageError(`The result is binary (${contentType}); write it to a file with --output <path>.`);
          }
          process.stdout.write(content);
          return;
        }
        const serverName = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `scrapifie-${id.slice(0, 8)}`;
        const intoDirectory = options.output.endsWith(path.sep) || (existsSync(options.output) && statSync(options.output).isDirectory());
        const file = intoDirectory ? path.join(options.output, path.basename(serverName)) : options.output;
        writeFileSync(file, content);
        print(`Saved ${formatBytes(content.length)} (${contentType}) to ${file}`);
      }),
    );
}
