import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/db/client';
import { defaultActiveKey } from '@/db/queries/accounts';
import { getJobDefaults } from '@/db/queries/preferences';
import { valuesFromDefaults, valuesFromRequest } from '@/components/jobs/new/form-values';
import { JobForm } from '@/components/jobs/new/job-form';
import { ApiError } from '@/lib/api-errors';
import { currentPrices } from '@/lib/pricing';
import { maskConfigSecrets } from '@/lib/secret-masking';
import { getOwnedJob } from '@/lib/server/jobs/access';
import { requireAccount } from '../../viewer';
import { JobsBreadcrumb } from '@/components/shell/breadcrumb';
import { submitClonedJob } from './actions';

export const metadata: Metadata = { title: 'New job · Scrapifie' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The job a clone starts from, or why it cannot be used (the form then starts from the defaults). */
async function loadSource(id: string, accountId: string) {
  try {
    const { job } = await getOwnedJob(getDb(), { id, accountId });
    return { job, problem: null } as const;
  } catch (error) {
    if (error instanceof ApiError) return { job: null, problem: error.code === 'gone' ? 'That job was deleted, so it cannot be cloned.' : 'That job was not found, so it cannot be cloned.' } as const;
    throw error;
  }
}

/**
 * /dashboard/jobs/new, and with ?from={id} the same form pre-filled from that job (spec 002
 * "Clone Job"; the original is not touched). Otherwise the form starts from the saved defaults.
 */
export default async function NewJobPage({ searchParams }: Props) {
  const raw = (await searchParams).from;
  const from = Array.isArray(raw) ? raw[0] : raw;
  const account = await requireAccount(`/dashboard/jobs/new${from ? `?from=${encodeURIComponent(from)}` : ''}`);
  const db = getDb();
  const [source, saved, key] = await Promise.all([
    from ? loadSource(from, account.id) : Promise.resolve(null),
    getJobDefaults(db, account.id),
    defaultActiveKey(db, account.id),
  ]);
  const cloned = source?.job ?? null;
  // The clone's secrets never reach the browser: their rows keep the saved value on the server.
  const masked = cloned ? maskConfigSecrets(cloned.config) : null;
  const initial =
    cloned && masked
      ? valuesFromRequest({ url: cloned.url, engine: cloned.engine, name: cloned.name, tags: cloned.tags, priority: cloned.priority, ...masked.config }, masked.maskedSecrets)
      : valuesFromDefaults(saved?.defaults);

  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-col gap-1">
        <JobsBreadcrumb current={cloned ? 'Clone' : 'New job'} />
        <h1 className="text-2xl font-semibold tracking-tight">{cloned ? 'Clone job' : 'New job'}</h1>
        {cloned ? (
          <p className="text-sm text-muted-foreground" data-testid="clone-source">
            Pre-filled from job{' '}
            <Link href={`/dashboard/jobs/${cloned.id}`} className="font-mono text-primary hover:underline">
              {cloned.id.slice(0, 8)}
            </Link>
            . Submitting creates a new job; the original is not changed.
          </p>
        ) : (
          <p className="text-sm text-muted-foreground">Scrape a page from the dashboard, with the same options as the API.</p>
        )}
        {source?.problem && (
          <p role="alert" className="mt-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            {source.problem}
          </p>
        )}
      </div>
      <JobForm
        key={cloned?.id ?? 'new'}
        initial={initial}
        savedAt={saved?.updatedAt.toISOString() ?? null}
        clonedFrom={cloned?.id ?? null}
        prices={currentPrices()}
        submitKey={key ? { name: key.name, kind: key.kind } : null}
        submitClone={submitClonedJob}
      />
    </div>
  );
}
