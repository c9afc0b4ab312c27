'use client';

import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { formatFull } from '@/components/time/format';
import { useTimeZone } from '@/components/time/time-context';
import { formatBytes } from '@/lib/format';
import type { AdminOverviewResponse } from '@/lib/schemas/admin';
import { PanelPlaceholder } from './panel-state';
import { useAdminOverview } from './use-overview';

type Purge = AdminOverviewResponse['purges'][number];

const purged = ({ rows, bytes }: { rows: number; bytes: number }) => `${rows.toLocaleString('en-US')} (${formatBytes(bytes)})`;

/** Purges: the latest retention purge runs, what each marked expired and how many bytes it removed. */
export function PurgesPanel({ intervalMs }: { intervalMs: number }) {
  const overview = useAdminOverview(intervalMs);
  const timeZone = useTimeZone();
  const runs = overview.data?.purges;
  if (!runs) return <PanelPlaceholder error={overview.error} label="purge statistics" />;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Retention purges</CardTitle>
      </CardHeader>
      <CardContent>
        {runs.length === 0 ? (
          <p className="text-sm text-muted-foreground">No purge has run yet. The workers run one daily; `npm run admin -- purge-now` runs one now.</p>
        ) : (
          <div className="overflow-x-auto">
            <Table aria-label="Purge runs">
              <TableHeader>
                <TableRow>
                  <TableHead>Started</TableHead>
                  <TableHead>Trigger</TableHead>
                  <TableHead>Kept (days)</TableHead>
                  <TableHead>Results purged</TableHead>
                  <TableHead>Screenshots purged</TableHead>
                  <TableHead>Logs purged</TableHead>
                  <TableHead>Events · deliveries purged</TableHead>
                  <TableHead>Outcome</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {runs.map((run: Purge) => (
                  <TableRow key={run.id} data-testid="purge-row">
                    <TableCell className="text-xs">{formatFull(run.startedAt, timeZone)}</TableCell>
                    <TableCell className="capitalize">{run.trigger}</TableCell>
                    <TableCell className="text-xs tabular">
                      logs {run.retentionDays.logs} · results {run.retentionDays.results} · screenshots {run.retentionDays.screenshots} · events {run.retentionDays.events}
                    </TableCell>
                    <TableCell className="tabular">{purged(run.purged.results)}</TableCell>
                    <TableCell className="tabular">{purged(run.purged.screenshots)}</TableCell>
                    <TableCell className="tabular">{purged(run.purged.logs)}</TableCell>
                    <TableCell className="tabular">
                      {run.purged.events.rows.toLocaleString('en-US')} · {run.purged.deliveries.rows.toLocaleString('en-US')}
                    </TableCell>
                    <TableCell className="text-xs">{run.error ? <span className="text-destructive">{run.error}</span> : run.finishedAt ? 'Finished' : 'Running'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
