import { parseArgs } from 'node:util';
import { createDatabase } from '@/db/client';
import { findAccountByEmail, listApiKeys } from '@/db/queries/accounts';
import { listPurgeRuns } from '@/db/queries/retention';
import { getEnv } from '@/lib/env';
import { createAccount, createApiKey, revokeKey } from '@/lib/server/accounts';
import { operatorActor } from '@/lib/server/admin/actor';
import { grantCreditsAsOperator, setAdmin, setSuspendedAsOperator } from '@/lib/server/admin/operator';
import { runMigrations } from '@/lib/server/migrate';
import { retentionSettings, runRetentionPurge } from '@/lib/server/retention';
import { resolveDatabase } from './database';

// Operator commands that need no browser. Each prints JSON on stdout; errors go to stderr
// with exit code 1 (2 for usage errors). Every change is written to the audit log (actor: operator).

const usage = `Usage: npm run admin -- <command> [options]

Commands:
  create-account --email E --password P [--credits N] [--key-name NAME] [--test]
      Creates an account and a first API key. Prints {"accountId", "apiKey"}.
  create-key --email E --name NAME [--test]
      Creates an API key (live unless --test). Prints {"apiKey", "keyId"}.
  revoke-key --email E (--prefix sk_live_abcd | --key-id UUID)
      Revokes a key. Prints {"revoked": [keyIds]}.
  grant-credits --email E --credits N
      Adds credits. Prints {"accountId", "credits"}.
  suspend-account --email E
  unsuspend-account --email E
      Suspends an account (its API requests get 403, its dashboard is read-only) or restores it.
      Prints {"accountId", "suspended"}.
  grant-admin --email E
  revoke-admin --email E
      Gives an account the admin role (the Admin page and /api/v1/admin, from a signed-in
      session) or takes it away. Prints {"accountId", "email", "role"}.
  purge-now
      Runs the retention purge once, now (the workers run it daily). Prints the run's figures.
  purge-stats [--limit N]
      Prints the last N retention purge runs (default 10): rows and bytes purged per kind.

The database is DATABASE_URL, or the embedded one that \`npm run dev\` uses.`;

class UsageError extends Error {}

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required`);
  return value.trim();
}

function positiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number of 0 or more`);
  return n;
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(usage);
    return;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      credits: { type: 'string' },
      name: { type: 'string' },
      'key-name': { type: 'string' },
      prefix: { type: 'string' },
      'key-id': { type: 'string' },
      test: { type: 'boolean', default: false },
      limit: { type: 'string' },
    },
    strict: true,
  });

  const database = await resolveDatabase({ quiet: true });
  await runMigrations(database.url);
  const { db, client } = createDatabase(database.url, { max: 2 });
  try {
    if (command === 'purge-now') {
      const env = getEnv();
      print(await runRetentionPurge(db, { settings: retentionSettings(env), batchSize: env.RETENTION_PURGE_BATCH, trigger: 'manual' }));
      return;
    }
    if (command === 'purge-stats') {
      print(await listPurgeRuns(db, { limit: values.limit ? positiveInt(values.limit, 'limit') || 10 : 10 }));
      return;
    }
    const email = required(values, 'email');
    const kind = values.test ? 'test' : 'live';
    if (command === 'create-account') {
      const password = required(values, 'password');
      if (password.length < 8) throw new UsageError('--password must be at least 8 characters');
      const credits = values.credits ? positiveInt(values.credits, 'credits') : 0;
      const account = await createAccount(db, { email, password });
      if (credits > 0) await grantCreditsAsOperator(db, { accountId: account.id, amount: credits });
      const { secret } = await createApiKey(db, { accountId: account.id, name: values['key-name'] ?? 'Default', kind, actor: operatorActor });
      print({ accountId: account.id, apiKey: secret });
      return;
    }
    if (command === 'grant-admin' || command === 'revoke-admin') {
      print(await setAdmin(db, { email, admin: command === 'grant-admin' }));
      return;
    }
    const account = await findAccountByEmail(db, email);
    if (!account) throw new Error(`No account with email ${email}`);
    if (command === 'create-key') {
      const { key, secret } = await createApiKey(db, { accountId: account.id, name: required(values, 'name'), kind, actor: operatorActor });
      print({ apiKey: secret, keyId: key.id });
    } else if (command === 'revoke-key') {
      const keys = await listApiKeys(db, account.id);
      const matches = keys.filter((k) =>
        values['key-id'] ? k.id === values['key-id'] : values.prefix ? values.prefix.startsWith(k.prefix) || k.prefix.startsWith(values.prefix) : false,
      );
      if (!values['key-id'] && !values.prefix) throw new UsageError('--prefix or --key-id is required');
      if (matches.length !== 1) throw new Error(matches.length ? 'That prefix matches several keys; use --key-id' : 'No such key');
      await revokeKey(db, { accountId: account.id, keyId: matches[0].id, actor: operatorActor });
      print({ revoked: [matches[0].id] });
    } else if (command === 'suspend-account' || command === 'unsuspend-account') {
      const updated = await setSuspendedAsOperator(db, { accountId: account.id, suspended: command === 'suspend-account' });
      print({ accountId: account.id, suspended: updated?.suspendedAt != null });
    } else if (command === 'grant-credits') {
      const updated = await grantCreditsAsOperator(db, { accountId: account.id, amount: positiveInt(required(values, 'credits'), 'credits') });
      print({ accountId: account.id, credits: updated?.credits });
    } else {
      throw new UsageError(`Unknown command "${command}"`);
    }
  } finally {
    await client.end({ timeout: 5 });
    await database.embedded?.stop();
  }
}

function print(value: unknown) {
  console.log(JSON.stringify(value, null, 2));
}

main().catch((error) => {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${usage}`);
    process.exit(2);
  }
  console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
