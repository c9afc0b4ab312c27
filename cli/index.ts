import { Command, CommanderError } from 'commander';
import { registerBatches } from './commands/batches';
import { registerCrawls } from './commands/crawls';
import { registerCleanup } from './commands/cleanup';
import { registerExport } from './commands/export';
import { registerJobActions } from './commands/job-actions';
import { registerList } from './commands/list';
import { registerLogin } from './commands/login';
import { registerLogs } from './commands/logs';
import { registerResults } from './commands/results';
import { registerStats } from './commands/stats';
import { registerStatus } from './commands/status';
import { registerStorage } from './commands/storage';
import { registerSubmit } from './commands/submit';
import { registerWebhooks } from './commands/webhooks';
import { registerSchedules } from './commands/schedules';
import { CliError, exitCodeHelp, exitCodes } from './errors';
import { configureOutput, printError } from './output';
import { cliVersion } from './version';

// The `scrapifie` command (bin/scrapifie.mjs runs this file): parses the command line, runs one
// command against the API, and exits with a code scripts can rely on (cli/errors.ts).

const environmentHelp = `Environment:
  SCRAPIFIE_API_URL   API base URL (overrides the saved login; --api-url overrides both)
  SCRAPIFIE_API_KEY   API key (overrides the saved login)
  SCRAPIFIE_CONFIG    config file (default ~/.config/scrapifie/config.json)
  NO_COLOR            never colour the output; FORCE_COLOR=1 colours it even in a pipe`;

export function buildProgram(): Command {
  const program = new Command('scrapifie')
    .description('Submit, follow and manage Scrapifie scraping jobs from the command line.')
    .version(cliVersion, '-V, --version')
    .option('--api-url <url>', 'API base URL (default: $SCRAPIFIE_API_URL, the saved login, or http://localhost:3000)')
    .option('--no-color', 'never colour the output')
    // Set before the commands are added, so every command inherits them.
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureHelp({ showGlobalOptions: true })
    .addHelpText('after', `\n${environmentHelp}\n\n${exitCodeHelp}`);
  program.hook('preAction', (command) => configureOutput({ color: command.opts<{ color?: boolean }>().color === false ? false : undefined }));

  registerLogin(program);
  registerSubmit(program);
  registerList(program);
  registerStatus(program);
  registerLogs(program);
  registerJobActions(program);
  registerCleanup(program);
  registerResults(program);
  registerStats(program);
  registerStorage(program);
  registerExport(program);
  registerBatches(program);
  registerWebhooks(program);
  registerSchedules(program);
  registerCrawls(program);
  for (const command of program.commands) {
    command.addHelpText('after', '\nExit codes: 0 ok, 1 failure, 2 usage, 3 auth, 4 not found, 5 network (scrapifie --help explains them).');
  }
  return program;
}

/** `scrapifie job-local list`: the RipTide CLI's command group, accepted as a prefix. */
function withoutRipTidePrefix(argv: string[]): string[] {
  let index = 2;
  while (index < argv.length && argv[index].startsWith('-')) index += argv[index] === '--api-url' ? 2 : 1;
  return ['job-local', 'job'].includes(argv[index]) ? [...argv.slice(0, index), ...argv.slice(index + 1)] : argv;
}

export async function main(argv: string[]): Promise<number> {
  configureOutput({ color: argv.includes('--no-color') ? false : undefined });
  try {
    await buildProgram().parseAsync(withoutRipTidePrefix(argv));
    return Number(process.exitCode ?? exitCodes.ok);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with 0; a bad flag or argument, or no command, with 2.
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    if (error instanceof CliError) {
      printError(error.message, error.details);
      return error.exitCode;
    }
    // Never a stack trace: the message, once (SCRAPIFIE_DEBUG=1 shows the stack for a bug report).
    const detail = error instanceof Error ? (process.env.SCRAPIFIE_DEBUG ? (error.stack ?? error.message) : error.message) : String(error);
    printError(`Unexpected error: ${detail}`);
    return exitCodes.failure;
  }
}

// `scrapifie list | head -1`: the reader went away; that is not an error of the command.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv);
