import type { Account } from '@/db/schema';
import { ApiError } from '@/lib/api-errors';
import { withApiAuth, type ApiContext } from '@/lib/server/api/route';

export type AdminContext<P> = Omit<ApiContext<P>, 'apiKey'> & { admin: Account };

/**
 * The wrapper of every /api/v1/admin route: a signed-in admin's dashboard session, nothing else.
 * API keys get 403 even when their account is an admin: a key is a long-lived secret kept in
 * scripts and CI, and admin powers (other accounts' jobs, the audit log) should need a person.
 */
export function withAdminAuth<P = Record<string, never>>(handler: (ctx: AdminContext<P>) => Promise<Response>) {
  return withApiAuth<P>(async ({ apiKey, account, ...ctx }) => {
    if (apiKey) throw new ApiError('forbidden', 'Admin endpoints are only available from a signed-in admin session, not with an API key.');
    if (account.role !== 'admin') throw new ApiError('forbidden', 'This endpoint is only available to administrators.');
    return handler({ ...ctx, account, admin: account });
  });
}
