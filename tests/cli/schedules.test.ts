import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScheduleResponse } from '@/lib/schemas/schedules';
import { triggerDueSchedules } from '@/lib/server/schedules/trigger';
import { startCliEnvironment, type CliEnvironment, type CliResult } from './support';

// The schedule commands end to end: the real binary over HTTP against the real routes. A run is
// triggered with a simulated clock rather than waiting for the next minute.

let env: CliEnvironment;
let cli: (args: string[]) => Promise<CliResult>;

beforeAll(async () => {
  env = await startCliEnvironment();
  const { secret } = await env.newAccount(100);
  cli = env.as(secret);
});

afterAll(async () => {
  await env?.close();
});

describe('schedules', () => {
  it('create, list, show, pause, resume, runs and delete', async () => {
    const created = await cli(['schedules', 'create', `${env.fixture.url}/page`, '--name', 'Hourly page', '--cron', '0 * * * *', '--timezone', 'Europe/Paris', '-f', 'markdown', '-o', 'json']);
    expect(created.code, created.stderr).toBe(0);
    const schedule = JSON.parse(created.stdout) as ScheduleResponse;
    expect(schedule).toMatchObject({ name: 'Hourly page', cron: '0 * * * *', timezone: 'Europe/Paris', target: { type: 'job', format: 'markdown' } });
    expect(schedule.nextRuns).toHaveLength(5);
    const short = schedule.id.slice(0, 8);

    const listed = await cli(['schedules', 'list']);
    expect(listed.stdout).toMatch(new RegExp(`${short}\\s+Hourly page\\s+0 \\* \\* \\* \\*\\s+Europe/Paris\\s+active`));
    const shown = await cli(['schedules', 'show', short]);
    expect(shown.stdout).toMatch(/Cron:\s+0 \* \* \* \* \(Every hour\)/);
    expect(shown.stdout).toMatch(/Next runs:\s+\d{4}-\d\d-\d\d \d\d:00:00\n/);

    expect((await cli(['schedules', 'pause', short])).stdout).toBe(`Schedule ${short} is paused.\n`);
    expect((await cli(['schedules', 'resume', short])).stdout).toMatch(new RegExp(`^Schedule ${short} is active; next run \\d{4}-`));

    expect((await cli(['schedules', 'runs', short])).stderr).toContain('No runs yet.');
    await triggerDueSchedules(env.database.db, { now: new Date(new Date(schedule.nextRunAt!).getTime() + 2 * 3_600_000) });
    const runs = await cli(['schedules', 'runs', short]);
    expect(runs.stdout).toMatch(/created\s+job [0-9a-f-]{36}/);

    const bad = await cli(['schedules', 'create', `${env.fixture.url}/page`, '--name', 'x', '--cron', 'every hour']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('cron');

    expect((await cli(['schedules', 'delete', short])).stdout).toBe(`Deleted schedule ${short}.\n`);
    expect((await cli(['schedules', 'show', schedule.id])).code).toBe(4);
  });
});
