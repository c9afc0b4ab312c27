import path from 'node:path';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { PgBoss } from 'pg-boss';
import { createDatabase } from '@/db/client';
import { backfillJobSearch, backfillNextAccount } from '@/db/queries/job-counts';
import { log } from '@/lib/log';
import { queueNames, queueOptions, retentionQueue, webhookDeliveryQueue } from '@/lib/queue';

/** Applies the committed Drizzle migrations and installs pg-boss with our queues. Idempotent. */
export async function runMigrations(databaseUrl: string): Promise<void> {
  const { db, client } = createDatabase(databaseUrl, { max: 1, statementTimeout: false });
  try {
    await migrate(db, { migrationsFolder: path.join(process.cwd(), 'db/migrations') });
    // Accounts whose jobs predate the job-count roll-ups: one transaction each (see backfillNextAccount).
    while (await backfillNextAccount(db)) {}
    // And jobs that predate the search table (migration 0016), a batch per transaction.
    while (await backfillJobSearch(db)) {}
  } finally {
    await client.end({ timeout: 5 });
  }
  const boss = new PgBoss({ connectionString: databaseUrl, max: 2, supervise: false, schedule: false, registerInstance: false });
  boss.on('error', (error) => log.error('queue error', { err: error }));
  await boss.start();
  try {
    for (const name of Object.values(queueNames)) {
      const existing = await boss.getQueue(name);
      if (existing) await boss.updateQueue(name, queueOptions);
      else await boss.createQueue(name, queueOptions);
    }
    const { policy, ...retentionOptions } = retentionQueue.options;
    if (await boss.getQueue(retentionQueue.name)) await boss.updateQueue(retentionQueue.name, retentionOptions);
    else await boss.createQueue(retentionQueue.name, { policy, ...retentionOptions });
    if (await boss.getQueue(webhookDeliveryQueue.name)) await boss.updateQueue(webhookDeliveryQueue.name, webhookDeliveryQueue.options);
    else await boss.createQueue(webhookDeliveryQueue.name, webhookDeliveryQueue.options);
  } finally {
    await boss.stop({ graceful: false, timeout: 2000 });
  }
}
