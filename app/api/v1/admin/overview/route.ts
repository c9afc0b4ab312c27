import { adminOverview } from '@/lib/server/admin/overview';
import { withAdminAuth } from '@/lib/server/admin/route';

// GET /api/v1/admin/overview: the whole queue per engine, workers (alive or gone), stuck jobs and recent purges; admins only
export const GET = withAdminAuth(async ({ db }) => Response.json(await adminOverview(db)));
