// Stands in for lib/server/session in tests that act as a signed-in dashboard user: next-auth
// reads its cookie through Next's request scope, which a handler called directly does not have.
// Use it with `vi.mock('@/lib/server/session', () => import('@/tests/helpers/session'))` and
// `api(..., { session: accountId })`; everything after authentication is the real code.

export const testSessionHeader = 'x-test-session';

export async function getSessionAccountId(req: Request): Promise<string | null> {
  return req.headers.get(testSessionHeader);
}

export async function getDashboardAccount() {
  return null;
}
