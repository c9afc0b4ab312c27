'use client';

import { ChevronRightIcon } from 'lucide-react';
import { useId, useState, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { cn } from '@/components/ui/utils';
import { isSensitiveHeader, maskCookieValue, maskHeaderValue } from '@/lib/secret-masking';
import type { JobJson } from '../api-types';

export const bodyPreviewChars = 5000;

const formatLabels: Record<string, string> = { html: 'HTML', json: 'JSON', markdown: 'Markdown', text: 'Text' };

function countryName(code: string | undefined): string {
  if (!code || code === 'auto') return 'Auto';
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(code.toUpperCase()) ?? code.toUpperCase();
  } catch {
    return code.toUpperCase();
  }
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(2))}s`;

function formatBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** Request Configuration (spec section 4): collapsed for completed jobs, open for failed ones. */
export function RequestConfig({ job }: { job: JobJson }) {
  const [open, setOpen] = useState(job.status === 'failed');
  const regionId = useId();
  const config = job.config;
  // The dashboard's copy comes masked from the server; anything else is masked here as well.
  const serverMasked = 'maskedSecrets' in job && job.maskedSecrets !== undefined;
  const headers = Object.entries(config.headers ?? {}).map(([name, value]): [string, string] => [name, serverMasked || !isSensitiveHeader(name) ? value : maskHeaderValue(value)]);
  const cookies = Object.entries(config.cookies ?? {}).map(([name, value]): [string, string] => [name, serverMasked ? value : maskCookieValue(value)]);
  const screenshot = config.screenshot === 'fullPage' ? 'Yes (full page)' : config.screenshot ? 'Yes' : 'No';

  return (
    <Card data-testid="request-config">
      <h2>
        <button
          type="button"
          aria-expanded={open}
          aria-controls={regionId}
          onClick={() => setOpen((value) => !value)}
          className="flex w-full items-center gap-2 rounded-xl px-5 py-3.5 text-left text-sm font-semibold hover:bg-muted/40 focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none"
        >
          <ChevronRightIcon className={cn('size-4 text-muted-foreground transition-transform', open && 'rotate-90')} />
          Request Configuration
        </button>
      </h2>
      <div id={regionId} hidden={!open}>
        <CardContent className="border-t">
          <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-4 gap-y-3 text-sm sm:gap-x-6">
            <Row label="URL">
              <span className="font-mono break-all">{job.url}</span>
            </Row>
            <Row label="Method">{config.method}</Row>
            <Row label="Headers">
              {headers.length === 0 ? (
                <span className="text-muted-foreground">None</span>
              ) : (
                <KeyValueTable rows={headers} testId="config-headers" />
              )}
            </Row>
            <Row label="Body">{config.body ? <BodyView body={config.body} /> : <span className="text-muted-foreground">None</span>}</Row>
            <Row label="Render JavaScript">{config.renderJs ? 'Yes' : 'No'}</Row>
            <Row label="Wait For Selector">
              {config.waitForSelector ? <span className="font-mono">{config.waitForSelector}</span> : 'None'}
            </Row>
            <Row label="Wait Timeout">{seconds(config.waitTimeoutMs)}</Row>
            <Row label="Request Timeout">{seconds(config.timeoutMs)}</Row>
            <Row label="Screenshot">{screenshot}</Row>
            <Row label="Proxy Country">{countryName(config.proxyCountry)}</Row>
            <Row label="Response Format">{formatLabels[config.format] ?? config.format}</Row>
            <Row label="Custom Cookies">
              {cookies.length === 0 ? (
                <span className="text-muted-foreground">None</span>
              ) : (
                <KeyValueTable rows={cookies} testId="config-cookies" />
              )}
            </Row>
          </dl>
        </CardContent>
      </div>
    </Card>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0">{children}</dd>
    </>
  );
}

function KeyValueTable({ rows, testId }: { rows: [string, string][]; testId: string }) {
  return (
    <table className="w-full max-w-2xl overflow-hidden rounded-md border text-xs" data-testid={testId}>
      <tbody>
        {rows.map(([name, value]) => (
          <tr key={name} className="border-b last:border-0">
            <td className="w-1/3 bg-muted/40 px-2.5 py-1.5 font-mono break-all">{name}</td>
            <td className="px-2.5 py-1.5 font-mono break-all">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function BodyView({ body }: { body: string }) {
  const [expanded, setExpanded] = useState(false);
  const text = formatBody(body);
  const long = text.length > bodyPreviewChars;
  return (
    <div className="flex flex-col items-start gap-2">
      <pre className="max-h-96 w-full overflow-auto rounded-md border bg-muted/40 p-3 font-mono text-xs whitespace-pre-wrap break-all" data-testid="config-body">
        {long && !expanded ? `${text.slice(0, bodyPreviewChars)}…` : text}
      </pre>
      {long && (
        <Button variant="link" size="sm" onClick={() => setExpanded((value) => !value)}>
          {expanded ? 'Show less' : 'Show more'}
        </Button>
      )}
    </div>
  );
}
