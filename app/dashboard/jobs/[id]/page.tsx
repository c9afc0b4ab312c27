import type { Metadata } from 'next';
import { getDb } from '@/db/client';
import { listApiKeys } from '@/db/queries/accounts';
import { listLogs } from '@/db/queries/logs';
import { SWRFallback } from '@/components/api/swr-fallback';
import { JobDetailView } from '@/components/jobs/detail/job-detail-view';
import { JobGone } from '@/components/jobs/detail/job-gone';
import { ApiError } from '@/lib/api-errors';
import { getEnv } from '@/lib/env';
import { log } from '@/lib/log';
import { serializeAccount, serializeApiKey } from '@/lib/server/account-json';
import { getOwnedJob } from '@/lib/server/jobs/access';
import { expireStaleJobs } from '@/lib/server/jobs/expire';
import { loadJobDetail } from '@/lib/server/jobs/read';
import { getPollIntervals } from '@/lib/server/polling-config';
import { requireAccount } from '../../viewer';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Job ${id.slice(0, 8)} · Scrapifie` };
}

/** Which of the spec's messages a failed lookup shows: unknown (404), another account's (403) and deleted (410) differ. */
async function loadOwnedJob(id: string, accountId: string) {
  const db = getDb();
  try {
    let row = await getOwnedJob(db, { id, accountId });
    if (row.job.status === 'queued') {
      const expired = await expireStaleJobs(db, { maxWaitSeconds: getEnv().MAX_QUEUE_WAIT_SECONDS, accountId });
      if (expired > 0) row = await getOwnedJob(db, { id, accountId });
    }
    return { row, unavailable: null } as const;
  } catch (error) {
    if (error instanceof ApiError && error.code === 'not_found') return { row: null, unavailable: 'not-found' } as const;
    if (error instanceof ApiError && error.code === 'forbidden') return { row: null, unavailable: 'forbidden' } as const;
    if (error instanceof ApiError && error.code === 'gone') return { row: null, unavailable: 'deleted' } as const;
    log.error('dashboard: job detail failed to load', { err: error });
    return { row: null, unavailable: 'error' } as const;
  }
}

/** The first paint of a job's detail, from the same functions as GET /api/v1/jobs/{id} and its logs. */
export default async function JobPage({ params }: Props) {
  const { id } = await params;
  const account = await requireAccount(`/dashboard/jobs/${id}`);
  const found = await loadOwnedJob(id, account.id);
  if (!found.row) return <JobGone reason={found.unavailable} />;

  const db = getDb();
  // Purged logs (spec section 11) are not read at all; the view says why there are none.
  const purged = found.row.job.logsPurgedAt !== null;
  const [job, logs, keys] = await Promise.all([
    loadJobDetail(db, found.row, { maskSecrets: true }),
    purged ? { data: [] } : listLogs(db, { jobId: id }),
    listApiKeys(db, account.id),
  ]);
  const entries = logs.data.map((entry) => ({
    seq: entry.seq,
    timestamp: entry.timestamp.toISOString(),
    level: entry.level,
    message: entry.message,
    metadata: entry.metadata ?? null,
  }));
  return (
    <SWRFallback fallback={{ '/api/v1/account': serializeAccount(account), '/api/v1/keys': { data: keys.map(serializeApiKey) } }}>
      <JobDetailView key={id} job={job} logs={entries} intervalMs={getPollIntervals().detailMs} />
    </SWRFallback>
  );
}
