import type { ReactNode } from 'react';
import { AppShell } from '@/components/shell/app-shell';
import { TimeProvider } from '@/components/time/time-context';
import { TooltipProvider } from '@/components/ui/tooltip';
import { Toaster } from '@/components/ui/sonner';
import { signOutAction } from './actions';
import { getViewerTimeZone, requireAccount } from './viewer';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const account = await requireAccount('/dashboard/jobs');
  const { timeZone } = await getViewerTimeZone();
  return (
    <TimeProvider timeZone={timeZone} now={Date.now()}>
      <TooltipProvider delayDuration={300}>
        <AppShell email={account.email} signOut={signOutAction}>
          {children}
        </AppShell>
        <Toaster />
      </TooltipProvider>
    </TimeProvider>
  );
}
