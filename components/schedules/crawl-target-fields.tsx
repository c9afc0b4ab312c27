'use client';

import { useId } from 'react';
import { LinesField, NumberField, SwitchRow, lines, numberOrUnset } from '@/components/crawls/crawl-fields';
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


/** The crawl options as the target body sends them. */
export function crawlTargetBody(values: CrawlFieldValues) {
  return {
    maxPages: numberOrUnset(values.maxPages),
    maxDepth: numberOrUnset(values.maxDepth),
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
    { key: 'sameHost', label: "Stay on the start URL's host", hint: 'Links to other hosts are skipped.' },
    { key: 'sitemap', label: 'Also read sitemap.xml', hint: "Also fetch the URLs the start host's sitemap lists." },
    { key: 'robots', label: 'Honour robots.txt and its crawl delay', hint: 'Skip the paths it disallows and wait its Crawl-delay between pages.' },
  ] as const;
  return (
    <>
      <div className="flex flex-wrap gap-5">
        <NumberField id={ids.maxPages} name="maxPages" label="Max pages" hint={`The most pages each run fetches (at most ${maxCrawlPages.toLocaleString('en-US')}).`} value={values.maxPages} onChange={(v) => set('maxPages', v)} error={errors['target.maxPages']} />
        <NumberField id={ids.maxDepth} name="maxDepth" label="Max depth" hint={`Links followed from the start URL (0 to ${maxCrawlDepth}).`} value={values.maxDepth} onChange={(v) => set('maxDepth', v)} error={errors['target.maxDepth']} />
      </div>
      <div className="grid gap-5 sm:grid-cols-2">
        <LinesField id={ids.include} name="include" label="Include paths" hint="Globs such as /docs/**, one per line. Empty: every path." value={values.include} onChange={(v) => set('include', v)} error={firstError(errors, 'include')} />
        <LinesField id={ids.exclude} name="exclude" label="Exclude paths" hint="Globs never fetched, one per line." value={values.exclude} onChange={(v) => set('exclude', v)} error={firstError(errors, 'exclude')} />
      </div>
      <div className="flex flex-col gap-3">
        {toggles.map(({ key, label, hint }) => (
          <SwitchRow key={key} id={ids[key]} label={label} hint={hint} checked={values[key]} onChange={(checked) => set(key, checked)} />
        ))}
      </div>
    </>
  );
}
