import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs `npm run admin -- <args>` against a test database, as an operator would; returns its JSON. */
export async function runAdmin<T = any>(databaseUrl: string, args: string[], env: Record<string, string> = {}): Promise<T> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, ...env },
  });
  return JSON.parse(stdout) as T;
}
