'use client';

import { LoaderCircleIcon, SendIcon } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { useCanChange } from '@/components/account/account-banner';
import { refreshAccount } from '@/components/account/use-account';
import { ApiClientError, postJson } from '@/components/api/fetcher';
import { IdempotentAction } from '@/components/api/idempotency';
import { ChoiceSelect, Field, Notice } from '@/components/jobs/new/form-parts';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { engineLabels, engines, resultFormats, type Engine, type ResultFormat } from '@/lib/jobs';
import { crawlModes, maxCrawlPages, type CrawlMode } from '@/lib/schemas/crawls';
import type { CrawlJson } from './api-types';
import { LinesField, NumberField, SwitchRow, lines, numberOrUnset } from './crawl-fields';
import { formatLabels } from './labels';

const modeLabels: Record<CrawlMode, string> = { crawl: 'Crawl: fetch every page', map: 'Map: list the URLs only' };

// The fields with an input of their own; an API error on any other field goes in the summary.
const fieldNames = ['url', 'mode', 'maxPages', 'maxDepth', 'include', 'exclude', 'allowedHosts', 'concurrencyPerHost', 'delayMs', 'engine', 'format'] as const;
type FieldName = (typeof fieldNames)[number];
type Errors = Partial<Record<FieldName | 'other', string>>;


/** The API's field errors on the form's fields ("include.2" on include); the rest together. */
function errorsFromApi(fields: { field: string; message: string }[]): Errors {
  const errors: Errors = {};
  const other: string[] = [];
  for (const { field, message } of fields) {
    const name = fieldNames.find((known) => field === known || field.startsWith(`${known}.`));
    if (name) errors[name] ??= message;
    else other.push(`${field}: ${message}`);
  }
  if (other.length > 0) errors.other = other.join('; ');
  return errors;
}

/**
 * The new-crawl form: every option of POST /api/v1/crawls that a person sets by hand (the start
 * URL, mode and limits, path patterns, hosts, robots and sitemap, politeness, the pages' engine
 * and format). The API validates; its field errors land on the fields they name. Sent with an
 * Idempotency-Key, so a retry after a lost answer does not start a second crawl.
 */
