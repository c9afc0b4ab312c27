'use client';

import { useId } from 'react';
import { Field } from '@/components/jobs/new/form-parts';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Switch } from '@/components/ui/switch';
import { Textarea } from '@/components/ui/textarea';
import { maxCrawlDepth, maxCrawlPages } from '@/lib/schemas/crawls';
import type { ScheduleResponse } from '@/lib/schemas/schedules';

// The crawl part of the schedule form: the limits and the discovery options of POST /api/v1/crawls.

export type CrawlFieldValues = {
  maxPages: string;
  maxDepth: string;
  include: string;
  exclude: string;
  sameHost: boolean;
  sitemap: boolean;
  robots: boolean;
};

type CrawlTarget = Extract<ScheduleResponse['target'], { type: 'crawl' }>;

export function crawlFieldValues(saved: CrawlTarget | undefined): CrawlFieldValues {
  return {
    maxPages: String(saved?.maxPages ?? 100),
    maxDepth: String(saved?.maxDepth ?? 3),
    include: saved?.include.join('\n') ?? '',
    exclude: saved?.exclude.join('\n') ?? '',
    sameHost: saved?.sameHost ?? true,
    sitemap: saved?.sitemap ?? false,
    robots: saved?.robots ?? true,
  };
}

const lines = (text: string) => text.split('\n').map((line) => line.trim()).filter(Boolean);
// An empty number box is left out, so the API names the field (maxPages is required).
const whole = (text: string) => (text.trim() === '' ? undefined : Number(text));

/** The crawl options as the target body sends them. */
export function crawlTargetBody(values: CrawlFieldValues) {
  return {
    maxPages: whole(values.maxPages),
    maxDepth: whole(values.maxDepth),
    include: lines(values.include),
    exclude: lines(values.exclude),
    sameHost: values.sameHost,
    sitemap: values.sitemap,
    robots: values.robots,
  };
}

const firstError = (errors: Record<string, string>, field: string) =>
  errors[`target.${field}`] ?? Object.entries(errors).find(([key]) => key.startsWith(`target.${field}.`))?.[1];

export const crawlErrorFields = ['maxPages', 'maxDepth', 'include', 'exclude'].map((field) => `target.${field}`);

export function CrawlTargetFields({
  values,
  onChange,
  errors,
}: {
  values: CrawlFieldValues;
  onChange: (values: CrawlFieldValues) => void;
  errors: Record<string, string>;
}) {
  const ids = { maxPages: useId(), maxDepth: useId(), include: useId(), exclude: useId(), sameHost: useId(), sitemap: useId(), robots: useId() };
  const set = <K extends keyof CrawlFieldValues>(key: K, value: CrawlFieldValues[K]) => onChange({ ...values, [key]: value });
  const toggles = [
    { key: 'sameHost', label: 'Stay on the start URL\'s host' },
    { key: 'sitemap', label: 'Also read sitemap.xml' },
    { key: 'robots', label: 'Honour robots.txt and its crawl delay' },
  ] as const;
  return (
    <>
      <div className="flex flex-wrap gap-5">
        <Field id={ids.maxPages} label="Max pages" error={errors['target.maxPages']} hint={`The most pages each run fetches (at most ${maxCrawlPages.toLocaleString('en-US')}).`}>
          <Input id={ids.maxPages} name="maxPages" type="number" min={1} max={maxCrawlPages} value={values.maxPages} onChange={(e) => set('maxPages', e.target.value)} className="w-40" aria-describedby={`${ids.maxPages}-note`} />
        </Field>
        <Field id={ids.maxDepth} label="Max depth" error={errors['target.maxDepth']} hint={`Links followed from the start URL (0 to ${maxCrawlDepth}).`}>
          <Input id={ids.maxDepth} name="maxDepth" type="number" min={0} max={maxCrawlDepth} value={values.maxDepth} onChange={(e) => set('maxDepth', e.target.value)} className="w-40" aria-describedby={`${ids.maxDepth}-note`} />
        </Field>
      </div>
      <div className="grid gap-5 sm:grid-cols-2">
        <Field id={ids.include} label="Include paths" error={firstError(errors, 'include')} hint="Globs such as /docs/**, one per line. Empty: every path.">
          <Textarea id={ids.include} name="include" value={values.include} onChange={(e) => set('include', e.target.value)} rows={3} className="font-mono text-[13px]" aria-describedby={`${ids.include}-note`} />
        </Field>
        <Field id={ids.exclude} label="Exclude paths" error={firstError(errors, 'exclude')} hint="Globs never fetched, one per line.">
          <Textarea id={ids.exclude} name="exclude" value={values.exclude} onChange={(e) => set('exclude', e.target.value)} rows={3} className="font-mono text-[13px]" aria-describedby={`${ids.exclude}-note`} />
        </Field>
      </div>
      <div className="flex flex-col gap-3">
        {toggles.map(({ key, label }) => (
          <div key={key} className="flex items-center gap-3">
            <Switch id={ids[key]} checked={values[key]} onCheckedChange={(checked) => set(key, checked)} />
            <Label htmlFor={ids[key]} className="font-normal">
              {label}
            </Label>
          </div>
        ))}
      </div>
    </>
  );
}
