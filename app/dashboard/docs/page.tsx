import type { Metadata } from 'next';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { requireAccount } from '../viewer';

export const metadata: Metadata = { title: 'API Docs · Scrapifie' };

const examples = [
  {
    title: 'Submit a job',
    code: `curl -X POST $ORIGIN/api/v1/jobs \\
  -H "Authorization: Bearer $SCRAPIFIE_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"url": "https://example.com", "engine": "http", "format": "markdown"}'`,
  },
  { title: 'Check its status', code: 'curl $ORIGIN/api/v1/jobs/$JOB_ID -H "Authorization: Bearer $SCRAPIFIE_KEY"' },
  { title: 'Read its log', code: 'curl "$ORIGIN/api/v1/jobs/$JOB_ID/logs?after=0" -H "Authorization: Bearer $SCRAPIFIE_KEY"' },
  { title: 'Download the result', code: 'curl -OJ $ORIGIN/api/v1/jobs/$JOB_ID/result -H "Authorization: Bearer $SCRAPIFIE_KEY"' },
  { title: 'List, cancel, retry', code: 'GET /api/v1/jobs?status=failed&engine=http&q=example.com&page=1&size=25\nPOST /api/v1/jobs/$JOB_ID/cancel\nPOST /api/v1/jobs/$JOB_ID/retry' },
];

/** A short API quick start: where "View API Documentation" leads. */
export default async function DocsPage() {
  await requireAccount('/dashboard/docs');
  return (
    <div className="flex max-w-3xl flex-col gap-4">
      <h1 className="text-2xl font-semibold tracking-tight">API Documentation</h1>
      <p className="text-sm text-muted-foreground">
        Every job starts with an API request authenticated by one of your API keys. Jobs appear on the Jobs page as soon as they are
        accepted and update live while they run. Do not put secrets in URLs: the engine logs the URLs it fetches.
      </p>
      {examples.map((example) => (
        <Card key={example.title}>
          <CardHeader>
            <CardTitle>{example.title}</CardTitle>
          </CardHeader>
          <CardContent>
            <pre className="overflow-x-auto rounded-md bg-muted/60 p-3 font-mono text-xs leading-5">{example.code}</pre>
          </CardContent>
        </Card>
      ))}
    </div>
  );
}
