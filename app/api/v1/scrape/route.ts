import { scrapeBodySchema } from '@/lib/schemas/jobs';
import { requestActor } from '@/lib/server/admin/actor';
import { parseJsonBody, withApiAuth } from '@/lib/server/api/route';
import { replyResponse, withIdempotency } from '@/lib/server/idempotency';
import { scrapeAndWait, type ScrapeReply } from '@/lib/server/jobs/scrape';
import { submissionKey } from '@/lib/server/jobs/submit';

const scraped = ({ finished, job, result }: ScrapeReply) => ({
  status: finished ? 200 : 202,
  body: { job, result },
  headers: { Location: `/api/v1/jobs/${job.id}` },
});

// POST /api/v1/scrape: submit a job and wait up to `wait` seconds; 200 with the finished job and its result inline, else 202 with the job to poll
export const POST = withApiAuth(async ({ req, db, account, apiKey }) =>
  withIdempotency({ req, db, account }, async (claim) => {
    const body = await parseJsonBody(req, scrapeBodySchema);
    const key = await submissionKey(db, { account, apiKey });
    const actor = requestActor({ account, apiKey });
    return replyResponse(
      await scrapeAndWait(db, { account, apiKey: key, body, signal: req.signal, actor, idempotency: claim, reply: scraped, maskSecrets: apiKey === null }),
    );
  }),
  { rateLimit: 'create' },
);
