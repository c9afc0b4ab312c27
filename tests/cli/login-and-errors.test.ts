import { existsSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '@/tests/helpers/http-server';
import { ansi, startCliEnvironment, type CliEnvironment } from './support';

// The CLI's contract with scripts: where it keeps the key, and what each kind of failure exits with.

let env: CliEnvironment;
let secret: string;

beforeAll(async () => {
  env = await startCliEnvironment();
  ({ secret } = await env.newAccount(50));
});

afterAll(async () => {
  await env?.close();
});

describe('login and the config file', () => {
  it('refuses a bad key with exit 3 and saves nothing', async () => {
    const result = await env.run(['login', '--api-url', env.server.url, '--api-key', 'sk_live_notarealkeynotarealkeynotareal']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Invalid API key');
    expect(existsSync(env.configFile)).toBe(false);
  });

  it('checks the key read from stdin, then saves the URL and key readable by the owner only', async () => {
    const result = await env.run(['login', '--api-url', `${env.server.url}/`], { input: `${secret}\n` });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^Logged in to http:\/\/127\.0\.0\.1:\d+ as user-\w+@example\.com \(50 credits available\)\./);
    expect(statSync(env.configFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(env.configFile, 'utf8'))).toEqual({ apiUrl: env.server.url, apiKey: secret });

    // Later commands use the saved login; the environment overrides it.
    expect((await env.run(['list', '-o', 'json'])).code).toBe(0);
    const overridden = await env.run(['list'], { env: { SCRAPIFIE_API_KEY: 'sk_live_notarealkeynotarealkeynotareal' } });
    expect(overridden.code).toBe(3);
  });

  it('without any key, says how to log in (exit 3)', async () => {
    const result = await env.run(['list'], { env: { SCRAPIFIE_CONFIG: `${env.home}/missing.json` } });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Not logged in. Run `scrapifie login`');
  });
});

describe('exit codes', () => {
  const run = (args: string[]) => env.as(secret)(args);

  it('2 for bad usage, with the problem named', async () => {
    const [unknownCommand, badChoice, badNumber, missingArgument, noUrl, noCommand] = await Promise.all([
      run(['frobnicate']),
      run(['submit', 'https://example.com', '--engine', 'warp']),
      run(['list', '--limit', 'many']),
      run(['status']),
      run(['submit']),
      run([]),
    ]);
    expect(unknownCommand).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown command 'frobnicate'") });
    expect(badChoice).toMatchObject({ code: 2, stderr: expect.stringContaining('Allowed choices are http, browser, stealth') });
    expect(badNumber).toMatchObject({ code: 2, stderr: expect.stringContaining('expected a whole number') });
    expect(missingArgument).toMatchObject({ code: 2, stderr: expect.stringContaining("missing required argument 'id'") });
    expect(noUrl).toMatchObject({ code: 2, stderr: expect.stringContaining('Give at least one URL') });
    expect(noCommand.code).toBe(2);
  });

  it('2 when the API refuses the input as invalid, listing each field', async () => {
    const result = await run(['submit', 'ftp://example.com/file']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('url: url must be an absolute http:// or https:// URL');
  });

  it('4 for a job that does not exist', async () => {
    const [full, prefix] = await Promise.all([run(['status', '00000000-0000-4000-8000-000000000000']), run(['logs', 'deadbeef'])]);
    expect(full).toMatchObject({ code: 4, stderr: expect.stringContaining('No job with id 00000000-0000-4000-8000-000000000000') });
    expect(prefix).toMatchObject({ code: 4, stderr: expect.stringContaining('No job with an id starting with deadbeef') });
  });

  it('5 when the server cannot be reached', async () => {
    const port = await closedPort();
    const result = await env.run(['list'], { env: { SCRAPIFIE_API_URL: `http://127.0.0.1:${port}`, SCRAPIFIE_API_KEY: secret } });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain(`Cannot reach the Scrapifie API at http://127.0.0.1:${port}: ECONNREFUSED`);
  });

  it('--help for every command exits 0 and lists the exit codes', async () => {
    const commands = ['login', 'submit', 'list', 'status', 'logs', 'cancel', 'retry', 'delete', 'cleanup', 'results', 'stats', 'storage', 'export', 'batch', 'webhook', 'schedules', 'crawls'];
    const [top, ...each] = await Promise.all([run(['--help']), ...commands.map((command) => run([command, '--help']))]);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('5  network: the API could not be reached');
    each.forEach((result, i) => {
      expect(result.code, commands[i]).toBe(0);
      expect(result.stdout).toContain(`Usage: scrapifie ${commands[i]}`);
      expect(result.stdout).toContain('Exit codes: 0 ok, 1 failure, 2 usage, 3 auth, 4 not found, 5 network');
    });
    expect((await run(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('features the server does not have', () => {
  let older: ApiServer;

  beforeAll(async () => {
    older = await startApiServer({ without: ['/api/v1/stats', '/api/v1/storage'] });
  });

  afterAll(async () => {
    await older?.close();
  });

  it('say so clearly (exit 1) instead of failing on the reply', async () => {
    const run = (args: string[]) => env.run(args, { env: { SCRAPIFIE_API_URL: older.url, SCRAPIFIE_API_KEY: secret } });
    const [stats, storage] = await Promise.all([run(['stats']), run(['storage'])]);
    expect(stats).toMatchObject({ code: 1, stderr: expect.stringContaining('This server does not support stats yet (GET /api/v1/stats answered 404).') });
    expect(storage).toMatchObject({ code: 1, stderr: expect.stringContaining('This server does not support storage yet') });
  });

  it('--name, --tags and --priority reach the job now that the API document lists them', async () => {
    const fresh = await env.newAccount(5);
    const result = await env.as(fresh.secret)(['submit', `${env.fixture.url}/page`, '--name', 'nightly', '--priority', 'high', '--tags', 'a,b']);
    expect(result.code).toBe(0);
    const list = await env.as(fresh.secret)(['list', '-o', 'json']);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ name: 'nightly', priority: 'high', tags: ['a', 'b'] })]);
  });
});

describe('colour', () => {
  it('only on a terminal or when forced, never with NO_COLOR', async () => {
    const run = (extra: Record<string, string>, args: string[] = []) => env.as(secret)(['status', 'ffff0000', ...args], { env: extra });
    // Errors go to stderr: plain in a pipe, coloured when forced, plain again with NO_COLOR or --no-color.
    const [plain, forced, noColor, flag] = await Promise.all([run({}), run({ FORCE_COLOR: '1' }), run({ FORCE_COLOR: '1', NO_COLOR: '1' }), run({ FORCE_COLOR: '1' }, ['--no-color'])]);
    expect(plain.stderr).not.toMatch(ansi);
    expect(forced.stderr).toMatch(ansi);
    expect(noColor.stderr).not.toMatch(ansi);
    expect(flag.stderr).not.toMatch(ansi);
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
