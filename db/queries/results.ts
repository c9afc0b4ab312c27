import { and, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { jobResults } from '../schema';

export async function insertResult(db: Db, values: typeof jobResults.$inferInsert): Promise<void> {
  await db.insert(jobResults).values(values);
}

/** A result's description without its bytes. */
export async function getResultMeta(db: Db, { jobId, kind }: { jobId: string; kind: 'content' | 'screenshot' }) {
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

export async function getResult(db: Db, { jobId, kind }: { jobId: string; kind: 'content' | 'screenshot' }) {
  const [row] = await db
    .select()
    .from(jobResults)
    .where(and(eq(jobResults.jobId, jobId), eq(jobResults.kind, kind)));
  return row;
}
