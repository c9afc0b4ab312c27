import type { Command } from 'commander';
import type { StatsResponse } from '@/lib/schemas/responses';
import { jobStatuses } from '@/lib/jobs';
import { action, clientFor, outputOption, type OutputFormat } from '../command-helpers';
import { colorStatus, formatDuration, keyValues, paint, print, printJson, table } from '../output';

// scrapifie stats: GET /api/v1/stats.

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description('job statistics: totals, the last 30 days by status, success rate, durations, credits')
    .addOption(outputOption())
    .action(
      action(async (options: { output: OutputFormat }, command: Command) => {
        const stats = await clientFor(command).get<StatsResponse>('/api/v1/stats', {
          query: { tz: new Date().getTimezoneOffset() },
          feature: 'stats',
        });
        if (options.output === 'json') return printJson(stats);
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
      }),
    );
}
