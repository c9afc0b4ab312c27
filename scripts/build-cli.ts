import { build } from 'esbuild';

// `npm run build:cli` (also run by `npm install` through `prepare`): the `scrapifie` command as one
// ESM file, dist/cli/scrapifie.mjs, with the SDK's sources (packages/sdk/src: the CLI's one client)
// bundled in and its npm packages left as imports. bin/scrapifie.mjs runs
// it when it is newer than the sources; starting the bundle takes ~0.15 s, against ~0.6 s for
// compiling the TypeScript on every call.

export const cliBundle = 'dist/cli/scrapifie.mjs';

export async function buildCli() {
  await build({
    entryPoints: ['cli/index.ts'],
    outfile: cliBundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await buildCli();
