// The Stealth engine: the Browser engine with a generated, internally consistent fingerprint
// per job (workers/browser/fingerprint.ts), matched to the proxy's country when there is one.

import { applyProfile, describeProfile, generateProfile } from '@/workers/browser/fingerprint';
import { createBrowserEngine, type BrowserEngineDeps } from '@/workers/engines/browser';
import type { Engine } from '@/workers/engines/types';

export function createStealthEngine(deps: BrowserEngineDeps): Engine {
  return createBrowserEngine(deps, async (page, { proxy, log }) => {
    const profile = generateProfile(proxy?.country);
    await applyProfile(page, profile);
    log('DEBUG', 'Fingerprint profile applied', describeProfile(profile));
  });
}
