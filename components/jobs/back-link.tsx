'use client';

import { ArrowLeftIcon } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { cn } from '@/components/ui/utils';

// "Back to Jobs" goes back through the browser history when the user came from the list, so the
// list returns with its filters, sort, page and scroll position (spec section 4). Arriving any
// other way (a shared link, a retry redirect), it opens the list as the user last left it.

const listUrlKey = 'scrapifie:jobs-list-url';
const openedFromListKey = 'scrapifie:opened-from-list';
const listPath = '/dashboard/jobs';

/** Called by the list when it opens a job. */
export function rememberListUrl(jobId: string) {
  try {
    sessionStorage.setItem(listUrlKey, `${window.location.pathname}${window.location.search}`);
    sessionStorage.setItem(openedFromListKey, jobId);
  } catch {
    // Storage can be unavailable (private mode quotas); the link then opens the plain list.
  }
}

function read(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

export function BackToJobs({ jobId, className }: { jobId: string; className?: string }) {
  const router = useRouter();
  const [href, setHref] = useState(listPath);
  const [viaHistory, setViaHistory] = useState(false);

  useEffect(() => {
    const saved = read(listUrlKey);
    if (saved?.startsWith(listPath)) setHref(saved);
    setViaHistory(read(openedFromListKey) === jobId && window.history.length > 1);
  }, [jobId]);

  return (
    <a
      href={href}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        if (viaHistory) router.back();
        else router.push(href);
      }}
      className={cn(
        'inline-flex items-center gap-1.5 rounded text-sm text-muted-foreground hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none',
        className,
      )}
    >
      <ArrowLeftIcon className="size-4" />
      Back to Jobs
    </a>
  );
}
