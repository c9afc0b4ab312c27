'use client';

import { AlertCircleIcon, CopyIcon, LoaderCircleIcon, SendIcon } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { toast } from 'sonner';
import { useCanChange } from '@/components/account/account-banner';
import { formatCredits } from '@/components/account/credits';
import { refreshAccount, useAccount } from '@/components/account/use-account';
import { ApiClientError, apiFetch } from '@/components/api/fetcher';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { RadioGroup, RadioGroupItem } from '@/components/ui/radio-group';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Switch } from '@/components/ui/switch';
import { Textarea } from '@/components/ui/textarea';
import { cn } from '@/components/ui/utils';
import { formatAbsolute } from '@/components/time/format';
import { useTimeZone } from '@/components/time/time-context';
import { engineLabels, engines, resultFormats, type Engine, type ResultFormat } from '@/lib/jobs';
import { maxTimeoutMs } from '@/lib/schemas/jobs';
import type { JobJson } from '../api-types';
import {
  defaultsFromBody,
  errorsFromApi,
  methods,
  methodsWithBody,
  screenshotModes,
  validateValues,
  valuesFromRequest,
  type FieldErrors,
  type JobFormValues,
  type Method,
  type ScreenshotMode,
} from './form-values';
import { KeyValueRows } from './key-value-rows';

const engineHints: Record<Engine, string> = {
  http: 'Plain HTTP request; fastest, no JavaScript.',
  browser: 'Real Chromium; renders JavaScript, waits, screenshots.',
  stealth: 'Chromium with a browser fingerprint, for guarded sites.',
};
const formatLabels: Record<ResultFormat, string> = { html: 'HTML', json: 'JSON', markdown: 'Markdown', text: 'Text' };
const screenshotLabels: Record<ScreenshotMode, string> = { none: 'None', viewport: 'Viewport', fullPage: 'Full page' };

export type SubmitKey = { name: string; kind: 'live' | 'test' } | null;

/**
 * The create-job form (spec 002 sections 1.3, 4.3, 6.5): every option of POST /api/v1/jobs,
 * validated with the API's own schema before sending; the API's field errors land on the same
 * fields. A successful submission remembers its choices as the user's defaults.
 */
