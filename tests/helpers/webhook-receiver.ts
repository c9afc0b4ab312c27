import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

export type ReceivedWebhook = { path: string; body: any };

/**
 * A local endpoint for a test file's webhook deliveries: every POST is answered 200 and kept with
 * its path (give each test its own path), started before the file's tests and closed after them.
 */
export function useWebhookReceiver(): { readonly url: string; received: ReceivedWebhook[] } {
  const state = { url: '', received: [] as ReceivedWebhook[] };
  let server: http.Server;
  beforeAll(async () => {
    server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      state.received.push({ path: new URL(req.url ?? '/', 'http://x').pathname, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200).end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return state;
}
