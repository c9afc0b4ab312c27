'use client';

import {
  BookOpenIcon,
  CalendarClockIcon,
  CreditCardIcon,
  KeyRoundIcon,
  LayersIcon,
  LayoutDashboardIcon,
  ListChecksIcon,
  LogOutIcon,
  MenuIcon,
  NetworkIcon,
  SettingsIcon,
  ShieldIcon,
  WebhookIcon,
  type LucideIcon,
} from 'lucide-react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import { AccountBanner } from '@/components/account/account-banner';
import { BalanceLink } from '@/components/account/balance';
import { useMarkFirstCommit } from '@/components/api/use-polling';
import { Button } from '@/components/ui/button';
import { Sheet, SheetContent, SheetTitle, SheetTrigger } from '@/components/ui/sheet';
import { cn } from '@/components/ui/utils';
import { ThemeToggle } from './theme-toggle';

type NavItem = { href: string; label: string; icon: LucideIcon; exact?: boolean };

const nav: NavItem[] = [
  { href: '/dashboard', label: 'Dashboard', icon: LayoutDashboardIcon, exact: true },
  { href: '/dashboard/jobs', label: 'Jobs', icon: ListChecksIcon },
  { href: '/dashboard/batches', label: 'Batches', icon: LayersIcon },
  { href: '/dashboard/crawls', label: 'Crawls', icon: NetworkIcon },
  { href: '/dashboard/api-keys', label: 'API Keys', icon: KeyRoundIcon },
  { href: '/dashboard/webhooks', label: 'Webhooks', icon: WebhookIcon },
  { href: '/dashboard/billing', label: 'Billing', icon: CreditCardIcon },
  { href: '/dashboard/docs', label: 'API Docs', icon: BookOpenIcon },
  { href: '/dashboard/settings', label: 'Settings', icon: SettingsIcon },
  { href: '/dashboard/schedules', label: 'Schedules', icon: CalendarClockIcon },
];

/** Only for accounts with the admin role (the page itself answers 404 to anyone else). */
const adminNav: NavItem = { href: '/dashboard/admin', label: 'Admin', icon: ShieldIcon };

function Logo() {
  return (
    <Link href="/dashboard" className="flex items-center gap-2 rounded-md px-2 text-sidebar-accent-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none">
      <span className="flex size-7 items-center justify-center rounded-md bg-primary text-sm font-bold text-primary-foreground">S</span>
      <span className="text-base font-semibold tracking-tight">Scrapifie</span>
    </Link>
  );
}

type ShellProps = { email: string; admin?: boolean; signOut: () => Promise<void>; refreshMs: number };

function SidebarBody({ email, admin, signOut, refreshMs, onNavigate }: ShellProps & { onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <div className="flex h-full flex-col gap-6 bg-sidebar px-3 py-4 text-sidebar-foreground">
      <Logo />
      <nav aria-label="Main" className="flex flex-1 flex-col gap-1">
        {(admin ? [...nav, adminNav] : nav).map(({ href, label, icon: Icon, exact }) => {
          const active = pathname === href || (!exact && pathname.startsWith(`${href}/`));
          return (
            <Link
              key={href}
              href={href}
              onClick={onNavigate}
              aria-current={active ? 'page' : undefined}
              className={cn(
                'flex items-center gap-3 rounded-md px-2.5 py-2 text-sm font-medium transition-colors hover:bg-sidebar-accent hover:text-sidebar-accent-foreground focus-visible:ring-[3px] focus-visible:ring-ring/60 focus-visible:outline-none',
                active && 'bg-sidebar-accent text-sidebar-accent-foreground',
              )}
            >
              <Icon className="size-4" />
              {label}
            </Link>
          );
        })}
      </nav>
      <div className="flex flex-col gap-2 border-t border-sidebar-border pt-4">
        <BalanceLink refreshMs={refreshMs} onNavigate={onNavigate} />
        <div className="flex items-center justify-between gap-2 px-2.5">
          <p className="min-w-0 truncate text-xs" title={email}>
            {email}
          </p>
          <ThemeToggle />
        </div>
        <form action={signOut}>
          <button
            type="submit"
            className="flex w-full items-center gap-3 rounded-md px-2.5 py-2 text-sm font-medium hover:bg-sidebar-accent hover:text-sidebar-accent-foreground focus-visible:ring-[3px] focus-visible:ring-ring/60 focus-visible:outline-none"
          >
            <LogOutIcon className="size-4" />
            Sign out
          </button>
        </form>
      </div>
    </div>
  );
}

/** The dashboard frame: a fixed sidebar from 1024 px, a top bar with a slide-out menu below that. */
export function AppShell({ children, ...shell }: ShellProps & { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  useMarkFirstCommit();
  return (
    <div className="min-h-dvh">
      {/* The first Tab on every page: past the sidebar's links, straight to the page's own content. */}
      <a
        href="#main-content"
        className="sr-only z-50 rounded-md bg-primary px-3 py-2 text-sm font-medium text-primary-foreground focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none"
      >
        Skip to content
      </a>
      <aside className="fixed inset-y-0 left-0 z-30 hidden w-60 lg:block">
        <SidebarBody {...shell} />
      </aside>
      <header className="sticky top-0 z-30 flex h-14 items-center gap-3 border-b bg-sidebar px-4 text-sidebar-foreground lg:hidden">
        <Sheet open={open} onOpenChange={setOpen}>
          <SheetTrigger asChild>
            <Button variant="ghost" size="icon-sm" aria-label="Open menu" className="text-sidebar-foreground hover:bg-sidebar-accent hover:text-sidebar-accent-foreground">
              <MenuIcon />
            </Button>
          </SheetTrigger>
          <SheetContent>
            <SheetTitle className="sr-only">Menu</SheetTitle>
            <SidebarBody {...shell} onNavigate={() => setOpen(false)} />
          </SheetContent>
        </Sheet>
        <Logo />
        <div className="ml-auto">
          <BalanceLink refreshMs={shell.refreshMs} compact />
        </div>
      </header>
      <main id="main-content" tabIndex={-1} className="outline-none lg:pl-60">
        <div className="mx-auto w-full max-w-7xl px-4 py-6 lg:px-8 lg:py-8">
          <AccountBanner />
          {children}
        </div>
      </main>
    </div>
  );
}