export function JobForm({
  initial,
  savedAt,
  clonedFrom,
  prices,
  submitKey,
}: {
  initial: JobFormValues;
  /** When the user's defaults were saved, if they have any. */
  savedAt: string | null;
  clonedFrom: string | null;
  prices: Record<Engine, number>;
  submitKey: SubmitKey;
}) {
  const router = useRouter();
  const timeZone = useTimeZone();
  const account = useAccount();
  const canChange = useCanChange();
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [saved, setSaved] = useState(savedAt);
  const [clearing, setClearing] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const nextRow = useRef(0);
  const [focusErrors, setFocusErrors] = useState(0);
  const ids = { url: useId(), body: useId(), selector: useId(), waitTimeout: useId(), timeout: useId(), proxy: useId() };

  // After a failed submit, take the user to the first field that needs them.
  useEffect(() => {
    if (focusErrors) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusErrors]);

  const set = <K extends keyof JobFormValues>(name: K, value: JobFormValues[K]) => {
    setValues((current) => ({ ...current, [name]: value }));
    if (errors[name]) setErrors(({ [name]: _, ...rest }) => rest);
  };

  const cost = submitKey?.kind === 'test' ? 0 : prices[values.engine];
  const available = account.data?.available;
  const insufficient = available !== undefined && cost > available;
  const browserOnly = values.engine === 'http';
  const locked = !canChange || !submitKey;

  const submit = async () => {
    const result = validateValues(values);
    if (!result.ok) {
      setErrors(result.errors);
      setFormError(null);
      setFocusErrors((n) => n + 1);
      return;
    }
    setErrors({});
    setFormError(null);
    setPending(true);
    try {
      const job = await apiFetch<JobJson>('/api/v1/jobs', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(result.body),
      });
      // Remembered for next time (spec 002 section 6.5). The job exists either way: a failure here is not the user's problem.
      await apiFetch('/api/v1/preferences/job-defaults', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(defaultsFromBody(result.body)),
      }).catch(() => undefined);
      void refreshAccount();
      toast.success('Job submitted. Opening it...');
      router.push(`/dashboard/jobs/${job.id}`);
    } catch (error) {
      setPending(false);
      const fields = (error as ApiClientError).details as { fields?: { field: string; message: string }[] } | undefined;
      if (error instanceof ApiClientError && error.status === 400 && fields?.fields?.length) {
        setErrors(errorsFromApi(values, fields.fields));
        setFocusErrors((n) => n + 1);
      } else {
        setFormError(error instanceof Error ? error.message : 'Could not submit the job. Please try again.');
      }
    }
  };

  const clearDefaults = async () => {
    setClearing(true);
    try {
      await apiFetch('/api/v1/preferences/job-defaults', { method: 'DELETE' });
      setSaved(null);
      // A clone keeps its values; a fresh form goes back to the plain defaults (the URL typed so far stays).
      if (!clonedFrom) setValues((current) => ({ ...valuesFromRequest(), url: current.url }));
      setErrors({});
      toast.success('Saved defaults cleared');
    } catch (error) {
      toast.error(error instanceof Error ? error.message : 'Could not clear the saved defaults.');
    } finally {
      setClearing(false);
    }
  };

  const errorCount = Object.keys(errors).length;

  return (
    <form
      ref={form}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
      aria-label={clonedFrom ? 'Clone job' : 'New job'}
      className="grid items-start gap-5 lg:grid-cols-[minmax(0,1fr)_300px]"
    >
      <fieldset disabled={locked || pending} className="flex min-w-0 flex-col gap-5">
        <Card aria-labelledby="target-title">
          <CardHeader>
            <CardTitle id="target-title">Target</CardTitle>
          </CardHeader>
          <CardContent className="flex flex-col gap-5">
            <Field id={ids.url} label="URL" error={errors.url} hint="An absolute http:// or https:// address.">
              <Input
                id={ids.url}
                name="url"
                type="url"
                inputMode="url"
                value={values.url}
                onChange={(event) => set('url', event.target.value)}
                placeholder="https://example.com/page"
                autoFocus={!clonedFrom}
                aria-invalid={errors.url ? true : undefined}
                aria-describedby={`${ids.url}-note`}
                className="font-mono text-[13px]"
              />
            </Field>
            <div className="flex flex-col gap-2">
              <span className="text-sm font-medium" id="engine-label">
                Engine
              </span>
              <RadioGroup value={values.engine} onValueChange={(value) => set('engine', value as Engine)} aria-labelledby="engine-label" className="grid gap-2 sm:grid-cols-3">
                {engines.map((engine) => (
                  <Label
                    key={engine}
                    className="flex cursor-pointer items-start gap-3 rounded-lg border p-3 font-normal has-[[data-state=checked]]:border-primary has-[[data-state=checked]]:bg-primary/5 has-[:disabled]:cursor-not-allowed"
                  >
                    <RadioGroupItem value={engine} aria-label={engineLabels[engine]} className="mt-0.5" />
                    <span className="grid gap-1">
                      <span className="flex flex-wrap items-baseline justify-between gap-x-2">
                        <span className="font-medium">{engineLabels[engine]}</span>
                        <span className="text-xs text-muted-foreground tabular">{formatCredits(submitKey?.kind === 'test' ? 0 : prices[engine])}</span>
                      </span>
                      <span className="text-xs leading-snug text-muted-foreground">{engineHints[engine]}</span>
                    </span>
                  </Label>
                ))}
              </RadioGroup>
            </div>
            <Field label="Response format" error={errors.format} hint="What the result holds.">
              <Select value={values.format} onValueChange={(value) => set('format', value as ResultFormat)}>
                <SelectTrigger aria-label="Response format" className="w-48">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {resultFormats.map((format) => (
                    <SelectItem key={format} value={format}>
                      {formatLabels[format]}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </Field>
          </CardContent>
        </Card>

        <Card aria-labelledby="request-title">
          <CardHeader>
            <CardTitle id="request-title">Request</CardTitle>
          </CardHeader>
          <CardContent className="flex flex-col gap-5">
            <Field label="Method" error={errors.method}>
              <Select value={values.method} onValueChange={(value) => set('method', value as Method)}>
                <SelectTrigger aria-label="Method" className="w-48 font-mono text-[13px]">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {methods.map((method) => (
                    <SelectItem key={method} value={method} className="font-mono text-[13px]">
                      {method}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </Field>
            <Field label="Headers" error={errors.headers} hint="Sent with the request. Values of secret-looking headers are masked on the job page.">
              <KeyValueRows
                field="headers"
                label="Header"
                rows={values.headers}
                errors={errors}
                namePlaceholder="Header-Name"
                valuePlaceholder="value"
                onChange={(rows) => set('headers', rows)}
                newId={() => `header-new-${nextRow.current++}`}
              />
            </Field>
            <Field label="Cookies" error={errors.cookies}>
              <KeyValueRows
                field="cookies"
                label="Cookie"
                rows={values.cookies}
                errors={errors}
                namePlaceholder="name"
                valuePlaceholder="value"
                onChange={(rows) => set('cookies', rows)}
                newId={() => `cookie-new-${nextRow.current++}`}
              />
            </Field>
            {methodsWithBody.includes(values.method) && (
              <Field id={ids.body} label="Body" error={errors.body} hint="Sent as is; JSON is shown formatted on the job page.">
                <Textarea
                  id={ids.body}
                  value={values.body}
                  onChange={(event) => set('body', event.target.value)}
                  rows={5}
                  placeholder='{"query": "…"}'
                  aria-invalid={errors.body ? true : undefined}
                  aria-describedby={`${ids.body}-note`}
                  className="font-mono text-xs"
                />
              </Field>
            )}
          </CardContent>
        </Card>

        <Card aria-labelledby="browser-title">
          <CardHeader>
            <CardTitle id="browser-title">Browser options</CardTitle>
            {browserOnly && <span className="text-xs text-muted-foreground">Used by the Browser and Stealth engines only</span>}
          </CardHeader>
          <CardContent className={cn('grid gap-5 sm:grid-cols-2', browserOnly && 'opacity-60')}>
            <div className="flex items-center gap-3 sm:col-span-2">
              <Switch id="render-js" checked={values.renderJs} onCheckedChange={(checked) => set('renderJs', checked)} disabled={browserOnly} />
              <Label htmlFor="render-js" className="font-normal">
                Render JavaScript
              </Label>
            </div>
            <Field id={ids.selector} label="Wait for selector" error={errors.waitForSelector} hint="A CSS selector to wait for before reading the page.">
              <Input
                id={ids.selector}
                value={values.waitForSelector}
                onChange={(event) => set('waitForSelector', event.target.value)}
                placeholder="#content"
                disabled={browserOnly}
                aria-invalid={errors.waitForSelector ? true : undefined}
                aria-describedby={`${ids.selector}-note`}
                className="font-mono text-[13px]"
              />
            </Field>
            <Field id={ids.waitTimeout} label="Wait timeout (ms)" error={errors.waitTimeoutMs} hint={`100 to ${maxTimeoutMs.toLocaleString('en-US')}.`}>
              <Input
                id={ids.waitTimeout}
                inputMode="numeric"
                value={values.waitTimeoutMs}
                onChange={(event) => set('waitTimeoutMs', event.target.value)}
                disabled={browserOnly}
                aria-invalid={errors.waitTimeoutMs ? true : undefined}
                aria-describedby={`${ids.waitTimeout}-note`}
                className="w-40 tabular"
              />
            </Field>
            <Field label="Screenshot" error={errors.screenshot}>
              <Select value={values.screenshot} onValueChange={(value) => set('screenshot', value as ScreenshotMode)} disabled={browserOnly}>
                <SelectTrigger aria-label="Screenshot" className="w-40">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {screenshotModes.map((mode) => (
                    <SelectItem key={mode} value={mode}>
                      {screenshotLabels[mode]}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </Field>
          </CardContent>
        </Card>

        <Card aria-labelledby="network-title">
          <CardHeader>
            <CardTitle id="network-title">Network and limits</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-5 sm:grid-cols-2">
            <Field id={ids.proxy} label="Proxy country" error={errors.proxyCountry} hint="Two-letter code such as US or DE; empty for automatic.">
              <Input
                id={ids.proxy}
                value={values.proxyCountry}
                onChange={(event) => set('proxyCountry', event.target.value.toUpperCase())}
                placeholder="Auto"
                maxLength={4}
                aria-invalid={errors.proxyCountry ? true : undefined}
                aria-describedby={`${ids.proxy}-note`}
                className="w-28 font-mono uppercase placeholder:normal-case"
              />
            </Field>
            <Field id={ids.timeout} label="Timeout (ms)" error={errors.timeoutMs} hint={`Per attempt; 1,000 to ${maxTimeoutMs.toLocaleString('en-US')}.`}>
              <Input
                id={ids.timeout}
                inputMode="numeric"
                value={values.timeoutMs}
                onChange={(event) => set('timeoutMs', event.target.value)}
                aria-invalid={errors.timeoutMs ? true : undefined}
                aria-describedby={`${ids.timeout}-note`}
                className="w-40 tabular"
              />
            </Field>
          </CardContent>
        </Card>
      </fieldset>

      <aside className="flex flex-col gap-4 lg:sticky lg:top-8">
        <Card aria-labelledby="summary-title" data-testid="job-summary">
          <CardHeader>
            <CardTitle id="summary-title">Summary</CardTitle>
          </CardHeader>
          <CardContent className="flex flex-col gap-4 text-sm">
            <dl className="grid grid-cols-[1fr_auto] gap-y-2">
              <dt className="text-muted-foreground">Cost ({engineLabels[values.engine]})</dt>
              <dd className="text-right font-medium tabular" data-testid="job-cost">
                {formatCredits(cost)}
              </dd>
              <dt className="text-muted-foreground">Available</dt>
              <dd className="text-right font-medium tabular" data-testid="job-available">
                {available === undefined ? '…' : formatCredits(available)}
              </dd>
              {submitKey && (
                <>
                  <dt className="text-muted-foreground">API key</dt>
                  <dd className="truncate text-right" title={submitKey.name}>
                    {submitKey.name}
                    {submitKey.kind === 'test' ? ' (test)' : ''}
                  </dd>
                </>
              )}
            </dl>
            <p className="text-xs leading-relaxed text-muted-foreground">Charged when the job completes or fails; nothing if it is cancelled or expires.</p>
            {!submitKey && (
              <Notice>
                No active API keys. <Link href="/dashboard/api-keys" className="font-medium underline">Create a key</Link> to submit jobs.
              </Notice>
            )}
            {submitKey && insufficient && (
              <Notice>
                Insufficient credits. You need {cost} credits but have {available}.{' '}
                <Link href="/dashboard/billing" className="font-medium underline">
                  Add credits
                </Link>
              </Notice>
            )}
            {errorCount > 0 && (
              <Notice tone="error">
                {errorCount === 1 ? 'One field needs' : `${errorCount} fields need`} your attention.
              </Notice>
            )}
            {formError && <Notice tone="error">{formError}</Notice>}
            <div className="flex flex-col gap-2">
              <Button type="submit" disabled={locked || pending || insufficient}>
                {pending ? <LoaderCircleIcon className="animate-spin" /> : clonedFrom ? <CopyIcon /> : <SendIcon />}
                {pending ? 'Submitting…' : 'Submit job'}
              </Button>
              <Button type="button" variant="ghost" onClick={() => router.back()}>
                Cancel
              </Button>
            </div>
          </CardContent>
        </Card>
        <div className="flex flex-col gap-1.5 px-1 text-xs text-muted-foreground" data-testid="defaults-status">
          {saved ? (
            <>
              <p>
                {clonedFrom ? 'Your saved defaults are not used when cloning.' : `Options filled in from your saved defaults (${formatAbsolute(saved, timeZone)}).`}
              </p>
              <div>
                <Button type="button" variant="link" size="xs" className="h-auto text-xs" onClick={() => void clearDefaults()} disabled={clearing || !canChange}>
                  Clear saved defaults
                </Button>
              </div>
            </>
          ) : (
            <p>The options you submit with are remembered for your next job.</p>
          )}
        </div>
      </aside>
    </form>
  );
}

function Field({ id, label, hint, error, children }: { id?: string; label: string; hint?: string; error?: string; children: ReactNode }) {
  return (
    <div className="flex min-w-0 flex-col gap-2">
      {id ? (
        <Label htmlFor={id}>{label}</Label>
      ) : (
        <span className="text-sm leading-none font-medium">{label}</span>
      )}
      {children}
      {error ? (
        <p id={id ? `${id}-note` : undefined} className="text-xs text-destructive" data-testid="field-error">
          {error}
        </p>
      ) : hint ? (
        <p id={id ? `${id}-note` : undefined} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

function Notice({ children, tone = 'warning' }: { children: ReactNode; tone?: 'warning' | 'error' }) {
  return (
    <p
      role={tone === 'error' ? 'alert' : 'note'}
      className={cn(
        'flex gap-2 rounded-md border px-3 py-2 text-[13px]',
        tone === 'error' ? 'border-red-200 bg-red-50 text-red-800' : 'border-amber-200 bg-amber-50 text-amber-900',
      )}
    >
      <AlertCircleIcon className="mt-0.5 size-4 shrink-0" />
      <span>{children}</span>
    </p>
  );
}
