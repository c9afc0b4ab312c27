'use client';

import { useSWRConfig } from 'swr';
import { apiFetch } from '@/components/api/fetcher';
import { useApiAction } from '@/components/api/use-api-action';
import { formatFull } from '@/components/time/format';
import { useTimeZone } from '@/components/time/time-context';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import type { ScheduleResponse, ScheduleRunResponse } from '@/lib/schemas/schedules';

// Pieces the schedules list, detail page and form share.

export const schedulesApiUrl = '/api/v1/schedules?size=100';
export const scheduleApiUrl = (id: string) => `/api/v1/schedules/${id}`;
export const scheduleRunsApiUrl = (id: string) => `/api/v1/schedules/${id}/runs?size=100`;

/** A time in the viewer's time zone ("Mar 2, 2026 07:00:00 CET"). */
export function ViewerTime({ at }: { at: string | null }) {
  const timeZone = useTimeZone();
  if (!at) return <span className="text-muted-foreground">—</span>;
  return <span className="tabular">{formatFull(at, timeZone)}</span>;
}

export function ScheduleStatusBadge({ status }: { status: ScheduleResponse['status'] }) {
  return (
    <Badge variant={status === 'active' ? 'secondary' : 'warning'} data-testid="schedule-status">
      {status === 'active' ? 'Active' : 'Paused'}
    </Badge>
  );
}

const outcomeLabels: Record<ScheduleRunResponse['outcome'], string> = { created: 'Created', skipped: 'Skipped', refused: 'Refused' };

export function RunOutcomeBadge({ outcome }: { outcome: ScheduleRunResponse['outcome'] }) {
  return (
    <Badge variant={outcome === 'created' ? 'secondary' : outcome === 'skipped' ? 'warning' : 'destructive'} data-testid="run-outcome">
      {outcomeLabels[outcome]}
    </Badge>
  );
}

/** Pause or resume, then refresh every schedules reply the page shows. */
export function PauseResumeButton({ schedule, size = 'sm' }: { schedule: ScheduleResponse; size?: 'sm' | 'default' }) {
  const { mutate } = useSWRConfig();
  const { pending, run } = useApiAction('Could not change the schedule. Try again.');
  const paused = schedule.status === 'paused';
  return (
    <Button
      variant="outline"
      size={size}
      disabled={pending}
      onClick={() =>
        run(async () => {
          await apiFetch(`/api/v1/schedules/${schedule.id}/${paused ? 'resume' : 'pause'}`, { method: 'POST' });
          await mutate((key) => typeof key === 'string' && key.startsWith('/api/v1/schedules'));
        })
      }
    >
      {paused ? 'Resume' : 'Pause'}
    </Button>
  );
}
