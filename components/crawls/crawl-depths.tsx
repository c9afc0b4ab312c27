import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { CrawlJson } from './api-types';

/** The URLs the crawl found per depth from the start URL: fetched as page jobs, and skipped. */
export function CrawlDepths({ depths }: { depths: CrawlJson['depths'] }) {
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
            <TableCell className="tabular">{row.depth === 0 ? '0 (start URL)' : row.depth}</TableCell>
            <TableCell className="text-right tabular">{row.fetched.toLocaleString('en-US')}</TableCell>
            <TableCell className="text-right tabular">{row.skipped.toLocaleString('en-US')}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
