// The egress proxy: a local HTTP forward proxy (absolute-form requests and CONNECT tunnels)
// that every browser context, and every HTTP job that uses the proxy pool, connects through.
// It is the one place where a browser's traffic meets the egress guard: each connection's
// target is resolved with `lookupGuarded` and the socket is opened to exactly the address that
// was checked, or the connection is refused. So a navigation, redirect hop, sub-resource,
// iframe, fetch, WebSocket or service worker to an internal address (or to a name resolving to
// one) is refused before any packet leaves for it, whatever the page does.
//
// Each job gets a session: its own listener on a fresh port. The port identifies the job (no
// proxy credentials for Chromium to answer), carries the job's policy and upstream pool proxy,
// and closing it destroys every socket the job still holds.

import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import type { ProxyEntry } from '@/lib/proxy-pool';
import { EgressDeniedError } from '@/lib/scrape-errors';
import {
  authority,
  connectDirect,
  connectThroughUpstream,
  stripBrackets,
  TargetConnectError,
  UpstreamProxyError,
} from '@/workers/egress/connect';
import { lookupGuarded, type EgressPolicy, type Resolver } from '@/workers/egress/policy';

/** Marks the proxy's own replies, so an engine never mistakes them for the target's. */
export const egressHeader = 'x-scrapifie-egress';

export type Refusal = { host: string; port: number; message: string };

type Target = { host: string; port: number };

const hopByHop = new Set([
  'connection',
  'proxy-connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-authenticate',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function parseAuthority(value: string | undefined): Target | null {
  const match = /^(\[[^\]]+\]|[^:/\s]+):(\d{1,5})$/.exec(value ?? '');
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) return null;
  return { host: stripBrackets(match[1]), port };
}

function matching(url: URL): (entry: Refusal) => boolean {
  const host = stripBrackets(url.hostname);
  const port = Number(url.port || (url.protocol === 'https:' || url.protocol === 'wss:' ? 443 : 80));
  return (entry) => entry.host === host && entry.port === port;
}

export type SessionOptions = { policy: EgressPolicy; upstream?: ProxyEntry | null; denyAll?: boolean };

/** One job's view of the egress proxy: its listener, its policy, what it refused and why. */
/** A page can reach for internal addresses in a loop: the first this many refusals are kept. */
const maxRefusalsKept = 200;

export class EgressSession {
  readonly refusals: Refusal[] = [];
  /** All refusals, including those past the ones kept. */
  refused = 0;
  /** Targets that could not be reached (refused the connection, timed out, unresolvable). */
  readonly unreachable: Refusal[] = [];
  /** Set when the upstream pool proxy failed; the engine then rotates to the next one. */
  upstreamFailure: string | null = null;
  /** Connections opened to targets (directly or through the upstream proxy). */
  connections = 0;
  private readonly sockets = new Set<Duplex>();
  private closing: Promise<void> | undefined;

  constructor(
    readonly url: string,
    readonly options: SessionOptions,
    private readonly server: http.Server,
  ) {}

  track(socket: Duplex): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  /** Sockets still open: the browser's connections to this session and their targets. */
  openSockets(): number {
    return this.sockets.size;
  }

  /** Why the proxy refused to connect to `url`'s host and port, if it did. */
  refusalFor(url: URL): Refusal | undefined {
    return this.refusals.find(matching(url));
  }

  /** Why `url`'s host and port could not be reached, if they could not. */
  unreachableFor(url: URL): Refusal | undefined {
    return this.unreachable.find(matching(url));
  }

  get closed(): boolean {
    return this.closing !== undefined;
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
      this.sockets.clear();
    });
    return this.closing;
  }
}

export type EgressProxyOptions = {
  /** Address the sessions listen on (and browsers are told to use). */
  host?: string;
  /** DNS resolver for targets; tests replace it. */
  resolve?: Resolver;
  /** Time allowed to connect to a target or to an upstream proxy. */
  connectTimeoutMs?: number;
};

export class EgressProxy {
  private readonly host: string;
  private readonly resolve: Resolver | undefined;
  private readonly connectTimeoutMs: number;
  private readonly sessions = new Set<EgressSession>();
  private denyAll: EgressSession | undefined;
  /** Refusals across all sessions since start, for operators and tests. */
  refusedTotal = 0;

  constructor(options: EgressProxyOptions = {}) {
    this.host = options.host ?? '127.0.0.1';
    this.resolve = options.resolve;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  }

  /**
   * The browser-wide proxy: refuses everything. Only a job's own context (with its session)
   * may reach the network; anything else Chromium would fetch goes nowhere.
   */
  async browserProxyUrl(): Promise<string> {
    this.denyAll ??= await this.openSession({ policy: { allow: [] }, denyAll: true });
    return this.denyAll.url;
  }

