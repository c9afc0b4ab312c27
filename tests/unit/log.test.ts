import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { addLogContext, log, withLogContext } from '@/lib/log';
import { redact, redactString } from '@/lib/log-redact';

// The logger's redaction (defence in depth: a secret handed to a log call by mistake is not
// written) and its line format.

describe('redactString', () => {
  it.each([
    ['key sk_live_AbCdEf0123456789_-xyz used', 'key sk_live_[redacted] used'],
    ['test key sk_test_Zz9 refused', 'test key sk_test_[redacted] refused'],
    ['signing with whsec_abc+/=123', 'signing with whsec_[redacted]'],
    ['Authorization: Bearer s3cr3t-value', 'Authorization: Bearer [redacted]'],
    ['authorization=basic dXNlcjpwYXNz', 'authorization=basic [redacted]'],
    ['Authorization: s3cr3t-value', 'Authorization: [redacted]'],
    ['Cookie: session=c00kie-value; theme=dark', 'Cookie: [redacted]'],
    ['proxy http://user:p4ss@proxy.example:8000 failed', 'proxy http://user:[redacted]@proxy.example:8000 failed'],
    ['postgres://app:hunter2@db:5432/app', 'postgres://app:[redacted]@db:5432/app'],
    ['login password=hunter2 failed', 'login password=[redacted] failed'],
    ['/callback?access_token=abc123&state=1', '/callback?access_token=[redacted]&state=1'],
    ['{"client_secret":"abc"}', '{"client_secret":"[redacted]"}'],
    ['x-api-key: k-123', 'x-api-key: [redacted]'],
    ['Authorization: Basic dXNlcjpwYXNz', 'Authorization: Basic [redacted]'],
    ['sent bearer abcdefghijklmnopqrstuvwxyz', 'sent bearer [redacted]'],
  ])('%s', (input, expected) => {
    expect(redactString(input)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    for (const text of [
      'Job completed successfully',
      'Retry 1 of 2: HTTP 503',
      'token bucket refilled',
      'GET https://example.com/page?q=shoes 200',
      'Basic engine',
      'sk_live_ prefix shown in the dashboard',
    ]) {
      expect(redactString(text)).toBe(text);
    }
  });
});

describe('redact', () => {
  it('hides the values of secret fields at any depth, keeping their names', () => {
    expect(
      redact({
        authorization: 'Bearer abc',
        Cookie: 'a=b',
        nested: { password: 'hunter2', apiKey: 'x', api_key: 'y', webhookSecret: 'z', accessToken: 't', keyHash: 'h', other: 'fine' },
        list: [{ secret: 's' }],
        missing: { token: null },
      }),
    ).toEqual({
      authorization: '[redacted]',
      Cookie: '[redacted]',
      nested: { password: '[redacted]', apiKey: '[redacted]', api_key: '[redacted]', webhookSecret: '[redacted]', accessToken: '[redacted]', keyHash: '[redacted]', other: 'fine' },
      list: [{ secret: '[redacted]' }],
      missing: { token: null },
    });
  });

  it("hides every value of a job's request headers and all of its cookies", () => {
    const config = { url: 'https://example.com', headers: { 'X-Api-Key': 'k', Accept: 'text/html' }, cookies: { session: 'c00kie' } };
    expect(redact({ config })).toEqual({
      config: { url: 'https://example.com', headers: { 'X-Api-Key': '[redacted]', Accept: '[redacted]' }, cookies: '[redacted]' },
    });
    expect(redact({ request: new Headers({ authorization: 'Bearer x', 'x-trace': 'y' }) })).toEqual({
      request: { authorization: '[redacted]', 'x-trace': '[redacted]' },
    });
  });

  it('turns errors into name, message and stack, redacted, with their cause and own fields', () => {
    const cause = new Error('connect failed for postgres://u:pw@db/app');
    const error = Object.assign(new Error('request with sk_live_abcdef failed', { cause }), { code: 'E_FAIL', password: 'x' });
    const plain = redact({ err: error }) as { err: Record<string, unknown> };
    expect(plain.err).toMatchObject({
      name: 'Error',
      message: 'request with sk_live_[redacted] failed',
      code: 'E_FAIL',
      password: '[redacted]',
      cause: { message: 'connect failed for postgres://u:[redacted]@db/app' },
    });
    expect(plain.err.stack).toContain('sk_live_[redacted]');
    expect(JSON.stringify(plain)).not.toContain('abcdef');
  });

  it('survives cycles, depth, dates and bigints', () => {
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    expect(redact(cyclic)).toEqual({ name: 'a', self: '[circular]' });
    expect(redact({ at: new Date('2026-01-02T03:04:05Z'), n: 10n })).toEqual({ at: '2026-01-02T03:04:05.000Z', n: '10' });
    const deep = { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } };
    expect(JSON.stringify(redact(deep))).toContain('[truncated]');
  });
});

describe('log', () => {
  let output: string[];
  beforeEach(() => {
    output = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      output.push(String(chunk));
      return true;
    });
    process.env.LOG_LEVEL = 'info';
    resetEnvCache();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.LOG_LEVEL;
    delete process.env.LOG_FORMAT;
    resetEnvCache();
  });

  it('writes one JSON object per line with time, level, msg, the context and the fields, redacted', async () => {
    await withLogContext({ requestId: 'r-1' }, async () => {
      addLogContext({ accountId: 'acc-1' });
      log.child({ workerId: 'w-1' }).info('job run ended', { jobId: 'j-1', headers: { Authorization: 'Bearer s3cr3t' } });
    });
    expect(output).toHaveLength(1);
    expect(output[0].endsWith('\n')).toBe(true);
    const line = JSON.parse(output[0]);
    expect(line).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      level: 'info',
      msg: 'job run ended',
      requestId: 'r-1',
      accountId: 'acc-1',
      workerId: 'w-1',
      jobId: 'j-1',
      headers: { Authorization: '[redacted]' },
    });
  });

  it('skips levels below LOG_LEVEL', () => {
    process.env.LOG_LEVEL = 'warn';
    resetEnvCache();
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(output.map((line) => JSON.parse(line).msg)).toEqual(['w', 'e']);
  });

  it('writes readable lines with LOG_FORMAT=pretty, the stack after', () => {
    process.env.LOG_FORMAT = 'pretty';
    resetEnvCache();
    log.error('unhandled error', { requestId: 'r-2', err: new Error('boom with sk_test_abc') });
    expect(output[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} ERROR unhandled error requestId=r-2 err=\{"name":"Error","message":"boom with sk_test_\[redacted\]"/);
    expect(output[0]).toContain('\nError: boom with sk_test_[redacted]\n    at ');
  });
});
