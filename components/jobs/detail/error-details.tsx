'use client';

import { AlertOctagonIcon } from 'lucide-react';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { formatFull } from '@/components/time/format';
import { useTimeZone } from '@/components/time/time-context';
import type { JobJson } from '../api-types';

const outcomeLabels: Record<string, string> = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  retrying: 'Retried',
  cancelled: 'Cancelled',
  lost: 'Interrupted',
};

/** The failed job's panel (spec section 6): what went wrong, each attempt, and what to try next. */
export function ErrorDetails({ job }: { job: JobJson }) {
  const timeZone = useTimeZone();
  const lastError = [...job.attemptHistory].reverse().find((attempt) => attempt.error)?.error ?? job.error;
  return (
    <Card aria-labelledby="error-title" data-testid="error-details" className="border-red-200">
      <CardHeader className="border-red-100 bg-red-50/60">
        <AlertOctagonIcon className="size-4 text-red-600" />
        <CardTitle id="error-title">Error Details</CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-4 text-sm">
        {/* minmax(0, 1fr) and overflow-wrap: anywhere: a message quoting a long URL wraps inside the card. */}
        <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-4 gap-y-2 sm:gap-x-6">
          <dt className="text-muted-foreground">Error Type</dt>
          <dd className="font-mono font-medium text-red-700" data-testid="error-type">
            {job.error?.type ?? 'INTERNAL_ERROR'}
          </dd>
          <dt className="text-muted-foreground">Message</dt>
          <dd className="[overflow-wrap:anywhere]">{job.error?.message || 'The job failed without an error message.'}</dd>
          <dt className="text-muted-foreground">Attempts</dt>
          <dd className="tabular" data-testid="error-attempts">
            {job.attempts} of {job.maxAttempts}
          </dd>
          <dt className="text-muted-foreground">Last Error</dt>
          <dd className="[overflow-wrap:anywhere]">{lastError?.message || '—'}</dd>
        </dl>
        {job.attemptHistory.length > 0 && (
          <div className="overflow-x-auto rounded-lg border">
            <table className="w-full text-xs">
              <thead className="bg-muted/50 text-left text-muted-foreground">
                <tr>
                  <th className="px-3 py-2 font-medium">Attempt</th>
                  <th className="px-3 py-2 font-medium">Started</th>
                  <th className="px-3 py-2 font-medium">Outcome</th>
                  <th className="px-3 py-2 font-medium">Error</th>
                </tr>
              </thead>
              <tbody>
                {job.attemptHistory.map((attempt) => (
                  <tr key={attempt.attempt} className="border-t align-top">
                    <td className="px-3 py-2 tabular">{attempt.attempt}</td>
                    <td className="px-3 py-2 whitespace-nowrap">{formatFull(attempt.startedAt, timeZone)}</td>
                    <td className="px-3 py-2">{outcomeLabels[attempt.outcome] ?? attempt.outcome}</td>
                    <td className="min-w-56 px-3 py-2 [overflow-wrap:anywhere]">{attempt.error ? `${attempt.error.type}: ${attempt.error.message}` : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {job.error && job.error.suggestions.length > 0 && (
          <div>
            <p className="mb-1.5 font-medium">Suggestions:</p>
            <ul className="list-disc space-y-1 pl-5 text-muted-foreground" data-testid="error-suggestions">
              {job.error.suggestions.map((suggestion) => (
                <li key={suggestion}>{suggestion}</li>
              ))}
            </ul>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
