import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { closeDatabase, createDatabase } from '@/db/client';
import { resetEnvCache } from '@/lib/env';
import { stopProducerBoss } from '@/lib/server/queue';

/**
 * A fresh database for the calling test file, cloned from the migrated template, and set as
 * DATABASE_URL so the route handlers and the queue producer use it too.
 */
export async function createTestDatabase() {
  const base = inject('postgresBaseUrl');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(`${base}/postgres`, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE template_scrapifie`);
  await admin.end();
  const url = `${base}/${name}`;
  process.env.DATABASE_URL = url;
  resetEnvCache();
  const { db, client } = createDatabase(url, { max: 5 });
  return {
    url,
    db,
    client,
    async close() {
      await stopProducerBoss();
      await closeDatabase();
      await client.end({ timeout: 5 });
    },
  };
}
