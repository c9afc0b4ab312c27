'use client';

import { CoinsIcon } from 'lucide-react';
import Link from 'next/link';
import { cn } from '@/components/ui/utils';
import { formatCredits } from './credits';
import { useAccount } from './use-account';

/** The available balance in the dashboard chrome; links to the credits page. */
export function BalanceLink({ refreshMs, compact, onNavigate }: { refreshMs: number; compact?: boolean; onNavigate?: () => void }) {
  const { data } = useAccount({ refreshMs });
  const available = data?.available;
  return (
    <Link
      href="/dashboard/billing"
      onClick={onNavigate}
      data-testid="balance"
      data-available={available}
      title="Credits available for new jobs"
      className={cn(
        'flex items-center gap-2 rounded-md text-sidebar-foreground transition-colors hover:bg-sidebar-accent hover:text-sidebar-accent-foreground focus-visible:ring-[3px] focus-visible:ring-ring/60 focus-visible:outline-none',
        compact ? 'px-2 py-1 text-xs' : 'px-2.5 py-2 text-sm',
      )}
    >
      <CoinsIcon className="size-4 shrink-0 text-amber-400" />
      {compact ? (
        <span className="font-medium tabular">{available === undefined ? '…' : formatCredits(available)}</span>
      ) : (
        <span className="flex min-w-0 flex-col leading-tight">
          <span className="text-xs">Available</span>
          <span className="font-semibold text-sidebar-accent-foreground tabular">{available === undefined ? '…' : formatCredits(available)}</span>
        </span>
      )}
    </Link>
  );
}
