import Link from 'next/link';
import type { ReactNode } from 'react';
import { cn } from '@/components/ui/utils';

type Section = { label: string; href: string };

type TrailProps = { current: ReactNode; mono?: boolean };

/** Dashboard › {section} › {current}: the trail above a detail page. */
export function Breadcrumb({ section, current, mono = false }: TrailProps & { section: Section }) {
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
          <Link href={section.href} className="hover:text-foreground">
            {section.label}
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

const JOBS: Section = { label: 'Jobs', href: '/dashboard/jobs' };
const BATCHES: Section = { label: 'Batches', href: '/dashboard/batches' };
const CRAWLS: Section = { label: 'Crawls', href: '/dashboard/crawls' };

/** Dashboard › Jobs › {current}: the trail above a job page. */
export function JobsBreadcrumb(props: TrailProps) {
  return <Breadcrumb section={JOBS} {...props} />;
}

/** Dashboard › Batches › {current}: the trail above a batch page. */
export function BatchesBreadcrumb(props: TrailProps) {
  return <Breadcrumb section={BATCHES} {...props} />;
}

/** Dashboard › Crawls › {current}: the trail above a crawl page. */
export function CrawlsBreadcrumb(props: TrailProps) {
  return <Breadcrumb section={CRAWLS} {...props} />;
}
