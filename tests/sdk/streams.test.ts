import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scrapifie, type JobUpdate } from '@/packages/sdk/src/index';

// The live-stream half of the SDK against a small local server speaking the stream protocol of
// the real routes, for what the real server cannot easily be made to do: drop the first
// connection mid-stream (as a restart or a proxy's time limit would), go silent, restart, or sit
// behind a proxy that does not pass event streams. The SDK reconnects with Last-Event-ID and hands
// out every entry once. client.test.ts follows jobs and batches through the real stream routes.

const jobId = '3f0c1c8e-5b7a-4a57-9a47-1c2d3e4f5a6b';
const batchId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const job = (status: string) => ({ id: jobId, status, attempts: 1 });
const entry = (seq: number) => ({ seq, timestamp: '2026-03-01T10:30:00.000Z', level: 'INFO', message: `entry ${seq}`, metadata: null });
const batch = (finished: number) => ({
  id: batchId,
  total: 3,
  counts: { queued: 3 - finished, processing: 0, completed: finished, failed: 0, cancelled: 0, expired: 0 },
  finished,
  percent: (finished / 3) * 100,
  status: finished === 3 ? 'completed' : 'active',
});

let server: http.Server;
let baseUrl: string;
const lastEventIds: (string | undefined)[] = [];
let connections = 0;
let silentConnections = 0;
let restartingPolls = 0;

function event(res: http.ServerResponse, name: string, data: unknown, id?: number) {
  res.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const sse = () => res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    if (req.url === `/api/v1/jobs/${jobId}/stream`) {
      connections += 1;
      lastEventIds.push(req.headers['last-event-id'] as string | undefined);
      sse();
      if (connections === 1) {
        event(res, 'status', job('processing'));
        for (const seq of [1, 2, 3]) event(res, 'log', entry(seq), seq);
        // Dropped mid-stream.
        setTimeout(() => res.socket?.destroy(), 50);
        return;
      }
      const after = Number(req.headers['last-event-id'] ?? 0);
      res.write(': ping\n\n');
      for (const seq of [3, 4, 5].filter((seq) => seq > after - 1)) event(res, 'log', entry(seq), seq);
      event(res, 'status', job('completed'));
      event(res, 'end', job('completed'));
      res.end();
      return;
    }
    if (req.url === `/api/v1/batches/${batchId}/stream`) {
      sse();
      for (const finished of [0, 1, 2]) event(res, 'progress', batch(finished));
      event(res, 'end', batch(3));
      res.end();
      return;
    }
    // A connection that goes silent (no event, no ping) after its first event, once.
    if (req.url === '/api/v1/jobs/00000000-0000-4000-8000-000000000002/stream') {
      silentConnections += 1;
      sse();
      event(res, 'log', entry(silentConnections), silentConnections);
      if (silentConnections === 1) return;
      event(res, 'end', job('completed'));
      res.end();
      return;
    }
    // A server that is restarting: its first polls fail at the socket.
    if (req.url === '/api/v1/jobs/00000000-0000-4000-8000-000000000003/stream') {
      res.writeHead(404, { 'content-type': 'text/html' }).end('not found');
      return;
    }
    if (req.url === '/api/v1/jobs/00000000-0000-4000-8000-000000000003') {
      restartingPolls += 1;
      if (restartingPolls <= 5) {
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...job('completed'), id: '00000000-0000-4000-8000-000000000003' }));
      return;
    }
    // A proxy in front of the API that does not pass event streams: an HTML page.
    if (req.url === '/api/v1/jobs/00000000-0000-4000-8000-000000000001/stream') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>');
      return;
    }
    if (req.url === '/api/v1/jobs/00000000-0000-4000-8000-000000000001') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...job('completed'), id: '00000000-0000-4000-8000-000000000001' }));
      return;
    }
    if (req.url?.startsWith('/api/v1/jobs/00000000-0000-4000-8000-000000000001/logs')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: [entry(1), entry(2)], total: 2, purged: false }));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/html' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('live streams', () => {
  it('follow a job across a dropped connection: resumes with Last-Event-ID, every entry once, then ends', async () => {
    const client = new Scrapifie({ apiKey: 'sk_test_x', baseUrl });
    const updates: JobUpdate[] = [];
    for await (const update of client.jobs.follow(jobId)) updates.push(update);
    expect(updates.map((update) => (update.type === 'log' ? `log ${update.entry.seq}` : `${update.type} ${update.job.status}`))).toEqual([
      'status processing',
      'log 1',
      'log 2',
      'log 3',
      'log 4',
      'log 5',
      'status completed',
      'end completed',
    ]);
    expect(lastEventIds).toEqual(['0', '3']);
  });

  it('waitForJob and the log iterator use the same stream', async () => {
    const client = new Scrapifie({ apiKey: 'sk_test_x', baseUrl });
    connections = 0;
    expect((await client.waitForJob(jobId)).status).toBe('completed');
    connections = 0;
    const seqs: number[] = [];
    for await (const logEntry of client.jobs.logEntries(jobId, { follow: true })) seqs.push(logEntry.seq);
    expect(seqs).toEqual([1, 2, 3, 4, 5]);
  });

  it('a batch: its progress as it changes, until it is completed', async () => {
    const client = new Scrapifie({ apiKey: 'sk_test_x', baseUrl });
    const seen: number[] = [];
    for await (const progress of client.batches.progress(batchId)) seen.push(progress.finished);
    expect(seen).toEqual([0, 1, 2, 3]);
  });

  it('reopens a connection that went silent', async () => {
    const client = new Scrapifie({ apiKey: 'sk_test_x', baseUrl });
    const updates: string[] = [];
    for await (const update of client.jobs.follow('00000000-0000-4000-8000-000000000002', { stream: { idleTimeoutMs: 300 } })) {
      updates.push(update.type === 'log' ? `log ${update.entry.seq}` : `${update.type} ${update.job.status}`);
    }
    expect(updates).toEqual(['log 1', 'log 2', 'end completed']);
    expect(silentConnections).toBe(2);
  });

  it('polling waits for a server that is restarting', async () => {
    const client = new Scrapifie({ apiKey: 'sk_test_x', baseUrl, maxRetries: 1, pollIntervalMs: 10 });
    const done = await client.waitForJob('00000000-0000-4000-8000-000000000003');
    expect(done.status).toBe('completed');
    expect(restartingPolls).toBe(6);
  });

  it('falls back to polling when what answers is not an event stream', async () => {
    const client = new Scrapifie({ apiKey: 'sk_test_x', baseUrl, pollIntervalMs: 10 });
    const reasons: string[] = [];
    const updates: string[] = [];
    for await (const update of client.jobs.follow('00000000-0000-4000-8000-000000000001', { onFallback: (reason) => reasons.push(reason) })) {
      updates.push(update.type === 'log' ? `log ${update.entry.seq}` : `${update.type} ${update.job.status}`);
    }
    expect(reasons).toEqual(['/api/v1/jobs/00000000-0000-4000-8000-000000000001/stream is not an event stream']);
    expect(updates).toEqual(['status completed', 'log 1', 'log 2', 'end completed']);
  });
});
