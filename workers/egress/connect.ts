// Opening the socket to an address the egress proxy has already checked: directly, or through
// a pool proxy with CONNECT to that address (never the name, so the upstream cannot resolve it
// to something else). Failures say whose they are: the upstream proxy's or the target's. The
// pool proxy's own address is configuration (PROXY_POOL), so it is connected to unchecked.

import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import type { ProxyEntry } from '@/lib/proxy-pool';

/** The upstream proxy itself failed (unreachable, refused the tunnel, bad credentials). */
export class UpstreamProxyError extends Error {}

/** The target could not be reached (refused, timed out, or the upstream proxy said so). */
export class TargetConnectError extends Error {}

export function stripBrackets(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1');
}

export function authority(host: string, port: number): string {
  return net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Reads an upstream proxy's reply to CONNECT up to the blank line; returns its status code. */
async function readConnectReply(socket: net.Socket, fail: (message: string) => Error): Promise<number> {
  let buffered = Buffer.alloc(0);
  for (;;) {
    const chunk: Buffer | null = socket.read();
    if (chunk === null) {
      if (socket.readableEnded || socket.destroyed) throw fail('closed the connection during CONNECT');
      await Promise.race([once(socket, 'readable'), once(socket, 'end'), once(socket, 'close')]);
      continue;
    }
    buffered = Buffer.concat([buffered, chunk]);
    const end = buffered.indexOf('\r\n\r\n');
    if (end === -1) {
      if (buffered.length > 16 * 1024) throw fail('sent an oversized reply to CONNECT');
      continue;
    }
    const rest = buffered.subarray(end + 4);
    if (rest.length > 0) socket.unshift(rest);
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(buffered.subarray(0, end).toString('latin1'));
    if (!status) throw fail('sent a malformed reply to CONNECT');
    return Number(status[1]);
  }
}

function proxyAuthorization(url: URL): string | null {
  if (!url.username && !url.password) return null;
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return `Basic ${Buffer.from(credentials).toString('base64')}`;
}

/** Connects to the first of `addresses` that answers. */
export async function connectDirect({ addresses, port, timeoutMs }: { addresses: string[]; port: number; timeoutMs: number }): Promise<net.Socket> {
  let last: unknown;
  for (const address of addresses) {
    const socket = net.connect({ host: address, port });
    try {
      await withTimeout(once(socket, 'connect'), timeoutMs, () => new TargetConnectError(`timed out connecting to ${authority(address, port)}`));
      return socket;
    } catch (error) {
      socket.destroy();
      last = error;
    }
  }
  const code = (last as NodeJS.ErrnoException | undefined)?.code;
  throw last instanceof TargetConnectError ? last : new TargetConnectError(`could not connect to port ${port} (${code ?? 'error'})`);
}

/**
 * A CONNECT tunnel through the pool proxy to `address`. Any failure before the tunnel is up is
 * the upstream's, except a 5xx reply, which is how proxies report an unreachable target.
 */
export async function connectThroughUpstream({
  upstream,
  address,
  port,
  timeoutMs,
}: {
  upstream: ProxyEntry;
  address: string;
  port: number;
  timeoutMs: number;
}): Promise<net.Socket> {
  const host = stripBrackets(upstream.url.hostname);
  const proxyPort = Number(upstream.url.port || (upstream.url.protocol === 'https:' ? 443 : 80));
  const secure = upstream.url.protocol === 'https:';
  const socket = secure
    ? tls.connect({ host, port: proxyPort, servername: net.isIP(host) ? undefined : host })
    : net.connect({ host, port: proxyPort });
  const fail = (message: string) => new UpstreamProxyError(`Proxy ${upstream.label} ${message}`);
  try {
    await withTimeout(once(socket, secure ? 'secureConnect' : 'connect'), timeoutMs, () => fail('did not accept the connection in time')).catch(
      (error: NodeJS.ErrnoException) => {
        throw error instanceof UpstreamProxyError ? error : fail(`is unreachable (${error.code ?? error.message})`);
      },
    );
    socket.on('error', () => socket.destroy());
    const to = authority(address, port);
    const auth = proxyAuthorization(upstream.url);
    socket.write(`CONNECT ${to} HTTP/1.1\r\nHost: ${to}\r\n${auth ? `Proxy-Authorization: ${auth}\r\n` : ''}\r\n`);
    const status = await withTimeout(readConnectReply(socket, fail), timeoutMs, () => fail('did not answer CONNECT in time'));
    if (status === 200) return socket;
    if (status >= 500) throw new TargetConnectError(`proxy ${upstream.label} could not reach the target (HTTP ${status})`);
    throw fail(`refused the tunnel (HTTP ${status})`);
  } catch (error) {
    socket.destroy();
    if (error instanceof UpstreamProxyError || error instanceof TargetConnectError) throw error;
    throw fail(`failed (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}
