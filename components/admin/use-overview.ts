'use client';

import { fetcher } from '@/components/api/fetcher';
import { usePolling } from '@/components/api/use-polling';
import type { AdminOverviewResponse } from '@/lib/schemas/admin';

export const overviewUrl = '/api/v1/admin/overview';

/** GET /api/v1/admin/overview, refreshed every `intervalMs` while the tab is visible (queues always move). */
export function useAdminOverview(intervalMs: number) {
  return usePolling<AdminOverviewResponse>(overviewUrl, fetcher, { intervalMs, isActive: () => true });
}
