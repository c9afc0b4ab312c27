import type { Command } from 'commander';
import { jobStatuses } from '@/lib/jobs';
import type { Priority } from '@/packages/sdk/src/index';
import { action, clientFor, outputOption, type OutputFormat } from '../command-helpers';
import { colorStatus, formatDuration, keyValues, paint, print, printJson, table } from '../output';

// scrapifie stats: GET /api/v1/stats, and the jobs per priority (the list's totals per priority).

const priorities: Priority[] = ['urgent', 'high', 'normal', 'low'];

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description('job statistics: totals, the last 30 days by status, jobs by priority, success rate, durations, credits')
    .addOption(outputOption())
    .action(
      action(async (options: { output: OutputFormat }, command: Command) => {
        const client = clientFor(command);
        const [stats, ...perPriority] = await Promise.all([
          client.stats({ tz: new Date().getTimezoneOffset() }),
          ...priorities.map(async (priority) => (await client.jobs.list({ priority, size: 25 })).total),
        ]);
        const byPriority = Object.fromEntries(priorities.map((priority, i) => [priority, perPriority[i]])) as Record<Priority, number>;
        if (options.output === 'json') return printJson({ ...stats, byPriority });
        const byStatus = jobStatuses.map((status) => [status, stats.perDay.reduce((sum, day) => sum + day[status], 0)] as const);
        print(paint().bold('Job statistics'));
        print();
        print(
          keyValues([
            ['Total jobs', stats.totalJobs.toLocaleString('en-US')],
            ['Active now', `${stats.activeNow} (${stats.queued} queued, ${stats.processing} processing)`],
            ['Success rate', stats.successRate30d === null ? '-' : `${(stats.successRate30d * 100).toFixed(1)}% (last 30 days)`],
            ['Average duration', `${formatDuration(stats.avgDurationMs30d)} (last 30 days)`],
            ['Credits used', `${stats.creditsUsed30d.toLocaleString('en-US')} (last 30 days)`],
          ]),
        );
        print();
        print(paint().bold('By status, last 30 days'));
        print(table([{ header: 'Status' }, { header: 'Count', align: 'right' }], byStatus.map(([status, count]) => [colorStatus(status), String(count)])));
        print();
        print(paint().bold('By priority, all jobs'));
        print(table([{ header: 'Priority' }, { header: 'Count', align: 'right' }], priorities.map((priority) => [priority, String(byPriority[priority])])));
      }),
    );
}
