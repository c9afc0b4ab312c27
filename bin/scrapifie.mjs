#!/usr/bin/env node
// The `scrapifie` command: runs the TypeScript CLI (cli/index.ts) through tsx's loader, with the
// project's tsconfig wherever it is started from, so a fresh clone works after `npm install`.
import { register } from 'tsx/esm/api';

register({ tsconfig: new URL('../tsconfig.json', import.meta.url).pathname });
await import('../cli/index.ts');
