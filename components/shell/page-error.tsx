'use client';

import { AlertCircleIcon, RefreshCwIcon } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { startTransition, useCallback, useEffect, useState } from 'react';
import { StaleBanner } from '@/components/jobs/live-status';
import { Button } from '@/components/ui/button';

const probeEveryMs = 5000;

export const outageMessage = 'Unable to reach the database. This page loads by itself once it is back; checking every 5 seconds.';

/** Whether the deployment can serve: false while /api/health says the database is away, or nothing answers at all. */
async function serving(): Promise<boolean> {
  try {
    const res = await fetch('/api/health', { cache: 'no-store' });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * What a dashboard page shows when it could not be rendered. A database outage (issue 13) is the
 * stale-data banner, not an error page: /api/health is asked every 5 s and the page renders again
 * by itself once it answers. Any other failure says so, with a way to try again.
 */
export function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  const [outage, setOutage] = useState<boolean | null>(null);
  const [retrying, setRetrying] = useState(false);

  const retry = useCallback(() => {
    setRetrying(true);
    startTransition(() => {
      router.refresh();
      reset();
    });
  }, [router, reset]);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let wasDown = false;
    const probe = async () => {
      const up = await serving();
      if (stopped) return;
      if (up) {
        if (wasDown) retry();
        else setOutage(false);
        return;
      }
      wasDown = true;
      setOutage(true);
      timer = setTimeout(probe, probeEveryMs);
    };
    void probe();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [retry]);

  if (outage === null) return null;
  if (outage) {
    return (
      <div className="space-y-4" data-testid="page-outage">
        <StaleBanner message={outageMessage} onRefresh={retry} refreshing={retrying} />
      </div>
    );
  }
  return (
    <div role="alert" data-testid="page-error" className="flex flex-col items-center gap-4 rounded-xl border bg-card px-6 py-16 text-center">
      <div className="flex size-11 items-center justify-center rounded-full bg-muted text-muted-foreground">
        <AlertCircleIcon className="size-5" />
      </div>
      <p className="max-w-md text-sm">This page could not be loaded. Try again; if it keeps failing, quote this reference to support.</p>
      {error.digest && <code className="rounded bg-muted px-2 py-0.5 text-xs">{error.digest}</code>}
      <Button variant="outline" size="sm" onClick={retry} disabled={retrying}>
        <RefreshCwIcon className={retrying ? 'animate-spin' : undefined} />
        Try again
      </Button>
    </div>
  );
}
