'use client';

import { formatFull } from '@/components/time/format';
import { useTimeZone } from '@/components/time/time-context';
import { cronProblem, describeCron, isTimeZone, nextRunTimes } from '@/lib/cron';
import { previewRunCount } from '@/lib/schemas/schedules';

/**
 * The next 5 runs of the expression as typed, computed in the browser with the parser the server
 * uses; a bad expression shows why instead. Times are shown in the schedule's zone and the viewer's.
 */
export function CronPreview({ cron, timezone }: { cron: string; timezone: string }) {
  const viewerZone = useTimeZone();
  const problem = cron.trim() === '' ? 'Enter a cron expression, such as 0 6 * * * (every day at 06:00).' : cronProblem(cron);
  const zoneOk = isTimeZone(timezone);
  if (problem || !zoneOk) {
    return (
      <p role="alert" className="text-xs text-destructive" data-testid="cron-error">
        {problem ? capitalize(problem) : `${timezone} is not an IANA time zone.`}
      </p>
    );
  }
  const runs = nextRunTimes(cron, timezone, { after: new Date(), count: previewRunCount });
  return (
    <div className="flex flex-col gap-1.5 rounded-md border bg-muted/30 px-3 py-2 text-[13px]" data-testid="cron-preview">
      <p className="font-medium">{describeCron(cron) ?? cron}</p>
      <p className="text-xs text-muted-foreground">Next {previewRunCount} runs:</p>
      <ol className="flex flex-col gap-0.5 tabular">
        {runs.map((time) => (
          <li key={time.toISOString()} data-testid="cron-preview-run">
            {formatFull(time.toISOString(), timezone)}
            {viewerZone !== timezone && <span className="text-muted-foreground"> · {formatFull(time.toISOString(), viewerZone)}</span>}
          </li>
        ))}
      </ol>
    </div>
  );
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
