import { startFixtureServer, type FixtureServer } from '@/tests/fixtures/server';
import { createTestAccount } from '@/tests/helpers/accounts';
import { createTestDatabase } from '@/tests/helpers/database';
import { startApiServer, type ApiServer } from '@/tests/helpers/http-server';
import { startTestWorker } from '@/tests/helpers/worker';
import type { RunningWorker } from '@/workers/worker';

// The SDK under test talks HTTP to the real route handlers (tests/helpers/http-server.ts) on the
// test file's own database, with a real worker running its jobs against the local fixture site.

export type SdkEnvironment = {
  database: Awaited<ReturnType<typeof createTestDatabase>>;
  fixture: FixtureServer;
  server: ApiServer;
  worker: RunningWorker;
  newAccount(credits?: number): Promise<{ secret: string; accountId: string }>;
  close(): Promise<void>;
};

export async function startSdkEnvironment(): Promise<SdkEnvironment> {
  const database = await createTestDatabase();
  const [fixture, server] = await Promise.all([startFixtureServer(), startApiServer()]);
  const worker = await startTestWorker(database.url);
  return {
    database,
    fixture,
    server,
    worker,
    async newAccount(credits = 100) {
      const { secret, account } = await createTestAccount(database.db, { credits });
      return { secret, accountId: account.id };
    },
    async close() {
      await worker.stop();
      await Promise.all([server.close(), fixture.close()]);
      await database.close();
    },
  };
}
