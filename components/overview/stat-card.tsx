import Link from 'next/link';
import type { ReactNode } from 'react';
import { cn } from '@/components/ui/utils';

/** One figure of the overview; the whole card links to the list it summarises. */
export function StatCard({
  id,
  label,
  value,
  hint,
  href,
  tone,
  title,
}: {
  id: string;
  label: string;
  value: ReactNode;
  hint: ReactNode;
  href: string;
  tone?: 'good' | 'bad' | 'live';
  /** What the figure counts, when the label alone does not say. */
  title?: string;
}) {
  return (
    <Link
      href={href}
      title={title}
      data-testid={`stat-${id}`}
      className="group flex flex-col gap-1 rounded-xl border bg-card px-4 py-3.5 shadow-xs transition-colors hover:border-ring/40 hover:bg-accent/40 focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none"
    >
      <span className="flex items-center gap-1.5 text-[13px] text-muted-foreground">
        {tone && (
          <span
            aria-hidden
            className={cn('size-2 rounded-full', tone === 'good' && 'bg-green-500', tone === 'bad' && 'bg-red-500', tone === 'live' && 'bg-blue-500')}
          />
        )}
        {label}
      </span>
      <span className="text-2xl font-semibold tracking-tight tabular" data-testid="stat-value">
        {value}
      </span>
      <span className="truncate text-xs text-muted-foreground">{hint}</span>
    </Link>
  );
}
