import type { Metadata } from 'next';
import { getDb } from '@/db/client';
import { listApiKeys } from '@/db/queries/accounts';
import { SWRFallback } from '@/components/api/swr-fallback';
import { JobDetailView } from '@/components/jobs/detail/job-detail-view';
import { JobGone } from '@/components/jobs/detail/job-gone';
import { ApiError } from '@/lib/api-errors';
import { log } from '@/lib/log';
import { serializeAccount, serializeApiKey } from '@/lib/server/account-json';
import { readJobLogs } from '@/lib/server/jobs/logs';
import { readJob } from '@/lib/server/jobs/read';
import { getPollIntervals } from '@/lib/server/polling-config';
import { requireAccount } from '../../viewer';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Job ${id.slice(0, 8)} · Scrapifie` };
}

/** Which of the spec's messages a failed lookup shows: unknown (404), another account's (403) and deleted (410) differ. */
async function loadOwnedJob(id: string, accountId: string) {
  try {
    return { job: await readJob(getDb(), { id, accountId, maskSecrets: true }), unavailable: null } as const;
  } catch (error) {
    if (error instanceof ApiError && error.code === 'not_found') return { job: null, unavailable: 'not-found' } as const;
    if (error instanceof ApiError && error.code === 'forbidden') return { job: null, unavailable: 'forbidden' } as const;
    if (error instanceof ApiError && error.code === 'gone') return { job: null, unavailable: 'deleted' } as const;
    log.error('dashboard: job detail failed to load', { err: error });
    return { job: null, unavailable: 'error' } as const;
  }
}

/** The first paint of a job's detail, from the same functions as GET /api/v1/jobs/{id} and its logs. */
export default async function JobPage({ params }: Props) {
  const { id } = await params;
  const account = await requireAccount(`/dashboard/jobs/${id}`);
  const found = await loadOwnedJob(id, account.id);
  if (!found.job) return <JobGone reason={found.unavailable} />;

  const db = getDb();
  const { job } = found;
  // Purged logs (spec section 11) are not read at all; the view says why there are none.
  const [logs, keys] = await Promise.all([readJobLogs(db, { jobId: id, logsPurged: job.retention.logsPurged }), listApiKeys(db, account.id)]);
  const entries = logs.data;
  return (
    <SWRFallback fallback={{ '/api/v1/account': serializeAccount(account), '/api/v1/keys': { data: keys.map(serializeApiKey) } }}>
      <JobDetailView key={id} job={job} logs={entries} intervalMs={getPollIntervals().detailMs} />
    </SWRFallback>
  );
}
