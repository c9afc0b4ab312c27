import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import { sdkFor } from '../client';
import { action } from '../command-helpers';
import { configPath, resolveApiUrl, saveConfig } from '../config';
import { UsageError } from '../errors';
import { print, plural } from '../output';

// scrapifie login: checks the URL and key against the API, then saves both (mode 0600).

export function registerLogin(program: Command): void {
  program
    .command('login')
    .description('check an API key against the server and save it, with the API URL, to the config file')
    .option('--api-key <key>', 'the API key (default: read from stdin, or asked for on a terminal)')
    .addHelpText(
      'after',
      `
The key is checked with GET /api/v1/account before anything is saved. The config file is
$SCRAPIFIE_CONFIG or ~/.config/scrapifie/config.json, readable by you only (mode 0600).
Prefer stdin or the prompt to --api-key: a flag stays in your shell history.

Examples:
  $ scrapifie login --api-url https://scrapifie.example.com
  $ echo "$SCRAPIFIE_KEY" | scrapifie login --api-url http://localhost:3000`,
    )
    .action(
      action(async (options: { apiKey?: string }, command: Command) => {
        const apiUrl = resolveApiUrl(command.optsWithGlobals<{ apiUrl?: string }>().apiUrl);
        const apiKey = (options.apiKey ?? (await readKey())).trim();
        if (!apiKey) throw new UsageError('No API key given: pass --api-key, pipe it on stdin, or type it at the prompt.');
        const account = await sdkFor({ apiUrl, apiKey }).account();
        saveConfig({ apiUrl, apiKey });
        print(`Logged in to ${apiUrl} as ${account.email} (${plural(account.available, 'credit')} available).`);
        print(`Saved to ${configPath()}`);
      }),
    );
}

async function readKey(): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    return text;
  }
  // Typed at a terminal: not echoed.
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const prompt = createInterface({ input: process.stdin, output, terminal: true });
  process.stderr.write('API key: ');
  muted = true;
  try {
    return await prompt.question('');
  } finally {
    muted = false;
    process.stderr.write('\n');
    prompt.close();
  }
}
