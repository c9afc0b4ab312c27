'use client';

import { useEffect, useRef, useState } from 'react';
import 'swagger-ui-dist/swagger-ui.css';

/**
 * Swagger UI from swagger-ui-dist's prebuilt bundle, loaded in the browser only (it reads
 * `window`) and bundled from npm with its stylesheet: the page needs nothing from another origin.
 * The prebuilt bundle, not swagger-ui-react: Turbopack mis-bundles the latter's OpenAPI 3.1
 * resolver ("refract is not a function", swagger-api/swagger-ui#10599).
 */
export function ApiReference({ spec }: { spec: object }) {
  const container = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');

  useEffect(() => {
    let node: HTMLDivElement | undefined;
    let cancelled = false;
    import('swagger-ui-dist/swagger-ui-bundle.js')
      .then(({ default: SwaggerUIBundle }) => {
        if (cancelled || !container.current) return;
        // A node of its own per mount: Swagger UI renders into it with its own React root.
        node = document.createElement('div');
        container.current.appendChild(node);
        SwaggerUIBundle({
          domNode: node,
          spec,
          docExpansion: 'list',
          defaultModelsExpandDepth: 1,
          deepLinking: true,
          displayRequestDuration: true,
        });
        setState('ready');
      })
      .catch(() => setState('failed'));
    return () => {
      cancelled = true;
      node?.remove();
    };
  }, [spec]);

  return (
    <div className="api-reference">
      {state === 'loading' && <p className="p-6 text-sm text-muted-foreground">Loading the API reference…</p>}
      {state === 'failed' && (
        <p className="p-6 text-sm text-destructive">
          The API reference could not be loaded. The raw document is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
        </p>
      )}
      <div ref={container} />
    </div>
  );
}
