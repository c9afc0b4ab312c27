'use client';

import { useRouter } from 'next/navigation';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { ApiClientError, apiFetch } from '@/components/api/fetcher';
import { ChoiceSelect, Field, Notice } from '@/components/jobs/new/form-parts';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Textarea } from '@/components/ui/textarea';
import { engineLabels, engines, resultFormats, type Engine, type ResultFormat } from '@/lib/jobs';
import { scheduleOverlaps, type ScheduleOverlap, type ScheduleResponse } from '@/lib/schemas/schedules';
import { CronPreview } from './cron-preview';
import { CrawlTargetFields, crawlErrorFields, crawlFieldValues, crawlTargetBody } from './crawl-target-fields';

type TargetType = ScheduleResponse['target']['type'];

const targetTypes: TargetType[] = ['job', 'batch', 'crawl'];
const targetLabels: Record<TargetType, string> = {
  job: 'One URL: a job each run',
  batch: 'Several URLs: a batch each run',
  crawl: 'A site from a start URL: a crawl each run',
};
const formatLabels: Record<ResultFormat, string> = { html: 'HTML', json: 'JSON', markdown: 'Markdown', text: 'Text' };
const overlapLabels: Record<ScheduleOverlap, string> = { skip: 'Skip while the previous run is unfinished', queue: 'Run anyway' };

const shownErrorFields = ['name', 'cron', 'timezone', 'overlap', 'target.url', 'target.urls', 'target.engine', 'target.format', ...crawlErrorFields];

function timeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...zones.filter((zone) => zone !== 'UTC')];
}

/**
 * Create or edit a schedule: what each run scrapes (a URL, several for a batch, or a start URL and
 * limits for a crawl, with the engine and format of the create-job form), the cron expression with
 * its next 5 runs as you type, the time zone and the overlap rule. Editing keeps the target's other
 * options as saved.
 */
