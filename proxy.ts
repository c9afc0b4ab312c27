import { getToken } from 'next-auth/jwt';
import { NextResponse, type NextRequest } from 'next/server';
import { getEnv } from '@/lib/env';
import { guardApiRequest } from '@/lib/server/api/route-table';
import { signInPath } from '@/lib/server/auth-config';

/**
 * /api/v1: unknown paths, methods a path does not have and over-long URLs get the API's JSON
 * error (404, 405 with Allow, 431) with an X-Request-Id, instead of Next's HTML page or empty reply.
 *
 * Signed-out visitors to the dashboard go to sign-in, carrying the page they asked for (path and
 * query only) so they come back to it. The pages check the session again: this is the fast path,
 * not the only guard.
 *
 * The session token is only read here, never re-issued: next-auth's auth() wrapper re-sets the
 * cookie on every response, and a prefetch answered after sign-out would bring the session back.
 */
export async function proxy(req: NextRequest) {
  if (req.nextUrl.pathname.startsWith('/api/')) return guardApiRequest(req) ?? NextResponse.next();
  const token = await getToken({ req, secret: getEnv().AUTH_SECRET, secureCookie: req.nextUrl.protocol === 'https:' });
  if (token?.sub) return NextResponse.next();
  const target = new URL(signInPath, req.nextUrl.origin);
  target.searchParams.set('callbackUrl', `${req.nextUrl.pathname}${req.nextUrl.search}`);
  return NextResponse.redirect(target);
}

// A conditional request (If-None-Match: a job page polling what it already has) skips the proxy:
// it costs about 1.2 ms a request here, a quarter of a 304's time, and a poll is a GET of a route
// it was answered on before. Such a request to an unknown path or method gets Next's own 404/405.
export const config = {
  matcher: ['/dashboard/:path*', { source: '/api/v1/:path*', missing: [{ type: 'header', key: 'if-none-match' }] }],
};
