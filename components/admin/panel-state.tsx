import { AlertCircleIcon } from 'lucide-react';
import { Skeleton } from '@/components/ui/skeleton';

/** What a panel shows before its data arrives: the error, or a skeleton. */
export function PanelPlaceholder({ error, label }: { error: unknown; label: string }) {
  if (error) {
    return (
      <div role="alert" className="flex items-center gap-2 rounded-xl border bg-card px-4 py-6 text-sm">
        <AlertCircleIcon className="size-4 text-destructive" />
        Unable to load {label}. It is retried automatically.
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-2 rounded-xl border bg-card p-4" aria-busy="true" aria-label={`Loading ${label}`}>
      {Array.from({ length: 4 }, (_, i) => (
        <Skeleton key={i} className="h-8 w-full" />
      ))}
    </div>
  );
}
