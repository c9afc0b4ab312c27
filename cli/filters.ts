import { Option, type Command } from 'commander';
import { engines, jobStatuses } from '@/lib/jobs';

// The jobs list filters (GET /api/v1/jobs and its export), as flags shared by `list` and `export`.

export type FilterOptions = { status?: string; engine?: string; key?: string; from?: string; to?: string; search?: string };

export function addFilterOptions(command: Command): Command {
  return command
    .addOption(new Option('-s, --status <status>', 'only jobs in this state (`active`: queued or processing)').choices([...jobStatuses, 'active']))
    .addOption(new Option('-e, --engine <engine>', 'only jobs of this engine').choices(engines))
    .option('--key <id>', 'only jobs submitted with this API key id')
    .option('--from <date>', 'created on or after this date (YYYY-MM-DD, your timezone)')
    .option('--to <date>', 'created on or before this date (YYYY-MM-DD, your timezone)')
    .option('--search <text>', 'URL substring or job-id prefix');
}

/** The query parameters the filters map to; `tz` makes dates local. */
export function filterQuery(options: FilterOptions): Record<string, string | number | undefined> {
  return {
    status: options.status,
    engine: options.engine,
    key: options.key,
    from: options.from,
    to: options.to,
    q: options.search,
    tz: new Date().getTimezoneOffset(),
  };
}
