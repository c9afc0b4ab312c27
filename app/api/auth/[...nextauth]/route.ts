// GET/POST /api/auth/*: next-auth's own endpoints (session, csrf, credentials callback, sign-out)
import { handlers } from '@/lib/server/auth';

export const { GET, POST } = handlers;