export function CrawlForm({ prices, submitKey }: { prices: Record<Engine, number>; submitKey: { kind: 'live' | 'test' } | null }) {
  const router = useRouter();
  const canChange = useCanChange();
  const ids = {
    url: useId(),
    maxPages: useId(),
    maxDepth: useId(),
    include: useId(),
    exclude: useId(),
    sameHost: useId(),
    allowedHosts: useId(),
    sitemap: useId(),
    robots: useId(),
    concurrency: useId(),
    delay: useId(),
  };
  const [url, setUrl] = useState('');
  const [mode, setMode] = useState<CrawlMode>('crawl');
  const [maxPages, setMaxPages] = useState('100');
  const [maxDepth, setMaxDepth] = useState('10');
  const [include, setInclude] = useState('');
  const [exclude, setExclude] = useState('');
  const [sameHost, setSameHost] = useState(true);
  const [allowedHosts, setAllowedHosts] = useState('');
  const [sitemap, setSitemap] = useState(false);
  const [robots, setRobots] = useState(true);
  const [concurrency, setConcurrency] = useState('2');
  const [delay, setDelay] = useState('0');
  const [engine, setEngine] = useState<Engine>('http');
  const [format, setFormat] = useState<ResultFormat>('markdown');
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const submission = useRef(new IdempotentAction()).current;
  const form = useRef<HTMLFormElement>(null);
  const [focusErrors, setFocusErrors] = useState(0);

  // After a refused submit, take the user to the first field that needs them.
  useEffect(() => {
    if (focusErrors) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusErrors]);

  // Map mode fetches with the HTTP engine and keeps no content (the API decides so too).
  const pageEngine = mode === 'map' ? 'http' : engine;
  const pageLimit = numberOrUnset(maxPages);
  // A test key's pages are free (spec section 13).
  const price = submitKey?.kind === 'test' ? 0 : prices[pageEngine];
  const locked = !canChange || !submitKey;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setErrors({});
    setFailure(null);
    const body = {
      url: url.trim(),
      mode,
      maxPages: pageLimit,
      maxDepth: numberOrUnset(maxDepth),
      include: lines(include),
      exclude: lines(exclude),
      sameHost,
      allowedHosts: lines(allowedHosts),
      sitemap,
      robots,
      concurrencyPerHost: numberOrUnset(concurrency),
      delayMs: numberOrUnset(delay),
      engine: pageEngine,
      format,
    };
    const request = JSON.stringify(body);
    try {
      const crawl = await postJson<CrawlJson>('/api/v1/crawls', body, submission.headers(request));
      submission.settle();
      void refreshAccount();
      toast.success('Crawl started. Opening it...');
      router.push(`/dashboard/crawls/${crawl.id}`);
    } catch (error) {
      submission.settle(error);
      setPending(false);
      const fields = error instanceof ApiClientError && error.status === 400 ? (error.details as { fields?: { field: string; message: string }[] } | undefined)?.fields : undefined;
      if (fields?.length) {
        setErrors(errorsFromApi(fields));
        setFocusErrors((n) => n + 1);
      } else {
        setFailure(error instanceof ApiClientError ? error.message : 'Could not start the crawl. Please try again.');
      }
    }
  };

  const invalid = (name: FieldName) => (errors[name] ? true : undefined);

  return (
    <form ref={form} onSubmit={(event) => void submit(event)} className="flex max-w-3xl flex-col gap-5" noValidate aria-label="New crawl">
      <fieldset disabled={locked || pending} className="flex min-w-0 flex-col gap-5">
        <Card>
          <CardHeader>
            <CardTitle>Start</CardTitle>
          </CardHeader>
          <CardContent className="flex flex-col gap-5">
            <Field id={ids.url} label="Start URL" error={errors.url} hint="An absolute http:// or https:// address; links are followed from here.">
              <Input
                id={ids.url}
                name="url"
                type="url"
                value={url}
                onChange={(e) => setUrl(e.target.value)}
                placeholder="https://example.com/"
                className="font-mono text-[13px]"
                aria-invalid={invalid('url')}
                aria-describedby={`${ids.url}-note`}
                autoFocus
              />
            </Field>
            <Field label="Mode" error={errors.mode}>
              <ChoiceSelect<CrawlMode> label="Mode" value={mode} options={crawlModes} labels={modeLabels} onChange={setMode} className="w-72" />
            </Field>
            <div className="flex flex-wrap gap-5">
              <NumberField id={ids.maxPages} name="maxPages" label="Page limit" hint={`Required: the most pages fetched, up to ${maxCrawlPages.toLocaleString('en-US')}.`} value={maxPages} onChange={setMaxPages} error={errors.maxPages} />
              <NumberField id={ids.maxDepth} name="maxDepth" label="Depth limit" hint="Links away from the start URL (0: only the start URL)." value={maxDepth} onChange={setMaxDepth} error={errors.maxDepth} />
            </div>
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle>Which pages</CardTitle>
          </CardHeader>
          <CardContent className="flex flex-col gap-5">
            <div className="grid gap-5 sm:grid-cols-2">
              <LinesField id={ids.include} name="include" label="Include paths" hint="Globs on the path, one per line (e.g. /blog/**). Empty: every path." value={include} onChange={setInclude} error={errors.include} />
              <LinesField id={ids.exclude} name="exclude" label="Exclude paths" hint="Globs on the path never fetched, one per line." value={exclude} onChange={setExclude} error={errors.exclude} />
            </div>
            <SwitchRow id={ids.sameHost} label="Stay on the start URL's host" hint="Links to other hosts are skipped unless listed below." checked={sameHost} onChange={setSameHost} />
            <LinesField id={ids.allowedHosts} name="allowedHosts" label="Allowed hosts" hint={sameHost ? 'Other hosts the crawl may also fetch, one per line (e.g. docs.example.com).' : 'The hosts the crawl may fetch, one per line. Empty: any host.'} value={allowedHosts} onChange={setAllowedHosts} error={errors.allowedHosts} rows={2} />
            <SwitchRow id={ids.sitemap} label="Read sitemap.xml" hint="Also fetch the URLs the start host's sitemap lists." checked={sitemap} onChange={setSitemap} />
            <SwitchRow id={ids.robots} label="Honour robots.txt" hint="Skip the paths it disallows and wait its Crawl-delay between pages." checked={robots} onChange={setRobots} />
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle>Each page</CardTitle>
          </CardHeader>
          <CardContent className="flex flex-col gap-5">
            <div className="flex flex-wrap gap-5">
              <NumberField id={ids.concurrency} name="concurrencyPerHost" label="Concurrency per host" hint="Pages fetched at once from one host, 1 to 10." value={concurrency} onChange={setConcurrency} error={errors.concurrencyPerHost} />
              <NumberField id={ids.delay} name="delayMs" label="Politeness delay (ms)" hint="The least time between the starts of two pages." value={delay} onChange={setDelay} error={errors.delayMs} />
            </div>
            <div className="flex flex-wrap gap-5">
              <Field label="Engine" error={errors.engine} hint={mode === 'map' ? 'Map mode always uses the HTTP engine.' : undefined}>
                <ChoiceSelect<Engine> label="Engine" value={pageEngine} options={engines} labels={engineLabels} onChange={setEngine} disabled={mode === 'map'} className="w-48" />
              </Field>
              <Field label="Response format" error={errors.format} hint={mode === 'map' ? 'Map mode keeps no content.' : undefined}>
                <ChoiceSelect<ResultFormat> label="Response format" value={format} options={resultFormats} labels={formatLabels} onChange={setFormat} disabled={mode === 'map'} className="w-48" />
              </Field>
            </div>
          </CardContent>
        </Card>
      </fieldset>

      <p className="text-sm text-muted-foreground" data-testid="crawl-cost">
        Each page costs {price} {price === 1 ? 'credit' : 'credits'} ({engineLabels[pageEngine]}), reserved as it is found
        {pageLimit !== undefined && Number.isInteger(pageLimit) && pageLimit > 0 ? `: at most ${(pageLimit * price).toLocaleString('en-US')} credits for this crawl.` : '.'}
      </p>
      {!submitKey && (
        <Notice>
          No active API keys. <Link href="/dashboard/api-keys" className="font-medium underline">Create a key</Link> to start crawls.
        </Notice>
      )}
      {errors.other && <Notice tone="error">{errors.other}</Notice>}
      {failure && <Notice tone="error">{failure}</Notice>}
      <div className="flex gap-3">
        <Button type="submit" disabled={locked || pending}>
          {pending ? <LoaderCircleIcon className="animate-spin" /> : <SendIcon />}
          {pending ? 'Starting…' : 'Start crawl'}
        </Button>
        <Button type="button" variant="ghost" onClick={() => router.back()}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
