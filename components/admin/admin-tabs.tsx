'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '@/components/ui/utils';

const tabs = [
  { href: '/dashboard/admin', label: 'Jobs' },
  { href: '/dashboard/admin/workers', label: 'Queue & workers' },
  { href: '/dashboard/admin/purges', label: 'Purges' },
  { href: '/dashboard/admin/audit', label: 'Audit log' },
];

/** The admin page's sections, one route each so a section can be linked to and reloaded. */
export function AdminTabs() {
  const pathname = usePathname();
  return (
    <nav aria-label="Admin sections" className="flex flex-wrap gap-1 border-b">
      {tabs.map((tab) => {
        const active = pathname === tab.href;
        return (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={active ? 'page' : undefined}
            className={cn(
              '-mb-px border-b-2 border-transparent px-3 py-2 text-sm font-medium text-muted-foreground hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none',
              active && 'border-primary text-foreground',
            )}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
