import { cookies } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { isValidTimeZone, timeZoneCookie, timeZoneOffsetMinutes } from '@/components/time/format';
import { getDashboardAccount } from '@/lib/server/session';

/** The timezone the browser reported last (UTC until it has), and its offset now. */
export async function getViewerTimeZone(): Promise<{ timeZone: string; offset: number }> {
  const raw = (await cookies()).get(timeZoneCookie)?.value;
  const decoded = raw ? decodeURIComponent(raw) : undefined;
  const timeZone = isValidTimeZone(decoded) ? decoded : 'UTC';
  return { timeZone, offset: timeZoneOffsetMinutes(timeZone) };
}

/** The page's account; a signed-out (or deleted) visitor goes to sign-in and comes back afterwards. */
export async function requireAccount(returnTo: string) {
  const account = await getDashboardAccount();
  if (!account) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  return account;
}

export function isAdmin(account: { role: 'user' | 'admin' }): boolean {
  return account.role === 'admin';
}

/** An admin page's account; anyone else gets the ordinary 404, so the page's existence is not revealed. */
export async function requireAdmin(returnTo: string) {
  const account = await requireAccount(returnTo);
  if (!isAdmin(account)) notFound();
  return account;
}
