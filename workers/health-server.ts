import { createServer } from 'node:http';
import type { WorkerHealth } from '@/workers/worker';

/**
 * The worker's health endpoint for container health checks (Docker HEALTHCHECK, Fly.io checks):
 * GET /health answers 200 with the worker's health while it is healthy, else 503. Nothing else is
 * served. Listens on all interfaces, since the checker comes from outside the container.
 */
export async function startHealthServer({ port, host = '0.0.0.0', health }: { port: number; host?: string; health: () => WorkerHealth }) {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path !== '/health' && path !== '/') {
      res.writeHead(404).end();
      return;
    }
    const { ok, ...body } = health();
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
