import { InvalidArgumentError, Option, type Command } from 'commander';
import { engines, jobStatuses, uuidPattern } from '@/lib/jobs';
import type { Priority } from '@/lib/queue';
import type { ListJobsQuery, Scrapifie } from '@/packages/sdk/src/index';
import { UsageError } from './errors';
import { acceptedFields } from './server-features';

// The jobs list filters (GET /api/v1/jobs and its export), as flags shared by `list` and `export`;
// the label filters (name, tags, priority, batch) also narrow `cleanup`.

/**
 * Priorities as the RipTide CLI names them (low, medium, high, critical) and as the API does
 * (low, normal, high, urgent): medium is normal and critical is urgent. lib/queue's are restated
 * because importing that module loads zod (~150 ms a start); `satisfies` keeps them in step.
 */
const priorityNames = { low: 'low', medium: 'normal', normal: 'normal', high: 'high', critical: 'urgent', urgent: 'urgent' } satisfies Record<string, Priority>;
export const priorityChoices = Object.keys(priorityNames);

/** The API's priority for a name either CLI uses. */
export function apiPriority(value: string): Priority {
  return priorityNames[value as keyof typeof priorityNames];
}

/** `running` and `pending` (the RipTide CLI's words) are the API's processing and queued. */
const statusNames: Record<string, string> = { running: 'processing', pending: 'queued' };
export const statusChoices = [...jobStatuses, 'active', ...Object.keys(statusNames)];

export function apiStatus(value: string | undefined): string | undefined {
  return value === undefined ? undefined : (statusNames[value] ?? value);
}

export type LabelFilterOptions = { name?: string; tag?: string[]; priority?: string; batch?: string };

export type FilterOptions = LabelFilterOptions & { status?: string; engine?: string; key?: string; from?: string; to?: string; search?: string };

const labelFlags = [
  ['name', '--name'],
  ['tag', '--tag'],
  ['priority', '--priority'],
  ['batch', '--batch'],
] as const;

export function addFilterOptions(command: Command): Command {
  return addLabelFilterOptions(
    command
      .addOption(
        new Option('-s, --status <status>', 'only jobs in this state (`active`: queued or processing; `running` is processing, `pending` queued)').choices(statusChoices),
      )
      .addOption(new Option('-e, --engine <engine>', 'only jobs of this engine').choices(engines))
      .option('--key <id>', 'only jobs submitted with this API key id')
      .option('--from <date>', 'created on or after this date (YYYY-MM-DD, your timezone)')
      .option('--to <date>', 'created on or before this date (YYYY-MM-DD, your timezone)')
      .option('--search <text>', 'URL substring or job-id prefix'),
  );
}

export function addLabelFilterOptions(command: Command): Command {
  return command
    .option('--name <text>', 'only jobs whose name contains this text (case-insensitive)', nonEmpty)
    .option('--tag <tags>', 'only jobs with any of these tags: comma-separated, or repeat the flag', tagList)
    .addOption(new Option('--priority <priority>', 'only jobs of this priority (medium is normal, critical is urgent)').choices(priorityChoices))
    .option('--batch <id>', 'only jobs created in this batch (its full id)', batchId);
}

/** The query parameters the filters map to; `tz` makes dates local. */
export function filterQuery(options: FilterOptions): ListJobsQuery {
  return {
    status: apiStatus(options.status) as ListJobsQuery['status'],
    engine: options.engine as ListJobsQuery['engine'],
    key: options.key,
    from: options.from,
    to: options.to,
    q: options.search,
    ...labelFilterQuery(options),
    tz: new Date().getTimezoneOffset(),
  };
}

/** The label filters as the API takes them, in a query string or a JSON body (`tag=a,b` matches either tag). */
export function labelFilterQuery(options: LabelFilterOptions): { name?: string; tag?: string; priority?: Priority; batch?: string } {
  return { name: options.name, tag: options.tag?.join(','), priority: options.priority ? apiPriority(options.priority) : undefined, batch: options.batch };
}

/**
 * Stops with exit 2 before `request` when it would not use a label filter given: a server older
 * than these filters drops unknown parameters silently, so `list --tag x` would list every job and
 * `cleanup --tag x` would delete every job of its dates. The API document is read only then.
 */
export async function requireLabelFilters(client: Scrapifie, options: LabelFilterOptions, request: string): Promise<void> {
  const requested = labelFlags.filter(([field]) => options[field] !== undefined);
  if (requested.length === 0) return;
  const accepted = await acceptedFields(client, request);
  const missing = requested.filter(([field]) => !accepted.has(field));
  if (missing.length === 0) return;
  const flags = missing.map(([, flag]) => flag).join(', ');
  const fields = missing.map(([field]) => `"${field}"`).join(', ');
  throw new UsageError(`This server does not support ${flags} yet: ${request} has no ${fields} ${missing.length === 1 ? 'filter' : 'filters'} in its API document.`);
}

function nonEmpty(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('expected some text.');
  return value.trim();
}

/** `--tag a,b --tag c`: every tag given, in one list. */
function tagList(value: string, previous: string[] = []): string[] {
  const tags = value.split(',').map((tag) => tag.trim()).filter(Boolean);
  if (tags.length === 0) throw new InvalidArgumentError('expected a tag, or several separated by commas.');
  return [...new Set([...previous, ...tags])];
}

function batchId(value: string): string {
  const id = value.trim().toLowerCase();
  if (!uuidPattern.test(id)) throw new InvalidArgumentError('expected a batch id (a UUID).');
  return id;
}
