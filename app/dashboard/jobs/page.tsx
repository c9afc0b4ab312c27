import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getDb } from '@/db/client';
import { listApiKeys } from '@/db/queries/accounts';
import { countJobsByFilter } from '@/db/queries/counts';
import { listJobs } from '@/db/queries/jobs';
import { SWRFallback } from '@/components/api/swr-fallback';
import type { JobListJson } from '@/components/jobs/api-types';
import { JobsListView } from '@/components/jobs/jobs-list-view';
import { countsApiUrl, jobsApiUrl, parseListParams, toSearchString } from '@/components/jobs/list-params';
import { listJobsQuerySchema } from '@/lib/schemas/jobs';
import { serializeApiKey } from '@/lib/server/account-json';
import { expireBeforeRead } from '@/lib/server/jobs/read';
import { serializeJobSummary } from '@/lib/server/jobs/serialize';
import { getPollIntervals } from '@/lib/server/polling-config';
import { getViewerTimeZone, requireAccount } from '../viewer';

export const metadata: Metadata = { title: 'Jobs · Scrapifie' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * The first paint of the jobs list, from the same query functions GET /api/v1/jobs uses; the
 * client takes over from there (SWR keyed by the API URLs it would have fetched).
 */
export default async function JobsPage({ searchParams }: Props) {
  const params = parseListParams(await searchParams);
  const account = await requireAccount(`/dashboard/jobs${toSearchString(params)}`);
  const { offset } = await getViewerTimeZone();
  const listUrl = jobsApiUrl(params, offset);
  const countsUrl = countsApiUrl(params, offset);
  const query = listJobsQuerySchema.parse(Object.fromEntries(new URL(listUrl, 'http://local').searchParams));

  const db = getDb();
  await expireBeforeRead(db, account.id);
  const [{ rows, total }, counts, keys] = await Promise.all([
    listJobs(db, { accountId: account.id, query }),
    countJobsByFilter(db, { accountId: account.id, query }),
    listApiKeys(db, account.id),
  ]);
  // A page past the end (?page=99 of 3): the last page's own URL, which renders its rows. Done
  // here, before the first paint; the client only saw an empty page it could not reload in time.
  const totalPages = Math.max(1, Math.ceil(total / query.size));
  if (rows.length === 0 && total > 0 && query.page > totalPages) redirect(`/dashboard/jobs${toSearchString({ ...params, page: totalPages })}`);
  const list: JobListJson = {
    data: rows.map(serializeJobSummary),
    page: query.page,
    size: query.size,
    total,
    totalPages,
  };

  return (
    <SWRFallback fallback={{ [listUrl]: list, [countsUrl]: counts, '/api/v1/keys': { data: keys.map(serializeApiKey) } }}>
      <JobsListView intervalMs={getPollIntervals().listMs} />
    </SWRFallback>
  );
}
