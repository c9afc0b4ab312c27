import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { setAccountRole } from '@/db/queries/admin';
import { auditLog } from '@/db/schema';
import { createTestAccount } from './accounts';

const run = promisify(execFile);

/** Runs `npm run admin -- <args>` against a test database, as an operator would; returns its JSON. */
export async function runAdmin<T = any>(databaseUrl: string, args: string[], env: Record<string, string> = {}): Promise<T> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, ...env },
  });
  return JSON.parse(stdout) as T;
}

/** An account with the admin role (and a key, which the admin API refuses), as `grant-admin` makes one. */
export async function createTestAdmin(db: Db, options: { credits?: number } = {}) {
  const created = await createTestAccount(db, options);
  const account = (await setAccountRole(db, { accountId: created.account.id, role: 'admin' }))!;
  return { ...created, account };
}

/** The audit entries about a target (or every entry with `{}`), oldest first, as plain rows. */
export async function auditEntries(db: Db, { targetId, action }: { targetId?: string; action?: string } = {}) {
  const where = [targetId ? eq(auditLog.targetId, targetId) : undefined, action ? eq(auditLog.action, action) : undefined].filter(Boolean);
  return db.select().from(auditLog).where(and(...where)).orderBy(asc(auditLog.id));
}
