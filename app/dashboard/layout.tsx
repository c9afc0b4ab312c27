import type { ReactNode } from 'react';
import { SWRFallback } from '@/components/api/swr-fallback';
import { AppShell } from '@/components/shell/app-shell';
import { TimeProvider } from '@/components/time/time-context';
import { TooltipProvider } from '@/components/ui/tooltip';
import { Toaster } from '@/components/ui/sonner';
import { serializeAccount } from '@/lib/server/account-json';
import { getPollIntervals } from '@/lib/server/polling-config';
import { signOutAction } from './actions';
import { getViewerTimeZone, isAdmin, requireAccount } from './viewer';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const account = await requireAccount('/dashboard/jobs');
  const { timeZone } = await getViewerTimeZone();
  return (
    <TimeProvider timeZone={timeZone} now={Date.now()}>
      <TooltipProvider delayDuration={300}>
        {/* The balance in the sidebar and the suspended banner read the account from here first. */}
        <SWRFallback fallback={{ '/api/v1/account': serializeAccount(account) }}>
          <AppShell email={account.email} admin={isAdmin(account)} signOut={signOutAction} refreshMs={getPollIntervals().listMs}>
            {children}
          </AppShell>
        </SWRFallback>
        <Toaster />
      </TooltipProvider>
    </TimeProvider>
  );
}
