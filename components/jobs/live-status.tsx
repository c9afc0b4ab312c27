'use client';

import { AlertTriangleIcon, RefreshCwIcon } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/utils';

/** After 3 failed polls in a row (spec section 8); `message` for a page that could not load at all. */
export function StaleBanner({
  onRefresh,
  refreshing,
  message = 'Unable to refresh job data. Showing last known state.',
}: {
  onRefresh: () => void;
  refreshing?: boolean;
  message?: string;
}) {
  return (
    <div role="alert" className="flex flex-wrap items-center gap-3 rounded-lg border border-amber-200 bg-amber-50 px-4 py-2.5 text-sm text-amber-900">
      <AlertTriangleIcon className="size-4 shrink-0" />
      <span className="flex-1">{message}</span>
      <Button size="xs" variant="outline" onClick={onRefresh} disabled={refreshing} className="border-amber-300 bg-card">
        <RefreshCwIcon className={cn(refreshing && 'animate-spin')} />
        Refresh
      </Button>
    </div>
  );
}

/**
 * A quiet sign that live data is being fetched. It always takes its space, so showing it never
 * moves the page (spec 001: no flicker, no layout shift); when nothing refreshes (nothing active,
 * or the stale banner is up) it is not shown at all, not merely transparent.
 */
export function RefreshIndicator({ live, refreshing }: { live: boolean; refreshing: boolean }) {
  return (
    <span
      className={cn('inline-flex items-center gap-1.5 text-xs text-muted-foreground transition-opacity', live ? 'opacity-100' : 'invisible opacity-0')}
      aria-hidden={!live}
      data-testid="live-indicator"
      data-refreshing={refreshing ? '' : undefined}
    >
      <RefreshCwIcon className={cn('size-3.5', refreshing && 'animate-spin')} />
      {refreshing ? 'Refreshing…' : 'Live'}
    </span>
  );
}
