import type { Metadata } from 'next';
import Link from 'next/link';
import { openApiDocument, openApiPath } from '@/lib/openapi/document';
import { ApiReference } from './api-reference';
import './docs.css';

export const metadata: Metadata = { title: 'API Documentation · Scrapifie' };

/** The API reference, rendered from the same OpenAPI document /api/v1/openapi.json serves. Public. */
export default function DocsPage() {
  return (
    <div className="min-h-screen bg-white">
      <header className="flex items-center justify-between border-b px-6 py-3 text-sm">
        <Link href="/dashboard" className="font-semibold">
          Scrapifie
        </Link>
        <nav className="flex gap-4 text-muted-foreground">
          <a href={openApiPath} className="hover:text-foreground">
            openapi.json
          </a>
          <Link href="/dashboard/jobs" className="hover:text-foreground">
            Dashboard
          </Link>
        </nav>
      </header>
      <main className="mx-auto max-w-6xl">
        <ApiReference spec={openApiDocument()} />
      </main>
    </div>
  );
}
