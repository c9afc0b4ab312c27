import { getToken } from 'next-auth/jwt';
import { cache } from 'react';
import { getDb } from '@/db/client';
import { getAccount } from '@/db/queries/accounts';
import type { Account } from '@/db/schema';
import { getEnv } from '@/lib/env';
import { auth } from './auth';

// next-auth names its session cookie with a __Secure- prefix over HTTPS and splits large ones
// into .0, .1, ... chunks.
const sessionCookie = /(?:^|;\s*)(?:__Secure-)?authjs\.session-token(?:\.\d+)?=/;

/**
 * The dashboard session's account id, or null. Requests that carry no session cookie (API
 * clients, tests calling handlers directly) are answered without touching next-auth.
 */
export async function getSessionAccountId(req: Request): Promise<string | null> {
  const sent = sessionCookie.exec(req.headers.get('cookie') ?? '');
  if (!sent) return null;
  // The token alone, as proxy.ts reads it: the session callback only copies its subject, and
  // auth() would build a whole Auth.js request for it (a few ms of every dashboard poll).
  const token = await getToken({ req, secret: getEnv().AUTH_SECRET, secureCookie: sent[0].includes('__Secure-') });
  return token?.sub ?? null;
}

/** The signed-in account for a dashboard page (once per request), or null when signed out or deleted. */
export const getDashboardAccount = cache(async (): Promise<Account | null> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const account = await getAccount(getDb(), id);
  return account && !account.deletedAt ? account : null;
});
