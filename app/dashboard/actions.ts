'use server';

import { redirect } from 'next/navigation';
import { signOut } from '@/lib/server/auth';

/** Clears the session; the redirect is relative so it stays on the host the browser used. */
export async function signOutAction() {
  await signOut({ redirect: false });
  redirect('/sign-in');
}
