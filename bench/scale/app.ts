import { ensureProductionBuild, startNextServer, type NextServer } from '@/scripts/next-build';

// The app under test: the checkout's production build (the e2e suite's, reused when the sources
// are unchanged: same directory, same fingerprint file) served by `next start`, and a dashboard
// session signed in through next-auth's credentials endpoint as a browser would.

/** Builds the app unless the e2e suite's build is of these sources. Returns the build's milliseconds (0: reused). */
export function ensureBuild(log: (message: string) => void): number {
  return ensureProductionBuild({ log });
}

export type RunningApp = NextServer;

/**
 * `next start` against the seeded database. Queued jobs never expire during the run (the
 * seed's are minutes old and nothing else may change the data under the measurements), and
 * the read rate limit is raised far above the bench's pace, so its bucket is still taken on
 * every request but never refuses one.
 */
export async function startApp({ databaseUrl }: { databaseUrl: string }): Promise<RunningApp> {
  return startNextServer({
    logName: 'scrapifie-bench-scale-app.log',
    env: {
      DATABASE_URL: databaseUrl,
      MAX_QUEUE_WAIT_SECONDS: String(365 * 86_400),
      RATE_LIMIT_READ_PER_SECOND: '100000',
      RATE_LIMIT_READ_BURST: '1000000',
    },
  });
}

/** The cookies of a response's Set-Cookie headers, as `name=value` pairs. */
function cookiesOf(response: Response): string[] {
  return response.headers.getSetCookie().map((line) => line.split(';')[0]);
}

/** Signs in through next-auth's credentials endpoint; returns the Cookie header of the session. */
export async function signIn(baseUrl: string, { email, password }: { email: string; password: string }): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = cookiesOf(csrf);
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: jar.join('; ') },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: '/dashboard/jobs' }),
  });
  const session = cookiesOf(response).filter((cookie) => cookie.includes('session-token'));
  if (response.status !== 302 || session.length === 0 || (response.headers.get('location') ?? '').includes('error')) {
    throw new Error(`dashboard sign-in failed: ${response.status} ${response.headers.get('location')}`);
  }
  return [...jar, ...session].join('; ');
}
