import { describe, expect, it } from 'vitest';
import { claimJob, renewLeases } from '@/db/queries/jobs';
import { createTestAccount } from '@/tests/helpers/accounts';
import { api } from '@/tests/helpers/api';
import { useJobsEnvironment } from '@/tests/helpers/environment';

const env = useJobsEnvironment({}, { worker: false });

describe('lease renewal', () => {
  it('renews the jobs it can at once and skips, without waiting, one another transaction holds', async () => {
    const { secret } = await createTestAccount(env.database.db, { credits: 5 });
    const submit = async () => (await api('POST', '/api/v1/jobs', { key: secret, body: { url: `${env.fixture.url}/page` } })).body.id as string;
    const [held, free] = [await submit(), await submit()];
    for (const id of [held, free]) expect(await claimJob(env.database.db, { id, workerId: 'lease-test', leaseSeconds: 1 })).toBeDefined();
    const leaseOf = async (id: string) =>
      Number((await env.database.client`SELECT extract(epoch FROM lease_expires_at - now()) AS s FROM jobs WHERE id = ${id}`)[0].s);

    // A bulk update (a delete, say) holds one of the worker's jobs while the worker renews: the
    // renewal must not wait behind it, holding the other job meanwhile, or the two could deadlock.
    let release!: () => void;
    const holding = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const transaction = env.database.client.begin(async (tx) => {
      await tx`SELECT 1 FROM jobs WHERE id = ${held} FOR UPDATE`;
      locked();
      await holding;
    });
    await isLocked;
    try {
      const stillMine = await Promise.race([
        renewLeases(env.database.db, { workerId: 'lease-test', leaseSeconds: 600 }),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the renewal waited for the held row')), 5000)),
      ]);
      // Both are still this worker's: the held one is not mistaken for a cancelled one.
      expect([...stillMine].sort()).toEqual([held, free].sort());
      expect(await leaseOf(free)).toBeGreaterThan(500);
      expect(await leaseOf(held)).toBeLessThan(2);
    } finally {
      release();
      await transaction;
    }
    // Once the row is free again the next renewal extends it too.
    await renewLeases(env.database.db, { workerId: 'lease-test', leaseSeconds: 600 });
    expect(await leaseOf(held)).toBeGreaterThan(500);
  });
});
