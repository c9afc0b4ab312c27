import type { NextAuthConfig } from 'next-auth';

// The part of the next-auth setup that needs no database: the proxy imports only this, so
// checking a session cookie on every dashboard request never loads the Postgres client.

export const signInPath = '/sign-in';

export const authConfig = {
  pages: { signIn: signInPath },
  session: { strategy: 'jwt', maxAge: 30 * 24 * 60 * 60 },
  // The app is reached through whatever host it is started on (localhost, a LAN address, a proxy).
  trustHost: true,
  providers: [],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
} satisfies NextAuthConfig;

/** Where to go after signing in: only a path on this site, so the parameter cannot send users elsewhere. */
export function safeCallbackPath(raw: string | null | undefined, origin?: string): string {
  const fallback = '/dashboard';
  if (!raw) return fallback;
  let value = raw;
  if (origin && raw.startsWith(origin)) value = raw.slice(origin.length) || '/';
  else if (/^https?:\/\//i.test(raw)) {
    try {
      const url = new URL(raw);
      value = `${url.pathname}${url.search}${url.hash}`;
    } catch {
      return fallback;
    }
  }
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (value.startsWith(signInPath)) return fallback;
  return value;
}
