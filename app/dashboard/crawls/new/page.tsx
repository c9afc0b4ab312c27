import type { Metadata } from 'next';
import { getDb } from '@/db/client';
import { defaultActiveKey } from '@/db/queries/accounts';
import { CrawlForm } from '@/components/crawls/crawl-form';
import { CrawlsBreadcrumb } from '@/components/shell/breadcrumb';
import { currentPrices } from '@/lib/pricing';
import { requireAccount } from '../../viewer';

export const metadata: Metadata = { title: 'New crawl · Scrapifie' };

/** /dashboard/crawls/new: the form; it posts to /api/v1/crawls as the signed-in user (their default key pays). */
export default async function NewCrawlPage() {
  const account = await requireAccount('/dashboard/crawls/new');
  const key = await defaultActiveKey(getDb(), account.id);
  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-col gap-1">
        <CrawlsBreadcrumb current="New crawl" />
        <h1 className="text-2xl font-semibold tracking-tight">New crawl</h1>
        <p className="text-sm text-muted-foreground">Follow a site&apos;s links from a start URL; every page fetched is an ordinary job.</p>
      </div>
      <CrawlForm prices={currentPrices()} submitKey={key ? { kind: key.kind } : null} />
    </div>
  );
}
