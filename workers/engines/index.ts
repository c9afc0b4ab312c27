// The engines a worker runs and what they share: one browser pool (Browser and Stealth), one
// egress proxy (every browser request, and HTTP requests through the proxy pool), one proxy pool.

import type { Engine as EngineName } from '@/lib/jobs';
import { parseProxyPool } from '@/lib/proxy-pool';
import { BrowserPool } from '@/workers/browser/pool';
import { EgressProxy } from '@/workers/egress/forward-proxy';
import { ProxyPool } from '@/workers/egress/proxy-pool';
import { createBrowserEngine } from '@/workers/engines/browser';
import { createHttpEngine } from '@/workers/engines/http';
import { createStealthEngine } from '@/workers/engines/stealth';
import type { Engine } from '@/workers/engines/types';

export type EngineSetOptions = {
  chromiumPath?: string;
  browserWsEndpoint?: string;
  browserMaxPages: number;
  browserMaxAgeMinutes: number;
  egressProxyHost: string;
  proxyPool: string;
  log?: (message: string) => void;
};

export type EngineSet = {
  engines: Record<EngineName, Engine>;
  browsers: BrowserPool;
  egress: EgressProxy;
  /** Closes the browsers (and their contexts) and the egress proxy's listeners. */
  close(): Promise<void>;
};

export function createEngineSet(options: EngineSetOptions): EngineSet {
  const egress = new EgressProxy({ host: options.egressProxyHost });
  const proxies = new ProxyPool(parseProxyPool(options.proxyPool));
  const browsers = new BrowserPool({
    chromiumPath: options.chromiumPath,
    wsEndpoint: options.browserWsEndpoint,
    maxPages: options.browserMaxPages,
    maxAgeMs: options.browserMaxAgeMinutes * 60_000,
    proxyUrl: () => egress.browserProxyUrl(),
    proxyHost: options.egressProxyHost,
    log: options.log,
  });
  const deps = { browsers, egress, proxies };
  return {
    engines: {
      http: createHttpEngine({ egress, proxies }),
      browser: createBrowserEngine(deps),
      stealth: createStealthEngine(deps),
    },
    browsers,
    egress,
    async close() {
      await browsers.close();
      await egress.close();
    },
  };
}
