import { creditsQuerySchema } from '@/lib/schemas/accounts';
import { parseQuery, withApiAuth } from '@/lib/server/api/route';
import { loadCredits } from '@/lib/server/credits';

// GET /api/v1/credits?page&size&tz: balance, reservations, today's prices, the ledger and 30 days of balance
export const GET = withApiAuth(async ({ req, db, account }) => {
  const query = parseQuery(req, creditsQuerySchema);
  return Response.json(await loadCredits(db, { account, ...query }));
});
