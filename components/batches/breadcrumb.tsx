import Link from 'next/link';
import type { ReactNode } from 'react';
import { cn } from '@/components/ui/utils';

/** Dashboard › Batches › {current}: the trail above a batch page. */
export function BatchesBreadcrumb({ current, mono = false }: { current: ReactNode; mono?: boolean }) {
  return (
    <nav aria-label="Breadcrumb" className="text-sm text-muted-foreground">
      <ol className="flex flex-wrap items-center gap-1.5">
        <li>
          <Link href="/dashboard" className="hover:text-foreground">
            Dashboard
          </Link>
        </li>
        <li aria-hidden>›</li>
        <li>
          <Link href="/dashboard/batches" className="hover:text-foreground">
            Batches
          </Link>
        </li>
        <li aria-hidden>›</li>
        <li aria-current="page" className={cn('text-foreground', mono && 'font-mono')}>
          {current}
        </li>
      </ol>
    </nav>
  );
}
