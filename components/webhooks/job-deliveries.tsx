'use client';

import { RotateCwIcon, WebhookIcon } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import useSWR from 'swr';
import { toast } from 'sonner';
import { ApiClientError, apiFetch, fetcher } from '@/components/api/fetcher';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { formatFull } from '@/components/time/format';
import { useTimeZone } from '@/components/time/time-context';
import { isTerminal } from '@/lib/jobs';
import type { WebhookAttemptResponse, WebhookDeliveryResponse } from '@/lib/schemas/webhooks';
import type { JobJson } from '../jobs/api-types';

type DeliveryList = { data: WebhookDeliveryResponse[] };

/** Deliveries are made moments after the job ends; look for them this long before giving up. */
const settleWindowMs = 30_000;

const statusBadge: Record<WebhookDeliveryResponse['status'], { label: string; variant: 'outline' | 'warning' | 'destructive' }> = {
  pending: { label: 'Pending', variant: 'warning' },
  succeeded: { label: 'Delivered', variant: 'outline' },
  failed: { label: 'Failed', variant: 'destructive' },
};

function describeAttempt(attempt: WebhookAttemptResponse): string {
  if (attempt.error === null) return `HTTP ${attempt.responseStatus} in ${attempt.responseTimeMs} ms`;
  return attempt.error;
}

/**
 * The job page's Webhooks panel: each delivery of the job's events (its own webhookUrl and the
 * account's endpoints) with every attempt, and Redeliver. Nothing is fetched while the job is
 * active (events are sent only when it ends); then it polls while a delivery is pending, or for a
 * short while after the job ended until its deliveries appear.
 */
export function JobDeliveries({ job, intervalMs }: { job: JobJson; intervalMs: number }) {
  const timeZone = useTimeZone();
  const key = isTerminal(job.status) ? `/api/v1/jobs/${job.id}/webhooks` : null;
  const recentlyEnded = job.finishedAt !== null && Date.now() - Date.parse(job.finishedAt) < settleWindowMs;
  const deliveries = useSWR<DeliveryList>(key, fetcher, {
    refreshInterval: (data) => {
      if (data?.data.some((delivery) => delivery.status === 'pending')) return Math.min(intervalMs, 2000);
      return recentlyEnded && (data?.data.length ?? 0) === 0 ? 2000 : 0;
    },
    refreshWhenHidden: false,
  });
  // Redeliveries waiting for their attempt, by delivery id, with the attempt count they started from.
  const [redelivering, setRedelivering] = useState<Map<string, number>>(new Map());
  const announced = useRef(new Set<string>());

  const list = deliveries.data?.data ?? [];
  useEffect(() => {
    for (const delivery of list) {
      const from = redelivering.get(delivery.id);
      if (from === undefined || delivery.status === 'pending' || delivery.attempts.length <= from) continue;
      const attempt = delivery.attempts.at(-1)!;
      const marker = `${delivery.id}:${attempt.attempt}`;
      if (announced.current.has(marker)) continue;
      announced.current.add(marker);
      if (delivery.status === 'succeeded') toast.success(`Redelivered: ${describeAttempt(attempt)}`, { description: delivery.url });
      else toast.error(`Redelivery failed: ${describeAttempt(attempt)}`, { description: delivery.url });
      setRedelivering((current) => {
        const next = new Map(current);
        next.delete(delivery.id);
        return next;
      });
    }
  }, [list, redelivering]);

  if (list.length === 0 && !job.webhookUrl) return null;

  const redeliver = async (delivery: WebhookDeliveryResponse) => {
    setRedelivering((current) => new Map(current).set(delivery.id, delivery.attempts.length));
    try {
      const updated = await apiFetch<WebhookDeliveryResponse>(`/api/v1/webhooks/deliveries/${delivery.id}/redeliver`, { method: 'POST' });
      toast.info('Redelivery queued', { description: delivery.url });
      void deliveries.mutate((current) => current && { data: current.data.map((item) => (item.id === updated.id ? updated : item)) }, { revalidate: true });
    } catch (error) {
      setRedelivering((current) => {
        const next = new Map(current);
        next.delete(delivery.id);
        return next;
      });
      const reason = error instanceof ApiClientError ? error.message : 'Unknown error';
      toast.error(`Redeliver failed: ${reason}`);
    }
  };

  return (
    <Card aria-labelledby="webhooks-title" data-testid="job-webhooks">
      <CardHeader>
        <CardTitle id="webhooks-title" className="flex items-center gap-2">
          <WebhookIcon className="size-4" />
          Webhooks
        </CardTitle>
        <p className="text-sm text-muted-foreground">Each event of this job sent to its webhook URL and your endpoints, with every attempt.</p>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {list.length === 0 && (
          <p className="text-sm text-muted-foreground" data-testid="no-deliveries">
            {isTerminal(job.status) ? 'No deliveries yet.' : `A delivery to ${job.webhookUrl} is sent when the job ends.`}
          </p>
        )}
        {list.map((delivery) => {
          const badge = statusBadge[delivery.status];
          return (
            <section key={delivery.id} data-testid="webhook-delivery" data-status={delivery.status} className="flex flex-col gap-2 rounded-lg border p-3">
              <div className="flex flex-wrap items-center gap-2">
                <Badge variant="secondary" className="font-mono">
                  {delivery.event}
                </Badge>
                <span className="min-w-0 flex-1 truncate font-mono text-xs" title={delivery.url}>
                  {delivery.url}
                </span>
                <Badge variant={badge.variant} data-testid="delivery-status">
                  {badge.label}
                </Badge>
                <Button
                  variant="outline"
                  size="xs"
                  onClick={() => void redeliver(delivery)}
                  disabled={delivery.status === 'pending' || redelivering.has(delivery.id)}
                >
                  <RotateCwIcon />
                  Redeliver
                </Button>
              </div>
              {delivery.attempts.length > 0 && (
                <div className="overflow-x-auto">
                  <Table className="min-w-[520px] text-[13px]">
                    <TableHeader>
                      <TableRow className="hover:bg-transparent">
                        <TableHead className="w-12">#</TableHead>
                        <TableHead>Time</TableHead>
                        <TableHead>HTTP status</TableHead>
                        <TableHead>Response time</TableHead>
                        <TableHead>Error</TableHead>
                      </TableRow>
                    </TableHeader>
                    <TableBody>
                      {delivery.attempts.map((attempt) => (
                        <TableRow key={attempt.attempt} data-testid="webhook-attempt">
                          <TableCell className="tabular">
                            {attempt.attempt}
                            {attempt.trigger === 'redeliver' && <span className="ml-1 text-xs text-muted-foreground">(redeliver)</span>}
                          </TableCell>
                          <TableCell>{formatFull(attempt.startedAt, timeZone)}</TableCell>
                          <TableCell className="tabular">{attempt.responseStatus ?? '—'}</TableCell>
                          <TableCell className="tabular">{attempt.responseTimeMs === null ? '—' : `${attempt.responseTimeMs} ms`}</TableCell>
                          <TableCell className="max-w-[320px] truncate" title={attempt.error ?? undefined}>
                            {attempt.error ?? '—'}
                          </TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                </div>
              )}
            </section>
          );
        })}
      </CardContent>
    </Card>
  );
}
