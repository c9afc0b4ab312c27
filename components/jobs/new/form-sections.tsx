'use client';

import { useId, useRef } from 'react';
import { formatCredits } from '@/components/account/credits';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { RadioGroup, RadioGroupItem } from '@/components/ui/radio-group';
import { Switch } from '@/components/ui/switch';
import { Textarea } from '@/components/ui/textarea';
import { cn } from '@/components/ui/utils';
import { engineLabels, engines, resultFormats, type Engine, type ResultFormat } from '@/lib/jobs';
import { priorities, type Priority } from '@/lib/queue';
import { maxJobNameLength, maxTags, maxTimeoutMs } from '@/lib/schemas/jobs';
import { ChoiceSelect, Field } from './form-parts';
import { methods, methodsWithBody, screenshotModes, type FieldErrors, type JobFormValues, type Method, type ScreenshotMode } from './form-values';
import { KeyValueRows } from './key-value-rows';

// The create-job form's cards, one per group of request options. Each edits the form's values
// through `set` and shows the errors keyed by its fields.

export type SectionProps = {
  values: JobFormValues;
  errors: FieldErrors;
  set: <K extends keyof JobFormValues>(name: K, value: JobFormValues[K]) => void;
};

const engineHints: Record<Engine, string> = {
  http: 'Plain HTTP request; fastest, no JavaScript.',
  browser: 'Real Chromium; renders JavaScript, waits, screenshots.',
  stealth: 'Chromium with a browser fingerprint, for guarded sites.',
};
const formatLabels: Record<ResultFormat, string> = { html: 'HTML', json: 'JSON', markdown: 'Markdown', text: 'Text' };
const screenshotLabels: Record<ScreenshotMode, string> = { none: 'None', viewport: 'Viewport', fullPage: 'Full page' };
const priorityLabels: Record<Priority, string> = { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' };

/** URL, engine (with what each costs) and response format. */
export function TargetSection({ values, errors, set, costOf, autoFocus }: SectionProps & { costOf: (engine: Engine) => number; autoFocus: boolean }) {
  const ids = { url: useId() };
  return (
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
            autoFocus={autoFocus}
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
                    <span className="text-xs text-muted-foreground tabular">{formatCredits(costOf(engine))}</span>
                  </span>
                  <span className="text-xs leading-snug text-muted-foreground">{engineHints[engine]}</span>
                </span>
              </Label>
            ))}
          </RadioGroup>
        </div>
        <Field label="Response format" error={errors.format} hint="What the result holds.">
          <ChoiceSelect<ResultFormat>
            label="Response format"
            value={values.format}
            options={resultFormats}
            labels={formatLabels}
            onChange={(value) => set('format', value)}
            className="w-48"
          />
        </Field>
      </CardContent>
    </Card>
  );
}

/** The job's name, tags and queue priority: stored on the job, never in the saved defaults. */
export function LabelSection({ values, errors, set }: SectionProps) {
  const ids = { name: useId(), tags: useId() };
  return (
    <Card aria-labelledby="label-title">
      <CardHeader>
        <CardTitle id="label-title">Label and priority</CardTitle>
        <span className="text-xs text-muted-foreground">Optional; not part of the saved defaults</span>
      </CardHeader>
      <CardContent className="grid gap-5 sm:grid-cols-2">
        <Field id={ids.name} label="Name" error={errors.name} hint="Shown with the job, and searchable.">
          <Input
            id={ids.name}
            value={values.name}
            onChange={(event) => set('name', event.target.value)}
            placeholder="e.g. Daily price check"
            maxLength={maxJobNameLength}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={`${ids.name}-note`}
          />
        </Field>
        <Field id={ids.tags} label="Tags" error={errors.tags} hint={`Up to ${maxTags}, separated by commas: lowercase letters, digits and - _ : .`}>
          <Input
            id={ids.tags}
            value={values.tags}
            onChange={(event) => set('tags', event.target.value)}
            placeholder="prices, daily"
            aria-invalid={errors.tags ? true : undefined}
            aria-describedby={`${ids.tags}-note`}
            className="font-mono text-[13px]"
          />
        </Field>
        <Field label="Priority" error={errors.priority} hint="Higher priorities are picked up first.">
          <ChoiceSelect<Priority>
            label="Priority"
            value={values.priority}
            options={priorities}
            labels={priorityLabels}
            onChange={(value) => set('priority', value)}
            className="w-40"
          />
        </Field>
      </CardContent>
    </Card>
  );
}

/** Method, headers, cookies and (for methods that carry one) the body. */
export function RequestSection({ values, errors, set }: SectionProps) {
  const ids = { body: useId() };
  // Ids for rows added here; rows that came with the form are numbered by form-values.
  const nextRow = useRef(0);
  return (
    <Card aria-labelledby="request-title">
      <CardHeader>
        <CardTitle id="request-title">Request</CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-5">
        <Field label="Method" error={errors.method}>
          <ChoiceSelect<Method>
            label="Method"
            value={values.method}
            options={methods}
            onChange={(value) => set('method', value)}
            className="w-48 font-mono text-[13px]"
            itemClassName="font-mono text-[13px]"
          />
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
  );
}

/** What only the Browser and Stealth engines use; shown, but disabled, for HTTP. */
export function BrowserSection({ values, errors, set }: SectionProps) {
  const ids = { selector: useId(), waitTimeout: useId() };
  const browserOnly = values.engine === 'http';
  return (
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
          <ChoiceSelect<ScreenshotMode>
            label="Screenshot"
            value={values.screenshot}
            options={screenshotModes}
            labels={screenshotLabels}
            onChange={(value) => set('screenshot', value)}
            disabled={browserOnly}
            className="w-40"
          />
        </Field>
      </CardContent>
    </Card>
  );
}

/** The proxy's country and the per-attempt timeout. */
export function NetworkSection({ values, errors, set }: SectionProps) {
  const ids = { timeout: useId(), proxy: useId() };
  return (
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
  );
}
