import type { LookupAddress } from 'node:dns';
import { once } from 'node:events';
import http, { type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProxyPool } from '@/lib/proxy-pool';
import { egressHeader, EgressProxy } from '@/workers/egress/forward-proxy';
import type { Resolver } from '@/workers/egress/policy';
import { startCanary, startUpstreamProxy, type Canary, type UpstreamProxy } from '@/tests/fixtures/network';
import { startFixtureServer, type FixtureServer } from '@/tests/fixtures/server';

// The egress proxy on its own, spoken to as a browser would: absolute-form requests and CONNECT.

let server: FixtureServer;
let canary: Canary;
let upstream: UpstreamProxy;
let proxy: EgressProxy;
const port = () => Number(new URL(server.url).port);

const resolver: Resolver = async (hostname) => {
  const table: Record<string, string[]> = {
    'site.test': ['127.0.0.1'],
    'canary.test': ['127.0.0.2'],
    'split.test': ['127.0.0.1', '10.0.0.7'],
  };
  const addresses = table[hostname];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return addresses.map((address): LookupAddress => ({ address, family: 4 }));
};

beforeAll(async () => {
  [server, canary, upstream] = await Promise.all([startFixtureServer(), startCanary(), startUpstreamProxy()]);
  proxy = new EgressProxy({ resolve: resolver });
});
afterAll(async () => {
  await proxy?.close();
  await Promise.all([server?.close(), canary?.close(), upstream?.close()]);
});

const policy = { allow: ['127.0.0.1/32'] };

function get(proxyUrl: string, target: string): Promise<{ res: IncomingMessage; body: string }> {
  const { hostname, port } = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    http
      .get({ host: hostname, port, path: target, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk) => (body += chunk)).on('end', () => resolve({ res, body }));
      })
      .on('error', reject);
  });
}

async function connect(proxyUrl: string, target: string): Promise<{ status: number; headers: IncomingMessage['headers']; socket: Socket }> {
  const { hostname, port } = new URL(proxyUrl);
  const request = http.request({ host: hostname, port, method: 'CONNECT', path: target, agent: false });
  request.end();
  const [res, socket] = (await once(request, 'connect')) as [IncomingMessage, Socket];
  return { status: res.statusCode ?? 0, headers: res.headers, socket };
}

describe('egress proxy', () => {
  it('forwards an allowed absolute-form request and counts the connection', async () => {
    const session = await proxy.openSession({ policy });
    try {
      const { res, body } = await get(session.url, `http://site.test:${port()}/page`);
      expect(res.statusCode).toBe(200);
      expect(body).toContain('Fixture Heading');
      expect(session.connections).toBe(1);
      expect(session.refusals).toEqual([]);
    } finally {
      await session.close();
    }
  });

  it('refuses internal targets, literal or by name, before connecting, and says so', async () => {
    const session = await proxy.openSession({ policy });
    try {
      const literal = await connect(session.url, '10.0.0.1:443');
      expect(literal.status).toBe(403);
      expect(literal.headers[egressHeader]).toBe('refused');
      literal.socket.destroy();

      const named = await get(session.url, `http://canary.test:${canary.port}/`);
      expect(named.res.statusCode).toBe(403);
      expect(named.res.headers[egressHeader]).toBe('refused');

      // One private answer among public ones is enough: a rebinding name gets nothing.
      const split = await connect(session.url, `split.test:${port()}`);
      expect(split.status).toBe(403);
      split.socket.destroy();

      expect(session.refusals.map(({ host, port: refusedPort }) => `${host}:${refusedPort}`)).toEqual([
        '10.0.0.1:443',
        `canary.test:${canary.port}`,
        `split.test:${port()}`,
      ]);
      expect(session.refusals[1].message).toContain('canary.test: it resolves to 127.0.0.2 (loopback)');
      expect(session.connections).toBe(0);
      expect(canary.connections()).toBe(0);
    } finally {
      await session.close();
    }
  });

  it('tunnels through the upstream proxy to the address it checked, not the name', async () => {
    const [entry] = parseProxyPool(`${upstream.url}#us:residential`);
    const session = await proxy.openSession({ policy, upstream: entry });
    try {
      const tunnel = await connect(session.url, `site.test:${port()}`);
      expect(tunnel.status).toBe(200);
      tunnel.socket.destroy();
      expect(upstream.tunnels.at(-1)).toBe(`127.0.0.1:${port()}`);
    } finally {
      await session.close();
    }
  });

  it('records an upstream failure apart from an unreachable target', async () => {
    const [entry] = parseProxyPool(`${upstream.url.replace('s3cret', 'nope')}#us:residential`);
    const session = await proxy.openSession({ policy, upstream: entry });
    try {
      const tunnel = await connect(session.url, `site.test:${port()}`);
      expect(tunnel.status).toBe(502);
      expect(tunnel.headers[egressHeader]).toBe('proxy-failed');
      tunnel.socket.destroy();
      expect(session.upstreamFailure).toMatch(/refused the tunnel \(HTTP 407\)/);
    } finally {
      await session.close();
    }
  });

  it('closing a session cuts its open tunnels; the browser-wide listener refuses everything', async () => {
    const session = await proxy.openSession({ policy });
    const tunnel = await connect(session.url, `127.0.0.1:${port()}`);
    expect(tunnel.status).toBe(200);
    const closed = once(tunnel.socket, 'close');
    await session.close();
    await closed;

    const denyAll = await proxy.browserProxyUrl();
    const { res } = await get(denyAll, `http://127.0.0.1:${port()}/page`);
    expect(res.statusCode).toBe(403);
  });
});