  async openSession(options: SessionOptions): Promise<EgressSession> {
    const server = http.createServer();
    server.listen(0, this.host);
    await once(server, 'listening');
    const { port } = server.address() as net.AddressInfo;
    const session = new EgressSession(`http://${authority(this.host, port)}`, options, server);
    this.sessions.add(session);
    server.on('connection', (socket: net.Socket) => session.track(socket));
    server.on('request', (req, res) => void this.forward(session, req, res));
    server.on('connect', (req, socket, head) => void this.tunnel(session, req, socket, head));
    server.on('upgrade', (_req, socket: Duplex) => socket.end('HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\n\r\n'));
    server.on('clientError', (_error, socket: Duplex) => socket.destroy());
    server.once('close', () => this.sessions.delete(session));
    return session;
  }

  /** Sessions currently open (the deny-all one included). */
  openSessions(): number {
    return this.sessions.size;
  }

  async close(): Promise<void> {
    await Promise.all([...this.sessions].map((session) => session.close()));
    this.denyAll = undefined;
  }

  /** Resolves, checks and connects; the returned socket goes to exactly the checked address. */
  private async connect(session: EgressSession, target: Target): Promise<net.Socket> {
    let addresses;
    try {
      if (session.options.denyAll) {
        throw new EgressDeniedError(`Refused to connect to ${authority(target.host, target.port)}: not part of a job`);
      }
      addresses = await lookupGuarded(target.host, session.options.policy, this.resolve);
    } catch (error) {
      if (!(error instanceof EgressDeniedError)) {
        throw new TargetConnectError(`could not resolve ${target.host} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      session.refused += 1;
      if (session.refusals.length < maxRefusalsKept) session.refusals.push({ host: target.host, port: target.port, message: error.message });
      this.refusedTotal += 1;
      throw error;
    }
    const { upstream } = session.options;
    const timeoutMs = this.connectTimeoutMs;
    const socket = upstream
      ? await connectThroughUpstream({ upstream, address: addresses[0].address, port: target.port, timeoutMs })
      : await connectDirect({ addresses: addresses.map((entry) => entry.address), port: target.port, timeoutMs });
    session.connections += 1;
    session.track(socket);
    return socket;
  }

  /** Records why a connection failed and picks the status the client is answered with. */
  private failureStatus(session: EgressSession, target: Target, error: unknown): { status: number; kind: string } {
    if (error instanceof EgressDeniedError) return { status: 403, kind: 'refused' };
    if (error instanceof UpstreamProxyError) {
      session.upstreamFailure ??= error.message;
      return { status: 502, kind: 'proxy-failed' };
    }
    if (session.unreachable.length < maxRefusalsKept) {
      session.unreachable.push({ ...target, message: error instanceof Error ? error.message : String(error) });
    }
    return { status: 502, kind: 'unreachable' };
  }

  private async tunnel(session: EgressSession, req: IncomingMessage, client: Duplex, head: Buffer): Promise<void> {
    client.on('error', () => client.destroy());
    const target = parseAuthority(req.url);
    if (!target) {
      client.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    let upstream: net.Socket;
    try {
      upstream = await this.connect(session, target);
    } catch (error) {
      const { status, kind } = this.failureStatus(session, target, error);
      client.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n${egressHeader}: ${kind}\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    if (client.destroyed) {
      upstream.destroy();
      return;
    }
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  }

  private async forward(session: EgressSession, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = URL.canParse(req.url ?? '') ? new URL(req.url ?? '') : null;
    if (!url || url.protocol !== 'http:') {
      res.writeHead(400, { [egressHeader]: 'bad-request', 'content-length': 0 }).end();
      return;
    }
    const target = { host: stripBrackets(url.hostname), port: Number(url.port || 80) };
    let socket: net.Socket;
    try {
      socket = await this.connect(session, target);
    } catch (error) {
      const { status, kind } = this.failureStatus(session, target, error);
      const body = kind === 'refused' ? 'Blocked by the Scrapifie egress guard: not a public address.\n' : '';
      res.writeHead(status, { [egressHeader]: kind, 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) }).end(body);
      return;
    }
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) if (!hopByHop.has(name)) headers[name] = value;
    // Each request gets its own checked connection; the socket is closed after the response.
    headers.connection = 'keep-alive';
    const outgoing = http.request({
      method: req.method,
      path: `${url.pathname}${url.search}`,
      headers,
      setHost: false,
      createConnection: () => socket,
    });
    outgoing.on('response', (reply) => {
      const replyHeaders: http.OutgoingHttpHeaders = {};
      // A target cannot pass its reply off as the proxy's own.
      for (const [name, value] of Object.entries(reply.headers)) if (!hopByHop.has(name) && name !== egressHeader) replyHeaders[name] = value;
      res.writeHead(reply.statusCode ?? 502, reply.statusMessage, replyHeaders);
      reply.pipe(res);
      reply.on('error', () => res.destroy());
    });
    outgoing.on('error', () => {
      if (res.headersSent) res.destroy();
      else res.writeHead(502, { [egressHeader]: 'unreachable', 'content-length': 0 }).end();
    });
    res.on('close', () => {
      outgoing.destroy();
      socket.destroy();
    });
    req.pipe(outgoing);
  }
}
