'use client';

import { ChevronRightIcon } from 'lucide-react';
import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Switch } from '@/components/ui/switch';
import { cn } from '@/components/ui/utils';
import { formatLogTime } from '@/components/time/format';
import { useTimeZone } from '@/components/time/time-context';
import type { LogLevel } from '@/lib/jobs';
import type { LogEntryJson } from '../api-types';

// Level filter of spec section 5: client-side, every entry is already loaded.
const levelFilters = {
  all: { label: 'All', levels: ['DEBUG', 'INFO', 'WARN', 'ERROR'] },
  info: { label: 'Info + above', levels: ['INFO', 'WARN', 'ERROR'] },
  warn: { label: 'Warnings + above', levels: ['WARN', 'ERROR'] },
  error: { label: 'Errors only', levels: ['ERROR'] },
} as const satisfies Record<string, { label: string; levels: LogLevel[] }>;

type LevelFilter = keyof typeof levelFilters;

const levelStyles: Record<LogLevel, string> = {
  INFO: 'text-foreground',
  WARN: 'text-amber-600',
  ERROR: 'text-red-600',
  DEBUG: 'text-muted-foreground',
};

/**
 * The Execution Log (spec section 5). New entries are appended as they arrive (rows are keyed by
 * sequence number, so existing ones are not re-rendered) and flash briefly. For an active job the
 * view follows the newest entry until the user scrolls up.
 */
export function ExecutionLog({
  entries,
  freshSeqs,
  active,
  purgedMessage,
}: {
  entries: LogEntryJson[];
  freshSeqs: ReadonlySet<number>;
  active: boolean;
  /** Set once retention removed the log (spec section 11): the server's "Logs are no longer available..." */
  purgedMessage: string | null;
}) {
  const timeZone = useTimeZone();
  const [filter, setFilter] = useState<LevelFilter>('all');
  const [autoScroll, setAutoScroll] = useState(active);
  const scroller = useRef<HTMLDivElement>(null);
  const lastTop = useRef(0);

  const levels: readonly LogLevel[] = levelFilters[filter].levels;
  const shown = entries.filter((entry) => levels.includes(entry.level));
  const lastSeq = entries.at(-1)?.seq ?? 0;

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !active || !autoScroll) return;
    el.scrollTop = el.scrollHeight;
    lastTop.current = el.scrollTop;
  }, [lastSeq, active, autoScroll, filter]);

  useEffect(() => {
    if (!active) setAutoScroll(false);
  }, [active]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 4;
    // Scrolling up away from the newest entry means the user is reading: stop following.
    if (el.scrollTop < lastTop.current && !atBottom && autoScroll) setAutoScroll(false);
    lastTop.current = el.scrollTop;
  };

  return (
    <Card aria-labelledby="log-title" data-testid="execution-log">
      <CardHeader>
        <CardTitle id="log-title">Execution Log</CardTitle>
        <div className="ml-auto flex items-center gap-4">
          <Select value={filter} onValueChange={(value) => setFilter(value as LevelFilter)}>
            <SelectTrigger size="sm" aria-label="Log level filter" className="min-w-40">
              <span className="text-muted-foreground">Filter:</span>
              <SelectValue />
            </SelectTrigger>
            <SelectContent align="end">
              {Object.entries(levelFilters).map(([value, option]) => (
                <SelectItem key={value} value={value}>
                  {option.label}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
          {active && (
            <div className="flex items-center gap-2">
              <Switch id="auto-scroll" checked={autoScroll} onCheckedChange={setAutoScroll} />
              <Label htmlFor="auto-scroll" className="text-xs font-normal whitespace-nowrap">
                Auto-scroll: {autoScroll ? 'ON' : 'OFF'}
              </Label>
            </div>
          )}
        </div>
      </CardHeader>
      <CardContent className="flex flex-col gap-3 p-0">
        {entries.length === 0 ? (
          <p className="px-5 py-6 text-sm text-muted-foreground" data-testid="log-message">
            {purgedMessage ?? 'No log entries available for this job.'}
          </p>
        ) : (
          <div ref={scroller} onScroll={onScroll} className="max-h-[420px] overflow-auto py-2 font-mono text-xs" data-testid="log-entries" role="log" aria-live={active ? 'polite' : 'off'}>
            {shown.map((entry) => (
              <LogRow key={entry.seq} entry={entry} timeZone={timeZone} fresh={freshSeqs.has(entry.seq)} />
            ))}
          </div>
        )}
        {!purgedMessage && (
          <p className="border-t px-5 py-2.5 text-xs text-muted-foreground tabular" data-testid="log-count">
            Showing {shown.length} of {entries.length} log entries
          </p>
        )}
      </CardContent>
    </Card>
  );
}

const LogRow = memo(function LogRow({ entry, timeZone, fresh }: { entry: LogEntryJson; timeZone: string; fresh: boolean }) {
  const [open, setOpen] = useState(false);
  const metadata = entry.metadata && Object.keys(entry.metadata).length > 0 ? entry.metadata : null;
  return (
    <div data-testid="log-entry" data-level={entry.level} data-seq={entry.seq} className={cn('px-3 py-0.5 hover:bg-muted/50 sm:px-5', fresh && 'animate-flash')}>
      {/* minmax(0, 1fr) and overflow-wrap: anywhere: a long URL in a WARN line wraps on a phone instead of widening the row past the card. */}
      <div className="grid grid-cols-[84px_44px_minmax(0,1fr)] items-start gap-x-2 leading-5 sm:grid-cols-[92px_52px_minmax(0,1fr)] sm:gap-x-3">
        <time dateTime={entry.timestamp} className="text-muted-foreground tabular">
          {formatLogTime(entry.timestamp, timeZone)}
        </time>
        <span className={cn('font-semibold', levelStyles[entry.level])}>{entry.level}</span>
        <span className={cn('min-w-0 whitespace-pre-wrap [overflow-wrap:anywhere]', entry.level === 'DEBUG' ? 'text-muted-foreground' : entry.level === 'INFO' ? '' : levelStyles[entry.level])}>
          {metadata ? (
            <button
              type="button"
              onClick={() => setOpen((value) => !value)}
              aria-expanded={open}
              className="inline-flex max-w-full items-start gap-1 rounded text-left hover:underline focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none"
            >
              <span className="min-w-0">{entry.message}</span>
              <ChevronRightIcon className={cn('mt-0.5 size-3.5 shrink-0 text-muted-foreground transition-transform', open && 'rotate-90')} aria-hidden />
              <span className="sr-only">{open ? 'Hide details' : 'Show details'}</span>
            </button>
          ) : (
            entry.message
          )}
        </span>
      </div>
      {metadata && open && (
        <dl className="my-1 grid grid-cols-[max-content_minmax(0,1fr)] sm:ml-[156px] gap-x-4 gap-y-0.5 rounded-md border bg-muted/40 px-3 py-2" data-testid="log-metadata">
          {Object.entries(metadata).map(([key, value]) => (
            <div key={key} className="contents">
              <dt className="text-muted-foreground">{key}</dt>
              <dd className="break-all">{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
});
