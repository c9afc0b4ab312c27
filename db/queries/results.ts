import { and, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { jobResults } from '../schema';

export async function insertResult(db: Db, values: typeof jobResults.$inferInsert): Promise<void> {
  await db.insert(jobResults).values(values);
}

/** A result's description without its bytes. */
export async function getResultMeta(db: Db, { jobId, kind }: { jobId: string; kind: 'content' | 'screenshot' | 'extracted' }) {
  const [row] = await db
    .select({
      format: jobResults.format,
      contentType: jobResults.contentType,
      size: jobResults.size,
      width: jobResults.width,
      height: jobResults.height,
      purgedAt: jobResults.purgedAt,
      createdAt: jobResults.createdAt,
    })
    .from(jobResults)
    .where(and(eq(jobResults.jobId, jobId), eq(jobResults.kind, kind)));
  return row;
}

/** The extracted document of a job with extraction rules; null when there is none or retention purged it. */
export async function getExtracted(db: Db, jobId: string): Promise<unknown> {
  const row = await getResult(db, { jobId, kind: 'extracted' });
  if (!row || row.purgedAt || !row.content) return null;
  return JSON.parse(row.content.toString('utf8'));
}

export async function getResult(db: Db, { jobId, kind }: { jobId: string; kind: 'content' | 'screenshot' | 'extracted' }) {
  const [row] = await db
    .select()
    .from(jobResults)
    .where(and(eq(jobResults.jobId, jobId), eq(jobResults.kind, kind)));
  return row;
}
