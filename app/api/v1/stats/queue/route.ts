import { withApiAuth } from '@/lib/server/api/route';
import { queueStats } from '@/lib/server/queue-stats';

// GET /api/v1/stats/queue: queued and processing jobs per engine, throughput, and the workers with their load
export const GET = withApiAuth(async ({ db, account }) => Response.json(await queueStats(db, account.id)), { rateLimit: 'read' });
