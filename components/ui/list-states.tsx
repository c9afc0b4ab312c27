import { AlertCircleIcon, RotateCwIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import { Button } from './button';
import { Skeleton } from './skeleton';

/** A list that could not load and has nothing to show instead: the message and Retry. */
export function ListError({ what, onRetry, retrying }: { what: string; onRetry: () => void; retrying: boolean }) {
  return (
    <div role="alert" className="flex flex-col items-center gap-4 rounded-xl border bg-card px-6 py-16 text-center">
      <AlertCircleIcon className="size-6 text-destructive" />
      <p className="text-sm">Unable to load {what}. Please try again.</p>
      <Button variant="outline" size="sm" onClick={onRetry} disabled={retrying}>
        <RotateCwIcon className={retrying ? 'animate-spin' : undefined} />
        Retry
      </Button>
    </div>
  );
}

/** Grey rows where a list will be, announced as "Loading {what}". */
export function ListSkeleton({ what, rows, rowClassName = 'h-8' }: { what: string; rows: number; rowClassName?: string }) {
  return (
    <div className="flex flex-col gap-2 rounded-xl border bg-card p-4" aria-busy="true" aria-label={`Loading ${what}`}>
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} className={`${rowClassName} w-full`} />
      ))}
    </div>
  );
}

/** A filtered list with no rows. */
export function NoMatches({ children }: { children: ReactNode }) {
  return <p className="rounded-xl border bg-card px-6 py-16 text-center text-sm text-muted-foreground">{children}</p>;
}
