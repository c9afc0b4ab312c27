// One long-lived browser per worker process, shared by the Browser and Stealth engines; each job
// gets its own incognito context from it. The browser is replaced after BROWSER_MAX_PAGES jobs
// or BROWSER_MAX_AGE_MINUTES (once its running jobs are done), and relaunched on the next job
// after a crash. Launched lazily: a worker that runs only HTTP jobs never starts Chromium.

import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import puppeteer, { type Browser } from 'puppeteer-core';
import { BrowserError } from '@/lib/scrape-errors';
import { resolveChromiumPath, serverChromiumArgs } from '@/workers/browser/chromium';
import { protocolTimeoutMs } from '@/workers/browser/limits';

/**
 * Server-grade flags (the verified set; never @sparticuz/chromium's Lambda defaults such as
 * --single-process or --disable-web-security), plus what keeps every request on the egress
 * proxy: no loopback bypass, no UDP outside the proxy for WebRTC, no QUIC, and no host
 * resolution inside Chromium at all (the proxy resolves, and checks, every name).
 */
function launchArgs({ proxyUrl, proxyHost }: { proxyUrl: string; proxyHost: string }): string[] {
  // The rule matches IP literals too, so the proxy's own address must be excluded from it.
  const resolverRules = `MAP * ~NOTFOUND, EXCLUDE ${net.isIPv6(proxyHost) ? `[${proxyHost}]` : proxyHost}`;
  return [
    ...serverChromiumArgs,
    '--lang=en-US',
    `--proxy-server=${proxyUrl}`,
    '--proxy-bypass-list=<-loopback>',
    '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
    '--disable-quic',
    `--host-resolver-rules=${resolverRules}`,
  ];
}

export type BrowserPoolOptions = {
  /** CHROMIUM_PATH; unset: @sparticuz/chromium's binary. */
  chromiumPath?: string;
  /** BROWSER_WS_ENDPOINT: connect to this remote browser instead of launching one. */
  wsEndpoint?: string;
  maxPages: number;
  maxAgeMs: number;
  /** The browser-wide proxy; jobs' contexts each get their own. */
  proxyUrl: () => Promise<string>;
  /** The egress proxy's address, kept resolvable inside Chromium. */
  proxyHost: string;
  /** Each CDP call's bound; by default past the longest attempt a job can ask for (workers/browser/limits.ts). */
  protocolTimeoutMs?: number;
  log?: (message: string) => void;
};

type Instance = {
  browser: Browser;
  /** The launched process (and process group) id; null for a remote browser. */
  pid: number | null;
  launchedAt: number;
  /** Jobs started on this browser, and jobs still running on it. */
  pages: number;
  active: number;
  retired: boolean;
  /** Told when the browser goes away during their job: one per running job. */
  crashListeners: Set<(error: BrowserError) => void>;
  /** Set as soon as the pool starts closing it, so its disconnect is not taken for a crash. */
  closing?: Promise<void>;
  closeRequested: boolean;
};

export type BrowserLease = {
  browser: Browser;
  /** Calls `listener` if the browser crashes or disconnects before the lease is released. */
  onCrash(listener: (error: BrowserError) => void): void;
  /** Replace this browser once its running jobs are done (e.g. after a renderer crash). */
  retire(): void;
  release(): void;
};

/** Live (non-zombie) process ids in process group `pgid` (Linux /proc; empty elsewhere). */
export function processGroupMembers(pgid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const members: number[] = [];
  for (const pid of entries) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(pid));
    } catch {
      // The process exited while we looked.
    }
  }
  return members;
}

export class BrowserPool {
  private current: Promise<Instance> | undefined;
  private readonly instances = new Set<Instance>();
  private readonly launchedPids: number[] = [];
  private stopped = false;
  private readonly log: (message: string) => void;

  constructor(private readonly options: BrowserPoolOptions) {
    this.log = options.log ?? (() => {});
  }

  /** A browser for one job; the caller creates its context and must call release(). */
  async acquire(): Promise<BrowserLease> {
    if (this.stopped) throw new BrowserError('The worker is stopping; no browser is available');
    const instance = await this.usableInstance();
    instance.pages += 1;
    instance.active += 1;
    let released = false;
    const listeners: ((error: BrowserError) => void)[] = [];
    return {
      browser: instance.browser,
      onCrash: (listener) => {
        listeners.push(listener);
        instance.crashListeners.add(listener);
      },
      retire: () => this.retire(instance),
      release: () => {
        if (released) return;
        released = true;
        for (const listener of listeners) instance.crashListeners.delete(listener);
        instance.active -= 1;
        if (instance.retired && instance.active === 0) void this.shutdown(instance);
      },
    };
  }