export function ScheduleForm({ schedule }: { schedule?: ScheduleResponse }) {
  const router = useRouter();
  const ids = { name: useId(), url: useId(), urls: useId(), cron: useId(), timezone: useId() };
  const saved = schedule?.target;
  const [name, setName] = useState(schedule?.name ?? '');
  const [type, setType] = useState<TargetType>(saved?.type ?? 'job');
  const [url, setUrl] = useState(saved?.type === 'job' || saved?.type === 'crawl' ? saved.url : '');
  const [urls, setUrls] = useState(saved?.type === 'batch' ? saved.urls.join('\n') : '');
  const [crawl, setCrawl] = useState(() => crawlFieldValues(saved?.type === 'crawl' ? saved : undefined));
  const [engine, setEngine] = useState<Engine>(saved?.engine ?? 'http');
  const [format, setFormat] = useState<ResultFormat>(saved?.format ?? 'html');
  const [cron, setCron] = useState(schedule?.cron ?? '0 * * * *');
  const [timezone, setTimezone] = useState(schedule?.timezone ?? 'UTC');
  const [overlap, setOverlap] = useState<ScheduleOverlap>(schedule?.overlap ?? 'skip');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const zones = useMemo(timeZones, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setErrors({});
    setFailure(null);
    // Options the form does not show are kept as saved, unless the target changes type.
    const { type: _type, url: _url, urls: _urls, ...kept } = (saved?.type === type ? saved : {}) as Record<string, unknown>;
    const target =
      type === 'job'
        ? { ...kept, type, engine, format, url: url.trim() }
        : type === 'batch'
          ? { ...kept, type, engine, format, urls: urls.split(/\s+/).map((line) => line.trim()).filter(Boolean) }
          : { ...kept, type, engine, format, url: url.trim(), ...crawlTargetBody(crawl) };
    const body = { name, cron, timezone, overlap, target };
    try {
      const reply = await apiFetch<ScheduleResponse>(schedule ? `/api/v1/schedules/${schedule.id}` : '/api/v1/schedules', {
        method: schedule ? 'PATCH' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      router.push(`/dashboard/schedules/${reply.id}`);
      router.refresh();
    } catch (error) {
      setPending(false);
      const fields = error instanceof ApiClientError ? (error.details as { fields?: { field: string; message: string }[] } | undefined)?.fields : undefined;
      if (fields?.length) setErrors(Object.fromEntries(fields.map((f) => [f.field, f.message])));
      else setFailure(error instanceof ApiClientError ? error.message : 'Could not save the schedule. Try again.');
    }
  };

  return (
    <form onSubmit={submit} className="flex max-w-3xl flex-col gap-5" noValidate>
      <Card>
        <CardHeader>
          <CardTitle>Schedule</CardTitle>
        </CardHeader>
        <CardContent className="flex flex-col gap-5">
          <Field id={ids.name} label="Name" error={errors.name}>
            <Input id={ids.name} name="name" value={name} onChange={(e) => setName(e.target.value)} placeholder="Prices every morning" aria-describedby={`${ids.name}-note`} />
          </Field>
          <Field id={ids.cron} label="Cron expression" error={errors.cron} hint="Five fields: minute hour day-of-month month day-of-week.">
            <Input id={ids.cron} name="cron" value={cron} onChange={(e) => setCron(e.target.value)} className="font-mono text-[13px]" aria-describedby={`${ids.cron}-note`} />
          </Field>
          <CronPreview cron={cron} timezone={timezone} />
          <Field id={ids.timezone} label="Time zone" error={errors.timezone} hint="The zone the expression is read in.">
            <select
              id={ids.timezone}
              name="timezone"
              value={timezone}
              onChange={(e) => setTimezone(e.target.value)}
              className="h-9 w-72 rounded-md border bg-transparent px-3 text-sm shadow-xs"
              aria-describedby={`${ids.timezone}-note`}
            >
              {zones.map((zone) => (
                <option key={zone} value={zone}>
                  {zone}
                </option>
              ))}
            </select>
          </Field>
          <Field label="When the previous run is unfinished" error={errors.overlap}>
            <ChoiceSelect<ScheduleOverlap> label="Overlap" value={overlap} options={scheduleOverlaps} labels={overlapLabels} onChange={setOverlap} className="w-80" />
          </Field>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Each run</CardTitle>
        </CardHeader>
        <CardContent className="flex flex-col gap-5">
          <Field label="Target">
            <ChoiceSelect<TargetType> label="Target type" value={type} options={targetTypes} labels={targetLabels} onChange={setType} className="w-80" />
          </Field>
          {type !== 'batch' ? (
            <Field
              id={ids.url}
              label={type === 'crawl' ? 'Start URL' : 'URL'}
              error={errors['target.url']}
              hint={type === 'crawl' ? 'Where each crawl starts (depth 0); its links are followed from there.' : 'An absolute http:// or https:// address.'}
            >
              <Input id={ids.url} name="url" type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.com/page" className="font-mono text-[13px]" aria-describedby={`${ids.url}-note`} />
            </Field>
          ) : (
            <Field id={ids.urls} label="URLs" error={errors['target.urls'] ?? Object.entries(errors).find(([key]) => key.startsWith('target.urls.'))?.[1]} hint="One per line.">
              <Textarea id={ids.urls} name="urls" value={urls} onChange={(e) => setUrls(e.target.value)} rows={5} className="font-mono text-[13px]" aria-describedby={`${ids.urls}-note`} />
            </Field>
          )}
          {type === 'crawl' && <CrawlTargetFields values={crawl} onChange={setCrawl} errors={errors} />}
          <div className="flex flex-wrap gap-5">
            <Field label="Engine" error={errors['target.engine']}>
              <ChoiceSelect<Engine> label="Engine" value={engine} options={engines} labels={engineLabels} onChange={setEngine} className="w-48" />
            </Field>
            <Field label="Response format" error={errors['target.format']}>
              <ChoiceSelect<ResultFormat> label="Response format" value={format} options={resultFormats} labels={formatLabels} onChange={setFormat} className="w-48" />
            </Field>
          </div>
        </CardContent>
      </Card>
      {failure && <Notice tone="error">{failure}</Notice>}
      {Object.keys(errors).some((key) => !shownErrorFields.includes(key) && !/^target\.(urls|include|exclude)\./.test(key)) && (
        <Notice tone="error">{Object.entries(errors).map(([field, message]) => `${field}: ${message}`).join('; ')}</Notice>
      )}
      <div className="flex gap-3">
        <Button type="submit" disabled={pending}>
          {schedule ? 'Save schedule' : 'Create schedule'}
        </Button>
        <Button type="button" variant="outline" onClick={() => router.back()}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
