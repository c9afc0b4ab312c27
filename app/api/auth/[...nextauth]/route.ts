// GET/POST /api/auth/*: next-auth's own endpoints (session, csrf, credentials callback, sign-out)
import { handlers } from '@/lib/server/auth';
import { withRequestLog } from '@/lib/server/request-log';

export const GET = withRequestLog(handlers.GET);
export const POST = withRequestLog(handlers.POST);
