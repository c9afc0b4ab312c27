import { ensureProductionBuild } from '@/scripts/next-build';

// The fault suite serves the web app with `next start`, as production does: the build the e2e
// suite made is reused when the sources are unchanged (as in .ci/run), else it is built once here.
export default function setup() {
  ensureProductionBuild({ log: (message) => console.log(`[faults] ${message}`) });
}
