import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { startFixtureServer, type FixtureServer } from '@/tests/fixtures/server';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api, waitForStatus } from '@/tests/helpers/api';
import { createTestDatabase } from '@/tests/helpers/database';
import { waitFor } from '@/tests/helpers/worker';

// The server logs as an operator reads them: the web's route handlers (in this process) and a
// real worker process, both captured from stdout and stderr, while a job with credentials in its
// headers and cookies runs, a key is refused and a request fails with a 500. The request and job
// ids are there; no secret is, anywhere.

vi.mock('@/lib/server/session', () => import('@/tests/helpers/session'));

const failure = vi.hoisted(() => ({ message: '' }));
vi.mock('@/db/queries/storage', async (importOriginal) => {
  const original = await importOriginal<typeof import('@/db/queries/storage')>();
  return {
    ...original,
    storageUsage: async (...args: Parameters<typeof original.storageUsage>) => {
      if (failure.message) throw new Error(failure.message);
      return original.storageUsage(...args);
    },
  };
});

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let fixture: FixtureServer;
let worker: ChildProcess;
let workerOutput = '';
let webOutput = '';
const restores: (() => void)[] = [];

/** Everything this process writes to stdout and stderr, still written through. */
function capture(stream: NodeJS.WriteStream) {
  const write = stream.write.bind(stream);
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    webOutput += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof stream.write;
  restores.push(() => (stream.write = write));
}

beforeAll(async () => {
  database = await createTestDatabase();
  fixture = await startFixtureServer();
  process.env.LOG_LEVEL = 'info';
  resetEnvCache();
  capture(process.stdout);
  capture(process.stderr);
  worker = spawn(process.execPath, ['--import', 'tsx', 'workers/index.ts'], {
    env: { ...process.env, DATABASE_URL: database.url, EGRESS_ALLOWLIST: '127.0.0.1/32', LOG_FLUSH_MS: '50', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout!.on('data', (chunk) => (workerOutput += chunk));
  worker.stderr!.on('data', (chunk) => (workerOutput += chunk));
  await waitFor(async () => workerOutput.includes('"msg":"worker started"'), { what: `the worker to start:\n${workerOutput}`, timeoutMs: 30_000 });
});

afterAll(async () => {
  restores.forEach((restore) => restore());
  delete process.env.LOG_LEVEL;
  resetEnvCache();
  if (worker && worker.exitCode === null) {
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.kill('SIGTERM');
    await exited;
  }
  await fixture?.close();
  await database?.close();
});

/** The JSON lines of a captured output (other lines, such as a tool's warnings, are skipped). */
function lines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('server logs', () => {
  it('carry request and job ids, and never a key, an Authorization header, a cookie value or a password', async () => {
    const { account, secret } = await createTestAccount(database.db, { credits: 20 });
    const wrongKey = 'sk_live_ThisKeyDoesNotExist0123456789abcdefghij';
    const webhookSecret = 'whsec_N0tForTheLogs0123456789';

    // A job whose request carries credentials: the worker sends them to the target.
    const submitted = await api('POST', '/api/v1/jobs', {
      key: secret,
      headers: { 'X-Request-Id': 'logging-test-submit' },
      body: { url: `${fixture.url}/echo?probe=1`, headers: { Authorization: 'Bearer s3cr3t-value' }, cookies: { session: 'c00kie-value' } },
    });
    expect(submitted.status).toBe(202);
    expect(submitted.headers.get('x-request-id')).toBe('logging-test-submit');
    const jobId = submitted.body.id as string;
    const job = await waitForStatus(jobId, secret, ['completed', 'failed']);
    expect(job.status).toBe('completed');

    // A refused key; a dashboard request with a session cookie; a request id that is not a sane token.
    const refused = await api('GET', '/api/v1/jobs', { key: wrongKey });
    expect(refused.status).toBe(401);
    const generated = refused.headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    const dashboard = await api('GET', '/api/v1/jobs', {
      session: account.id,
      headers: { cookie: 'authjs.session-token=c00kie-value', 'X-Request-Id': 'not a token; c00kie-value' },
    });
    expect(dashboard.status).toBe(200);
    expect(dashboard.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    // A 500 whose error quotes secrets: the client gets the generic text; the log gets the error, redacted.
    failure.message = `storage exploded for ${secret} with Authorization: Bearer s3cr3t-value and ${webhookSecret} password=hunter2`;
    const crashed = await api('GET', '/api/v1/storage', { key: secret, headers: { 'X-Request-Id': 'logging-test-500' } });
    failure.message = '';
    expect(crashed.status).toBe(500);
    expect(crashed.body).toEqual({ error: { code: 'internal_error', message: 'Something went wrong on our side. Please try again.' } });
    expect(JSON.stringify(crashed.body)).not.toContain('exploded');

    // The worker logs the job's run once it has ended.
    await waitFor(async () => lines(workerOutput).some((line) => line.jobId === jobId && line.msg === 'job run ended'), {
      what: `the worker's line for job ${jobId}:\n${workerOutput}`,
    });

    const web = lines(webOutput);
    expect(web.find((line) => line.requestId === 'logging-test-submit' && line.msg === 'request')).toMatchObject({
      level: 'info',
      method: 'POST',
      path: '/api/v1/jobs',
      status: 202,
      accountId: account.id,
      durationMs: expect.any(Number),
    });
    expect(web.find((line) => line.requestId === generated && line.msg === 'request')).toMatchObject({ status: 401, path: '/api/v1/jobs' });
    const errorLine = web.find((line) => line.requestId === 'logging-test-500' && line.level === 'error');
    expect(errorLine).toMatchObject({ msg: 'unhandled error', err: { name: 'Error', stack: expect.stringContaining('storage exploded') } });
    expect(web.find((line) => line.requestId === 'logging-test-500' && line.msg === 'request')).toMatchObject({ status: 500 });
    const workerLine = lines(workerOutput).find((line) => line.jobId === jobId && line.msg === 'job run ended');
    expect(workerLine).toMatchObject({ level: 'info', workerId: expect.any(String), engine: 'http', durationMs: expect.any(Number) });

    const everything = webOutput + workerOutput;
    for (const leaked of [secret, wrongKey, webhookSecret, 's3cr3t-value', 'c00kie-value', 'hunter2', 'correct horse battery']) {
      expect(everything, `"${leaked}" appears in the logs`).not.toContain(leaked);
    }
    // The API key's prefix alone is harmless and tells an operator what was there.
    expect(errorLine!.err).toMatchObject({ message: expect.stringContaining('sk_live_[redacted]') });
  });
});
