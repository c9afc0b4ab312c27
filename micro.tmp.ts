import { sql } from 'drizzle-orm';
import { startBenchEnvironment } from './bench/environment';
import { submitMany, cpuMeter } from './bench/throughput';
import { claimJob, finishRun } from '@/db/queries/jobs';
import { jobs as jobsTable } from '@/db/schema';
import { eq } from 'drizzle-orm';

const N = 3000;
const bench = await startBenchEnvironment();
if (process.env.EXPERIMENT) await bench.db.execute(sql.raw(process.env.EXPERIMENT));
const key = await bench.newKey('m');
await submitMany(bench, { apiKey: key, count: N, concurrency: 4, label: 'm' });
const ids = (await bench.db.select({ id: jobsTable.id }).from(jobsTable).where(eq(jobsTable.apiKeyId, key.id))).map((r) => r.id);
const content = Buffer.from('<html><head><title>x</title></head><body>' + 'y'.repeat(400) + '</body></html>');
const logs = () => ['Worker picked up job', 'Engine: HTTP', 'Request GET', 'Response 200 OK (1 KB)', 'Job completed successfully', 'Credits charged: 1'].map((m) => ({ timestamp: new Date(), level: 'INFO' as const, message: m, metadata: { a: 1 } }));
for (const round of [0, 1]) {
  const slice = ids.slice(round * 1500, round * 1500 + 1500);
  for (const id of slice) await claimJob(bench.db, { id, workerId: 'w', leaseSeconds: 30 });
  const meter = cpuMeter();
  const t = performance.now();
  for (const id of slice) await finishRun(bench.db, { job: { id }, workerId: 'w', to: 'completed', attempt: 1, results: [{ kind: 'content', format: 'html', contentType: 'text/html', size: content.length, content }], logs: logs() });
  const ms = performance.now() - t;
  const cpu = meter();
  console.log(`round ${round}: finishRun ${(ms / slice.length * 1000).toFixed(0)} us wall, PG ${((cpu.postgresCores * cpu.elapsedMs) / slice.length * 1000).toFixed(0)} us, node ${((cpu.nodeCores * cpu.elapsedMs) / slice.length * 1000).toFixed(0)} us`);
}
await bench.close();
process.exit(0);
