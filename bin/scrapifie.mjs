#!/usr/bin/env node
// The `scrapifie` command. It runs the bundle that `npm install` builds (dist/cli/scrapifie.mjs,
// see scripts/build-cli.ts) when that is newer than every file under cli/, lib/ and the SDK's
// sources (packages/sdk/src, which it bundles); otherwise it
// runs the TypeScript sources through tsx's loader, so an edited CLI never runs stale code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = `${root}dist/cli/scrapifie.mjs`;

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = `${dir}/${entry.name}`;
    newest = Math.max(newest, entry.isDirectory() ? newestSource(file) : statSync(file).mtimeMs);
  }
  return newest;
}

const fresh =
  existsSync(bundle) && statSync(bundle).mtimeMs >= Math.max(newestSource(`${root}cli`), newestSource(`${root}lib`), newestSource(`${root}packages/sdk/src`));
if (fresh) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register({ tsconfig: `${root}tsconfig.json` });
  await import('../cli/index.ts');
}
