import Link from 'next/link';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { CrawlJson } from './api-types';

/**
 * The URLs the crawl found per depth from the start URL: fetched as page jobs, and skipped. A
 * depth opens the ledger below on that depth's URLs.
 */
export function CrawlDepths({ crawlId, depths }: { crawlId: string; depths: CrawlJson['depths'] }) {
  if (depths.length === 0) return <p className="text-sm text-muted-foreground">No URLs found yet.</p>;
  return (
    <Table aria-label="URLs by depth" data-testid="crawl-depths">
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          <TableHead>Depth</TableHead>
          <TableHead className="text-right">Fetched</TableHead>
          <TableHead className="text-right">Skipped</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {depths.map((row) => (
          <TableRow key={row.depth} data-testid="crawl-depth-row">
            <TableCell className="tabular">
              <Link href={`/dashboard/crawls/${crawlId}?depth=${row.depth}#ledger-title`} className="text-primary hover:underline" aria-label={`URLs at depth ${row.depth}`}>
                {row.depth === 0 ? '0 (start URL)' : row.depth}
              </Link>
            </TableCell>
            <TableCell className="text-right tabular">{row.fetched.toLocaleString('en-US')}</TableCell>
            <TableCell className="text-right tabular">{row.skipped.toLocaleString('en-US')}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
