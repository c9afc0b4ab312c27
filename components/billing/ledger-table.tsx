'use client';

import { Badge } from '@/components/ui/badge';
import { RowLink } from '@/components/ui/row-link';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { Tooltip } from '@/components/ui/tooltip';
import { cn } from '@/components/ui/utils';
import { formatAbsolute, formatFull } from '@/components/time/format';
import { useTimeZone } from '@/components/time/time-context';
import { engineLabels } from '@/lib/jobs';
import type { CreditsJson } from '../jobs/api-types';

type Entry = CreditsJson['ledger']['data'][number];

const signed = (n: number) => `${n > 0 ? '+' : n < 0 ? '−' : ''}${Math.abs(n).toLocaleString('en-US')}`;

/** The credit ledger: one row per movement, each charge linked to the job it paid for. */
export function LedgerTable({ entries, dimmed }: { entries: Entry[]; dimmed?: boolean }) {
  const timeZone = useTimeZone();
  return (
    <div className="overflow-x-auto">
      <Table className={cn('min-w-[640px] transition-opacity', dimmed && 'opacity-60')} aria-busy={dimmed || undefined}>
        <TableHeader className="bg-muted/40">
          <TableRow className="hover:bg-transparent">
            <TableHead className="w-[170px] pl-5">Date</TableHead>
            <TableHead>Description</TableHead>
            <TableHead className="w-[100px] text-right">Amount</TableHead>
            <TableHead className="w-[120px] pr-5 text-right">Balance</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {entries.map((entry) => (
            <TableRow key={entry.id} data-testid="ledger-row" data-job-id={entry.jobId ?? undefined} className="hover:bg-muted/40">
              <TableCell className="pl-5 text-[13px]">
                <Tooltip content={formatFull(entry.createdAt, timeZone)}>
                  <span>{formatAbsolute(entry.createdAt, timeZone)}</span>
                </Tooltip>
              </TableCell>
              <TableCell className="max-w-0 text-[13px]">
                <Description entry={entry} />
              </TableCell>
              <TableCell className={cn('text-right font-medium tabular', entry.amount > 0 ? 'text-green-700' : 'text-foreground')}>{signed(entry.amount)}</TableCell>
              <TableCell className="pr-5 text-right text-muted-foreground tabular">{entry.balanceAfter.toLocaleString('en-US')}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

function Description({ entry }: { entry: Entry }) {
  if (entry.reason === 'grant') return <span>Credits added</span>;
  const job = entry.job;
  const shortId = entry.jobId ? `${entry.jobId.slice(0, 8)}…` : '';
  return (
    <span className="flex min-w-0 items-center gap-2">
      <span className="shrink-0">{job ? `${engineLabels[job.engine]} job` : 'Job'}</span>
      {job?.deleted || !entry.jobId ? (
        <>
          <span className="shrink-0 font-mono text-muted-foreground line-through" title={entry.jobId ?? undefined}>
            {shortId}
          </span>
          <Badge variant="secondary" data-testid="deleted-badge">
            Deleted
          </Badge>
        </>
      ) : (
        <RowLink href={`/dashboard/jobs/${entry.jobId}`} className="shrink-0 font-mono text-primary hover:underline" title={entry.jobId}>
          {shortId}
        </RowLink>
      )}
      {job && (
        <Tooltip content={job.url}>
          <span className="truncate text-muted-foreground">{job.url}</span>
        </Tooltip>
      )}
    </span>
  );
}
