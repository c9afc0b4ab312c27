import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { formatBytes } from '@/lib/format';
import type { RetentionSettings } from '@/lib/retention';
import type { StorageJson } from '../jobs/api-types';

/** What the account stores now, and how long each kind is kept (spec section 11). */
export function StorageCard({ usage, retention }: { usage: StorageJson; retention: RetentionSettings }) {
  const parts = [
    { label: 'Results', bytes: usage.resultsBytes, kept: `${retention.resultsDays} days`, color: 'bg-primary' },
    { label: 'Screenshots', bytes: usage.screenshotsBytes, kept: `${retention.screenshotsDays} days`, color: 'bg-sky-400' },
    { label: 'Logs', bytes: usage.logsBytes, kept: `${retention.logsDays} days`, color: 'bg-amber-400' },
  ];
  const total = Math.max(usage.totalBytes, 1);
  return (
    <Card aria-labelledby="storage-title" data-testid="storage-card">
      <CardHeader>
        <CardTitle id="storage-title">Storage</CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-3 text-sm">
        <p>
          <span className="text-2xl font-semibold tracking-tight tabular" data-testid="storage-total">
            {formatBytes(usage.totalBytes)}
          </span>{' '}
          <span className="text-muted-foreground">stored</span>
        </p>
        <div className="flex h-2 overflow-hidden rounded-full bg-muted" aria-hidden>
          {parts.map((part) => (
            <span key={part.label} className={part.color} style={{ width: `${(part.bytes / total) * 100}%` }} />
          ))}
        </div>
        <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1.5">
          {parts.map((part) => (
            <div key={part.label} className="contents">
              <dt className="flex items-center gap-2">
                <span className={`size-2 rounded-sm ${part.color}`} aria-hidden />
                {part.label}
                <span className="text-xs text-muted-foreground">kept {part.kept}</span>
              </dt>
              <dd className="text-right tabular">{formatBytes(part.bytes)}</dd>
            </div>
          ))}
        </dl>
      </CardContent>
    </Card>
  );
}
