'use server';

import { AuthError } from 'next-auth';
import { redirect } from 'next/navigation';
import { safeCallbackPath } from '@/lib/server/auth-config';
import { signIn } from '@/lib/server/auth';

export type SignInState = { error: string | null; email: string };

/**
 * Checks the credentials; on success next-auth sets the session cookie and we redirect to a path
 * on the host the browser used (next-auth would build an absolute URL from the server's own host).
 */
export async function signInAction(_previous: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get('email') ?? '');
  const password = String(form.get('password') ?? '');
  const redirectTo = safeCallbackPath(String(form.get('callbackUrl') ?? ''));
  if (!email.trim() || !password) return { error: 'Enter your email and password.', email };
  try {
    await signIn('credentials', { email, password, redirect: false });
  } catch (error) {
    if (error instanceof AuthError) {
      return { error: error.type === 'CredentialsSignin' ? 'Invalid email or password.' : 'Could not sign in. Please try again.', email };
    }
    throw error;
  }
  redirect(redirectTo);
}
