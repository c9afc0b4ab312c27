import { eq, sql } from 'drizzle-orm';
import type { JobDefaults } from '@/lib/schemas/jobs';
import type { Db } from '../client';
import { jobDefaults } from '../schema';

export async function getJobDefaults(db: Db, accountId: string) {
  const [row] = await db.select().from(jobDefaults).where(eq(jobDefaults.accountId, accountId));
  return row;
}

export async function saveJobDefaults(db: Db, { accountId, defaults }: { accountId: string; defaults: JobDefaults }) {
  const [row] = await db
    .insert(jobDefaults)
    .values({ accountId, defaults })
    .onConflictDoUpdate({ target: jobDefaults.accountId, set: { defaults, updatedAt: sql`now()` } })
    .returning();
  return row;
}

export async function clearJobDefaults(db: Db, accountId: string): Promise<void> {
  await db.delete(jobDefaults).where(eq(jobDefaults.accountId, accountId));
}
