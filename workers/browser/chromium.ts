// Where the Chromium binary is: CHROMIUM_PATH, else the one @sparticuz/chromium unpacks into
// /tmp/chromium on first use. Unpacking writes the binary in place, so concurrent processes (two
// workers, parallel test files) would see a half-written file: a lock file serialises them.

import { closeSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const lockPath = path.join(tmpdir(), 'scrapifie-chromium-unpack.lock');
/** A lock older than this belongs to a process that died while unpacking. */
const staleLockMs = 120_000;

let resolving: Promise<string> | undefined;

async function withUnpackLock<T>(run: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      closeSync(openSync(lockPath, 'wx'));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(lockPath).mtimeMs > staleLockMs) rmSync(lockPath, { force: true });
      } catch {
        // Released between the two calls: take it on the next turn.
      }
      await sleep(100);
    }
  }
  try {
    return await run();
  } finally {
    rmSync(lockPath, { force: true });
  }
}

/** The Chromium executable to launch; `override` is CHROMIUM_PATH. */
export function resolveChromiumPath(override?: string): Promise<string> {
  if (override) return Promise.resolve(override);
  resolving ??= withUnpackLock(async () => {
    const { default: chromium } = await import('@sparticuz/chromium');
    return chromium.executablePath();
  }).catch((error: unknown) => {
    resolving = undefined;
    throw error;
  });
  return resolving;
}

/** Server flags every Chromium we launch gets: root without a sandbox, no GPU, and nothing that phones home. */
export const serverChromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
