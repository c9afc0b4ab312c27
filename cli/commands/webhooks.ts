import type { Command } from 'commander';
import { uuidPattern } from '@/lib/jobs';
import { action, clientFor, outputOption, type OutputFormat } from '../command-helpers';
import { UsageError } from '../errors';
import { resolveJobId, shortId } from '../jobs';
import { formatTime, keyValues, print, printJson, table } from '../output';

// scrapifie webhook list | add | remove | enable | disable | secret | deliveries | redeliver:
// the account's endpoints (/api/v1/webhooks) and a job's deliveries.

const events = ['job.completed', 'job.failed', 'job.cancelled', 'job.expired', 'batch.completed', 'crawl.completed', 'crawl.cancelled', 'job.changed'] as const;

export function registerWebhooks(program: Command): void {
  const webhook = program.command('webhook').alias('webhooks').description('webhook endpoints, signing secrets and deliveries');

  webhook
    .command('list')
    .alias('ls')
    .description('the endpoints (secrets masked)')
    .addOption(outputOption())
    .action(
      action(async (options: { output: OutputFormat }, command: Command) => {
        const endpoints = await clientFor(command).webhooks.list();
        if (options.output === 'json') return printJson(endpoints);
        if (endpoints.length === 0) return print('No webhook endpoints.');
        print(
          table(
            [{ header: 'ID' }, { header: 'Enabled' }, { header: 'Events' }, { header: 'Created' }, { header: 'URL', shrink: true }],
            endpoints.map((e) => [e.id, e.enabled ? 'yes' : 'no', e.events.join(','), formatTime(e.createdAt), e.url]),
          ),
        );
      }),
    );

  webhook
    .command('add')
    .description('add an endpoint; prints its signing secret')
    .argument('<url>', 'where to POST the events')
    .option('--events <events>', `comma-separated, default all: ${events.join(', ')}`, eventList)
    .option('--description <text>', 'what the endpoint is for')
    .addOption(outputOption())
    .action(
      action(async (url: string, options: { events?: string[]; description?: string; output: OutputFormat }, command: Command) => {
        const created = await clientFor(command).webhooks.create({ url, events: options.events as (typeof events)[number][] | undefined, description: options.description });
        if (options.output === 'json') return printJson(created);
        print(keyValues([['Endpoint', created.id], ['URL', created.url], ['Events', created.events.join(', ')], ['Secret', created.secret]]));
      }),
    );

  for (const [name, enabled] of [['enable', true], ['disable', false]] as const) {
    webhook
      .command(name)
      .description(`${name} an endpoint`)
      .argument('<id>', 'endpoint id')
      .action(
        action(async (id: string, _options: object, command: Command) => {
          const endpoint = await clientFor(command).webhooks.update(endpointId(id), { enabled });
          print(`${enabled ? 'Enabled' : 'Disabled'} ${endpoint.id}  ${endpoint.url}`);
        }),
      );
  }

  webhook
    .command('remove')
    .alias('rm')
    .description('delete an endpoint')
    .argument('<id>', 'endpoint id')
    .action(
      action(async (id: string, _options: object, command: Command) => {
        const endpoint = await clientFor(command).webhooks.delete(endpointId(id));
        print(`Deleted ${endpoint.id}  ${endpoint.url}`);
      }),
    );

  webhook
    .command('secret')
    .description("an endpoint's signing secret; without an id, the account's (it signs jobs' own webhookUrl)")
    .argument('[id]', 'endpoint id')
    .action(
      action(async (id: string | undefined, _options: object, command: Command) => {
        const client = clientFor(command);
        print(id ? await client.webhooks.secret(endpointId(id)) : await client.webhooks.accountSecret());
      }),
    );

  webhook
    .command('deliveries')
    .description("a job's deliveries, with every attempt")
    .argument('<job>', 'job id, or its first 8 characters')
    .addOption(outputOption())
    .action(
      action(async (jobArgument: string, options: { output: OutputFormat }, command: Command) => {
        const client = clientFor(command);
        const deliveries = await client.jobs.webhookDeliveries(await resolveJobId(client, jobArgument));
        if (options.output === 'json') return printJson(deliveries);
        if (deliveries.length === 0) return print('No deliveries.');
        const rows = deliveries.flatMap((d) =>
          (d.attempts.length ? d.attempts : [null]).map((a) => [
            d.id,
            d.event,
            d.status,
            a ? String(a.attempt) : '-',
            a ? formatTime(a.startedAt) : '-',
            a?.responseStatus ? String(a.responseStatus) : '-',
            a?.error ?? '',
            d.url,
          ]),
        );
        print(table([{ header: 'Delivery' }, { header: 'Event' }, { header: 'Status' }, { header: 'Attempt' }, { header: 'At' }, { header: 'HTTP' }, { header: 'Error' }, { header: 'URL', shrink: true }], rows));
      }),
    );

  webhook
    .command('redeliver')
    .description('send a delivery once more, now')
    .argument('<delivery>', 'delivery id (from `webhook deliveries`)')
    .action(
      action(async (id: string, _options: object, command: Command) => {
        const delivery = await clientFor(command).webhooks.redeliver(endpointId(id, 'delivery'));
        print(`Redelivering ${shortId(delivery.id)} (${delivery.event}) to ${delivery.url}`);
      }),
    );
}

function endpointId(value: string, what = 'endpoint'): string {
  const id = value.trim().toLowerCase();
  if (!uuidPattern.test(id)) throw new UsageError(`"${value}" is not a ${what} id (a UUID)`);
  return id;
}

function eventList(value: string): string[] {
  const list = value.split(',').map((event) => event.trim()).filter(Boolean);
  const unknown = list.filter((event) => !(events as readonly string[]).includes(event));
  if (unknown.length || list.length === 0) throw new UsageError(`--events takes ${events.join(', ')}; not ${unknown.join(', ') || 'nothing'}.`);
  return list;
}
