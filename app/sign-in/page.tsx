import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/auth/sign-in-form';
import { safeCallbackPath } from '@/lib/server/auth-config';
import { getDashboardAccount } from '@/lib/server/session';
import { signInAction } from './actions';

export const metadata: Metadata = { title: 'Sign in · Scrapifie' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignInPage({ searchParams }: Props) {
  const raw = (await searchParams).callbackUrl;
  const host = (await headers()).get('host');
  const callbackUrl = safeCallbackPath(Array.isArray(raw) ? raw[0] : raw, host ? `http://${host}` : undefined);
  // Already signed in (to an account that still exists): straight on.
  if (await getDashboardAccount()) redirect(callbackUrl);
  return (
    <main className="flex min-h-dvh items-center justify-center px-4 py-12">
      <div className="flex w-full max-w-sm flex-col items-center gap-6">
        <div className="flex items-center gap-2">
          <span className="flex size-9 items-center justify-center rounded-lg bg-primary text-lg font-bold text-primary-foreground">S</span>
          <span className="text-xl font-semibold tracking-tight">Scrapifie</span>
        </div>
        <SignInForm action={signInAction} callbackUrl={callbackUrl} />
      </div>
    </main>
  );
}
