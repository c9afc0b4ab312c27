import { getEnv } from '@/lib/env';
import type { PollIntervals } from '@/lib/polling';

/** The dashboard's poll intervals (DASHBOARD_LIST_POLL_SECONDS, DASHBOARD_DETAIL_POLL_SECONDS). */
export function getPollIntervals(): PollIntervals {
  const env = getEnv();
  return { listMs: env.DASHBOARD_LIST_POLL_SECONDS * 1000, detailMs: env.DASHBOARD_DETAIL_POLL_SECONDS * 1000 };
}
