'use client';

import { ExternalLinkIcon } from 'lucide-react';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { formatFull, formatPreciseDuration } from '@/components/time/format';
import { useTimeZone } from '@/components/time/time-context';
import { engineLabels } from '@/lib/jobs';
import type { JobJson } from '../api-types';

const finishedLabels = { completed: 'Completed', failed: 'Failed', cancelled: 'Cancelled', expired: 'Expired' } as const;

function JobLink({ id }: { id: string }) {
  return (
    <Link href={`/dashboard/jobs/${id}`} className="font-mono text-primary hover:underline" title={id}>
      {id.slice(0, 8)}…
    </Link>
  );
}

/** The Overview card (spec section 4), every field. */
export function OverviewCard({ job }: { job: JobJson }) {
  const timeZone = useTimeZone();
  const retries = Math.max(job.attempts - 1, 0);
  const finishedLabel = job.status in finishedLabels ? finishedLabels[job.status as keyof typeof finishedLabels] : null;
  return (
    <Card aria-labelledby="overview-title" data-testid="overview-card">
      <CardHeader>
        <CardTitle id="overview-title">Overview</CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-4 gap-y-3 text-sm sm:gap-x-8">
          <Field label="Target URL">
            <a href={job.url} target="_blank" rel="noopener noreferrer" className="inline font-mono break-all text-primary hover:underline">
              {job.url}
              <ExternalLinkIcon className="ml-1 inline size-3.5 align-[-2px]" aria-label="(opens in a new tab)" />
            </a>
          </Field>
          {job.name && (
            <Field label="Name">
              <span className="break-words" data-testid="overview-name">
                {job.name}
              </span>
            </Field>
          )}
          <Field label="Engine">{engineLabels[job.engine]}</Field>
          {job.tags.length > 0 && (
            <Field label="Tags">
              <span className="flex flex-wrap gap-1.5" data-testid="overview-tags">
                {job.tags.map((tag) => (
                  <Badge key={tag} variant="secondary" className="font-mono">
                    {tag}
                  </Badge>
                ))}
              </span>
            </Field>
          )}
          {job.batchId && (
            <Field label="Batch">
              <Link href={`/dashboard/batches/${job.batchId}`} className="font-mono text-primary hover:underline" title={job.batchId} data-testid="overview-batch">
                {job.batchId.slice(0, 8)}…
              </Link>
            </Field>
          )}
          {job.priority !== 'normal' && <Field label="Priority">{job.priority[0].toUpperCase() + job.priority.slice(1)}</Field>}
          <Field label="API Key">
            <span className="inline-flex flex-wrap items-center gap-2">
              <Link href={`/dashboard/api-keys/${job.apiKey.id}`} className="text-primary hover:underline" data-testid="overview-key">
                {job.apiKey.name}
                {job.apiKey.revoked ? ' (revoked)' : ''}
              </Link>
              {job.apiKey.test && <Badge variant="warning">Test</Badge>}
            </span>
          </Field>
          <Field label="Credits">
            <span className="tabular" data-testid="overview-credits">
              {job.credits}
            </span>
          </Field>
          <Field label="Duration">
            <span className="tabular">{formatPreciseDuration(job.durationMs)}</span>
          </Field>
          <Field label="Created">{formatFull(job.createdAt, timeZone)}</Field>
          {job.notBefore && <Field label="Scheduled Start">{formatFull(job.notBefore, timeZone)}</Field>}
          <Field label="Started">{job.startedAt ? formatFull(job.startedAt, timeZone) : ''}</Field>
          {finishedLabel && <Field label={finishedLabel}>{job.finishedAt ? formatFull(job.finishedAt, timeZone) : ''}</Field>}
          <Field label="Retries">
            <span className="tabular" data-testid="overview-retries">
              {retries} of {Math.max(job.maxAttempts - 1, 0)}
            </span>
          </Field>
          {job.parentJobId && (
            <Field label="Parent Job">
              <span data-testid="parent-job">
                <JobLink id={job.parentJobId} />
              </span>
            </Field>
          )}
          {job.childJobIds.length > 0 && (
            <Field label="Retried as">
              <span className="flex flex-wrap gap-x-3 gap-y-1" data-testid="child-jobs">
                {job.childJobIds.map((id) => (
                  <JobLink key={id} id={id} />
                ))}
              </span>
            </Field>
          )}
        </dl>
      </CardContent>
    </Card>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 min-h-5">{children}</dd>
    </>
  );
}