  /** Every process group this pool launched (each browser leads its own), for leak checks. */
  pids(): number[] {
    return [...this.launchedPids];
  }

  /** The current browser's process id, if one is running. */
  async currentPid(): Promise<number | null> {
    const instance = await this.current?.catch(() => undefined);
    return instance?.pid ?? null;
  }

  /** Open browsers, their job contexts (the default one excluded) and their pages. */
  async stats(): Promise<{ browsers: number; contexts: number; pages: number }> {
    let contexts = 0;
    let pages = 0;
    for (const { browser } of this.instances) {
      if (!browser.connected) continue;
      const jobContexts = browser.browserContexts().filter((context) => context !== browser.defaultBrowserContext());
      contexts += jobContexts.length;
      for (const context of jobContexts) pages += (await context.pages().catch(() => [])).length;
    }
    return { browsers: this.instances.size, contexts, pages };
  }

  /** Closes every browser (running jobs' contexts with them) and kills what they left behind. */
  async close(): Promise<void> {
    this.stopped = true;
    const pending = this.current?.catch(() => undefined);
    this.current = undefined;
    await pending;
    await Promise.all([...this.instances].map((instance) => this.shutdown(instance)));
  }

  private usable(instance: Instance): boolean {
    if (instance.retired || !instance.browser.connected) return false;
    if (instance.pages >= this.options.maxPages) return false;
    return Date.now() - instance.launchedAt < this.options.maxAgeMs;
  }

  private async usableInstance(): Promise<Instance> {
    for (;;) {
      const pending = (this.current ??= this.start());
      let instance: Instance;
      try {
        instance = await pending;
      } catch (error) {
        if (this.current === pending) this.current = undefined;
        throw error;
      }
      if (this.usable(instance)) return instance;
      if (this.current === pending) {
        this.current = undefined;
        this.retire(instance);
      }
    }
  }

  private retire(instance: Instance): void {
    if (!instance.retired) {
      instance.retired = true;
      this.log(`browser ${instance.pid ?? 'remote'} retired after ${instance.pages} pages`);
    }
    void this.current?.then((current) => {
      if (current === instance) this.current = undefined;
    }, () => {});
    if (instance.active === 0) void this.shutdown(instance);
  }

  private async start(): Promise<Instance> {
    let browser: Browser;
    const protocolTimeout = this.options.protocolTimeoutMs ?? protocolTimeoutMs;
    try {
      browser = this.options.wsEndpoint
        ? await puppeteer.connect({ browserWSEndpoint: this.options.wsEndpoint, defaultViewport: null, protocolTimeout })
        : await puppeteer.launch({
            executablePath: await resolveChromiumPath(this.options.chromiumPath),
            headless: 'shell',
            args: launchArgs({ proxyUrl: await this.options.proxyUrl(), proxyHost: this.options.proxyHost }),
            defaultViewport: null,
            pipe: true,
            // The worker owns signals: it closes the browser itself when it stops.
            handleSIGINT: false,
            handleSIGTERM: false,
            handleSIGHUP: false,
            protocolTimeout,
          });
    } catch (error) {
      throw new BrowserError(`Could not start the browser: ${(error as Error).message}`);
    }
    const pid = browser.process()?.pid ?? null;
    if (pid) this.launchedPids.push(pid);
    const instance: Instance = { browser, pid, launchedAt: Date.now(), pages: 0, active: 0, retired: false, crashListeners: new Set(), closeRequested: false };
    this.instances.add(instance);
    browser.once('disconnected', () => {
      if (!instance.closeRequested) this.log(`browser ${pid ?? 'remote'} disconnected unexpectedly`);
      const error = new BrowserError('The browser crashed or disconnected during the job');
      for (const listener of instance.crashListeners) listener(error);
      instance.crashListeners.clear();
      instance.retired = true;
      void this.shutdown(instance);
    });
    this.log(`browser ${pid ?? 'remote'} ${pid ? 'launched' : 'connected'} (${await browser.version()})`);
    return instance;
  }

  private shutdown(instance: Instance): Promise<void> {
    instance.closeRequested = true;
    instance.closing ??= (async () => {
      instance.retired = true;
      try {
        if (instance.pid === null) await instance.browser.disconnect();
        else if (instance.browser.connected) await withTimeout(instance.browser.close(), 5000);
      } catch {
        // Closing a browser that is already gone; the process group is killed below.
      }
      // Chromium's helpers (zygote, renderers) outlive a crashed or killed browser for a while;
      // they share its process group, so none of them outlives the worker.
      if (instance.pid !== null && processGroupMembers(instance.pid).length > 0) {
        try {
          process.kill(-instance.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      this.instances.delete(instance);
    })();
    return instance.closing;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
